"""requests received index: request lists and the 90-day window read by date of receipt

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 11:05:00

"""
from typing import Sequence, Union

from alembic import op
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel types)


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_received', ['received'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_received')
