"""population: children younger than 3 per deelgemeente and year (the `bevolking` register)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 17:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'population',
        sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('children_under_3', sa.Integer(), nullable=False),
        sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.PrimaryKeyConstraint('district', 'year'),
    )


def downgrade() -> None:
    op.drop_table('population')
