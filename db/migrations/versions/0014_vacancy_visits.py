"""vacancy_visits: each user's last visit of the vacancies overview, out of the settings table

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:00:00

"""
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PREFIX = "vacancies_seen:"


def upgrade() -> None:
    visits = op.create_table(
        'vacancy_visits',
        sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('username'),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT key, value FROM settings WHERE key LIKE :p"), {"p": PREFIX + "%"}).all()
    moved = []
    for key, value in rows:
        try:
            seen = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue  # not a moment: dropped with the rest
        seen = seen.astimezone(timezone.utc) if seen.tzinfo else seen.replace(tzinfo=timezone.utc)
        moved.append({"username": key[len(PREFIX):], "seen_at": seen})
    if moved:
        op.bulk_insert(visits, moved)
    conn.execute(sa.text("DELETE FROM settings WHERE key LIKE :p"), {"p": PREFIX + "%"})


def downgrade() -> None:
    conn = op.get_bind()
    for username, seen in conn.execute(sa.text("SELECT username, seen_at FROM vacancy_visits")).all():
        value = seen if isinstance(seen, str) else (seen if seen.tzinfo else seen.replace(tzinfo=timezone.utc)).isoformat()
        conn.execute(sa.text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                     {"k": (PREFIX + username)[:60], "v": value})
    op.drop_table('vacancy_visits')
