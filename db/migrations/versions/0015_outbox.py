"""outbox: every mail of python -m llko notify (R13), stored before it is sent, and the requests it names

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 03:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('body_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('body_html', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_try_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'as_of', 'target', name='uq_outbox_kind_day_target'),
    )
    op.create_index('ix_outbox_as_of', 'outbox', ['as_of'])
    op.create_index('ix_outbox_state', 'outbox', ['state'])
    op.create_table(
        'outbox_requests',
        sa.Column('mail_id', sa.Integer(), nullable=False),
        sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(['mail_id'], ['outbox.id']),
        sa.PrimaryKeyConstraint('mail_id', 'request_id'),
    )
    op.create_index('ix_outbox_requests_request_id', 'outbox_requests', ['request_id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_requests_request_id', table_name='outbox_requests')
    op.drop_table('outbox_requests')
    op.drop_index('ix_outbox_state', table_name='outbox')
    op.drop_index('ix_outbox_as_of', table_name='outbox')
    op.drop_table('outbox')
