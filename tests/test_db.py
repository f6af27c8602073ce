"""Schema management: an older database is upgraded on start; SQLite connections get their pragmas."""

from sqlalchemy import inspect, text

from llko.bootstrap import migrate
from llko.db import _head_revision, make_engine
from tests.helpers import database_at, downgraded


def test_an_older_database_is_upgraded_to_the_newest_schema(tmp_path):
    engine = database_at("0001", tmp_path / "old.sqlite3")
    assert "version" not in {c["name"] for c in inspect(engine).get_columns("users")}
    migrate(engine)
    assert "version" in {c["name"] for c in inspect(engine).get_columns("users")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head_revision()
    migrate(engine)  # already at head: nothing to do, no error


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_the_migrations_build_exactly_the_tables_of_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import llko.tables  # noqa: F401  (registers the tables)

    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []


def test_an_upgrade_rebuilds_the_summary_of_the_requests_already_there(engine):
    """A database from before the summary tables (0003) gets them filled when the app or CLI migrates it."""
    from datetime import date

    from llko.requests import sql_rules
    from llko.requests.importer import import_file
    from llko.requests.queries import Selection
    from llko.requests.statuses import ALL

    export = ("aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status\n"
              "A1;K1;P1;01/09/2026;opvangplan niet mogelijk;03/09/2026\nA2;K2;P2;02/09/2026;goedgekeurd;04/09/2026\n")
    assert import_file(engine, export.encode(), "x.csv", date(2026, 9, 5), "test").ok
    downgraded(engine, "0003")
    assert "provider_summary" not in inspect(engine).get_table_names()
    migrate(engine)
    day = date(2026, 10, 1)
    summary = sql_rules.provider_counts(engine, day)
    live = sql_rules.provider_counts(engine, day, Selection(statuses=ALL))
    assert summary.sort_index().equals(live.sort_index()) and summary["total"].sum() == 2
    assert sql_rules.children_unmet(engine) == 1
