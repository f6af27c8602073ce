"""summary of day-independent counts: provider_summary and summary_figures, filled from the requests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 11:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel types)


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'provider_summary',
        sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('answered_in_time', sa.Integer(), nullable=False),
        sa.Column('not_possible', sa.Integer(), nullable=False),
        sa.Column('approved', sa.Integer(), nullable=False),
        sa.Column('cancelled_by_provider', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id']),
        sa.PrimaryKeyConstraint('provider_id'),
    )
    op.create_table(
        'summary_figures',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    # llko.db.migrate fills them (llko.requests.sql_rules.refresh_summary) once the schema is at head.


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('summary_figures')
    op.drop_table('provider_summary')
