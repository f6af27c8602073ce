"""drop the index on status_history.request_id: the unique (request_id, status, status_date) already serves it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 11:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate writes sqlmodel types)


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('status_history', schema=None) as batch_op:
        batch_op.drop_index('ix_status_history_request_id')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('status_history', schema=None) as batch_op:
        batch_op.create_index('ix_status_history_request_id', ['request_id'], unique=False)
