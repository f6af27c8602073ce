"""Schema management: an older database is upgraded on start; SQLite connections get their pragmas."""

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from llko.db import MIGRATIONS, _head_revision, make_engine, migrate


def test_an_older_database_is_upgraded_to_the_newest_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
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
