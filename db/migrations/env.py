"""Alembic environment: runs on the connection handed in by llko.db.upgrade_schema, or on LLKO_DATABASE_URL."""

from alembic import context
from sqlmodel import SQLModel

import llko.tables  # noqa: F401  (registers every table)
from llko.db import make_engine

target_metadata = SQLModel.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with make_engine().begin() as conn:
        run(conn)
