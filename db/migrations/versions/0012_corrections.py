"""corrections (R14): every kind of entry can be corrected or withdrawn and keeps its original

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 17:20:00

Each entry table gets voided_at / voided_by / void_reason / replaced_by (all blank while the entry stands). The keys
of the infopagina checks, the signatures and the LOK meetings become unique among the standing entries only, so a
corrected entry can keep its key. Overrides replaced by a newer decision are marked as corrected by it.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('compliance_contacts', 'enforcement_files', 'enforcement_steps', 'advice_overrides', 'infopagina_checks',
          'vacancy_referrals', 'agreements', 'lok_meetings')
STANDING = sa.text('voided_at IS NULL')
# (table, old unique constraint, its name on PostgreSQL, new partial index, columns)
KEYS = (('infopagina_checks', 'uq_infopagina_check', 'uq_infopagina_check', 'uq_infopagina_check',
         ['provider_id', 'checked_on', 'source']),
        ('agreements', 'uq_agreement_key', 'uq_agreement_key', 'uq_agreement_key', ['provider_id', 'signed_on']),
        ('lok_meetings', 'uq_lok_meetings_held_on', 'lok_meetings_held_on_key', 'uq_lok_meeting_day', ['held_on']))


def _columns() -> list[sa.Column]:
    return [sa.Column('voided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
            sa.Column('voided_by', sa.String(length=100), nullable=True),
            sa.Column('void_reason', sa.String(length=500), nullable=True),
            sa.Column('replaced_by', sa.Integer(), nullable=True)]


def _rebuild_sqlite(table: str, constraint: str) -> None:
    """SQLite cannot drop a constraint: the table is copied without it. Rows of other tables that point at a LOK
    meeting are set aside during the copy (dropping a parent with children would break the foreign keys)."""
    bind = op.get_bind()
    kept = {}
    if table == 'lok_meetings':
        kept['attendance'] = bind.execute(sa.text('SELECT meeting_id, provider_id FROM lok_attendance')).all()
        kept['evaluations'] = bind.execute(sa.text(
            'SELECT id, meeting_id FROM procedure_evaluations WHERE meeting_id IS NOT NULL')).all()
        bind.execute(sa.text('DELETE FROM lok_attendance'))
        bind.execute(sa.text('UPDATE procedure_evaluations SET meeting_id = NULL'))
    with op.batch_alter_table(table, recreate='always',
                              naming_convention={'uq': 'uq_%(table_name)s_%(column_0_name)s'}) as batch_op:
        batch_op.drop_constraint(constraint, type_='unique')
    for meeting_id, provider_id in kept.get('attendance', ()):
        bind.execute(sa.text('INSERT INTO lok_attendance (meeting_id, provider_id) VALUES (:m, :p)'),
                     {'m': meeting_id, 'p': provider_id})
    for evaluation_id, meeting_id in kept.get('evaluations', ()):
        bind.execute(sa.text('UPDATE procedure_evaluations SET meeting_id = :m WHERE id = :i'),
                     {'m': meeting_id, 'i': evaluation_id})


def _mark_replaced_overrides() -> None:
    """Of the decisions on one advice of one provider in one round, each but the latest was corrected by the next."""
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT id, round_id, provider_id, advice, decided_by, decided_at, motivation '
                                'FROM advice_overrides ORDER BY decided_at, id')).all()
    previous = {}
    for row in rows:
        key = (row.round_id, row.provider_id, row.advice)
        if key in previous:
            bind.execute(sa.text('UPDATE advice_overrides SET voided_at = :at, voided_by = :by, void_reason = :why, '
                                 'replaced_by = :new WHERE id = :old'),
                         {'at': row.decided_at, 'by': row.decided_by, 'why': (row.motivation or '')[:500],
                          'new': row.id, 'old': previous[key]})
        previous[key] = row.id


def upgrade() -> None:
    for table in TABLES:
        for column in _columns():  # plain ADD COLUMN: no table copy
            op.add_column(table, column)
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, sqlite_name, postgres_name, index, columns in KEYS:
        if sqlite:
            _rebuild_sqlite(table, sqlite_name)
        else:
            op.drop_constraint(postgres_name, table, type_='unique')
        op.create_index(index, table, columns, unique=True, sqlite_where=STANDING, postgresql_where=STANDING)
    _mark_replaced_overrides()


def downgrade() -> None:
    """Back to one entry per key (only possible while no corrected entry shares a key with its correction)."""
    for table, _, _, index, columns in KEYS:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, columns, unique=True)  # a plain unique index does what the constraint did
    for table in TABLES:
        for column in _columns():
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")  # SQLite 3.35+ and PostgreSQL
