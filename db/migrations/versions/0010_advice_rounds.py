"""advice rounds: advice given for a decision (R9); overrides belong to a round

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401


revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The advice rounds, and a round for every period that already has overrides (named after the period, open,
    an expansion round: both advices), the overrides moved into it."""
    op.create_table('advice_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('fixed_on', sa.Date(), nullable=True),
    sa.Column('fixed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('snapshot', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('advice_overrides', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_advice_overrides_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key('fk_advice_overrides_round_id', 'advice_rounds', ['round_id'], ['id'])

    conn = op.get_bind()
    periods = conn.execute(sa.text("SELECT DISTINCT period_from, period_to FROM advice_overrides "
                                   "ORDER BY period_to, period_from")).all()
    for period_from, period_to in periods:
        name = _name(period_from, period_to)
        conn.execute(sa.text("INSERT INTO advice_rounds (name, kind, period_from, period_to, state, created_by, "
                             "created_at) VALUES (:n, 'uitbreidingsronde', :f, :t, 'open', 'migratie', "
                             "CURRENT_TIMESTAMP)"), {"n": name, "f": period_from, "t": period_to})
        conn.execute(sa.text("UPDATE advice_overrides SET round_id = (SELECT id FROM advice_rounds WHERE name = :n) "
                             "WHERE period_from = :f AND period_to = :t"), {"n": name, "f": period_from, "t": period_to})


def _name(period_from, period_to) -> str:
    """'Periode 03/11/2025 – 02/11/2026' (SQLite gives dates as text, PostgreSQL as dates)."""
    import datetime as dt

    def day(value):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])

    return f"Periode {day(period_from):%d/%m/%Y} – {day(period_to):%d/%m/%Y}"


def downgrade() -> None:
    with op.batch_alter_table('advice_overrides', schema=None) as batch_op:
        batch_op.drop_constraint('fk_advice_overrides_round_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_advice_overrides_round_id'))
        batch_op.drop_column('round_id')
    op.drop_table('advice_rounds')
