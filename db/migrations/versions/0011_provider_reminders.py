"""provider reminders: whether a provider gets the reminder mail (R13; the register's `herinneringen`)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Every provider gets reminders unless the register says otherwise."""
    # a plain ADD COLUMN (SQLite can: a batch would copy the table that other tables' foreign keys point to)
    op.add_column('providers', sa.Column('reminders', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE providers DROP COLUMN reminders")  # SQLite 3.35+ and PostgreSQL, no table copy
