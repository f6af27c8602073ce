"""Backup and restore (llko.backup and `python -m llko backup | restore`) on SQLite; PostgreSQL is refused
with the pg_dump / pg_restore commands to use instead."""

import shutil
import sqlite3
import threading
from pathlib import Path

import pandas as pd
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from conftest import DEMO_TODAY, POSTGRES_URL, fresh_database
from llko import audit, backup as bk
from llko.backup import BackupError, backup, check_backup, restore
from llko.db import make_engine, transaction
from llko.providers.models import Provider
from tests.helpers import alembic_config, cli, database_at

SCRIPTS = ScriptDirectory.from_config(alembic_config())
HEAD = SCRIPTS.get_current_head()
FIRST = SCRIPTS.get_base()

COMPARED = {
    "providers": "SELECT * FROM providers ORDER BY id",
    "requests": "SELECT * FROM requests ORDER BY id",
    "status_history": "SELECT * FROM status_history ORDER BY id",
    "users": "SELECT * FROM users ORDER BY id",
    "user_providers": "SELECT * FROM user_providers ORDER BY user_id, provider_id",
    "import_runs": "SELECT * FROM import_runs ORDER BY id",
}


# --- fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """A closed SQLite file holding the demo town (built once; each test works on a copy)."""
    from llko.bootstrap import build_demo

    directory = tmp_path_factory.mktemp("demo_template")
    with fresh_database("sqlite", directory) as url:
        engine = make_engine(url)
        build_demo(engine, DEMO_TODAY)
        engine.dispose()  # the last connection checkpoints the WAL into the main file
    (path,) = directory.glob("*.sqlite3")
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def live(demo_file, tmp_path):
    """(url, engine) of a copy of the demo town."""
    path = tmp_path / "live.sqlite3"
    shutil.copy(demo_file, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def snapshot(engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        return {name: pd.read_sql(text(sql), conn) for name, sql in COMPARED.items()}


def audit_rows(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text("SELECT id, actor, action, detail FROM audit_log ORDER BY id"), conn)


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def change_data(engine) -> None:
    """Delete some requests (with their history) and add a provider."""
    with transaction(engine) as session:
        ids = [r[0] for r in session.execute(text("SELECT id FROM requests ORDER BY id LIMIT 25"))]
        for rid in ids:
            session.execute(text("DELETE FROM status_history WHERE request_id = :r"), {"r": rid})
            session.execute(text("DELETE FROM requests WHERE id = :r"), {"r": rid})
        session.add(Provider(id="NIEUW-1", name="Kinderopvang Na de Back-up"))
        audit.record(session, "test", "change")


def sqlite_file(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


# --- backup --------------------------------------------------------------------------------------


def test_backup_is_one_self_contained_sqlite_file_with_everything(live, tmp_path):
    _url, engine = live
    target = tmp_path / "backups" / "llko.sqlite3"
    target.parent.mkdir()
    assert backup(engine, target) == target
    assert sorted(p.name for p in target.parent.iterdir()) == ["llko.sqlite3"]  # no -wal, no temp file left
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert check_backup(target) == HEAD
    copy = make_engine(f"sqlite:///{target}")
    try:
        assert_same(snapshot(copy), snapshot(engine))
    finally:
        copy.dispose()
    last = audit_rows(engine).iloc[-1]
    assert (last["actor"], last["action"]) == ("cli", "backup")
    assert str(target.resolve()) in last["detail"]


def test_backup_replaces_an_existing_file(live, tmp_path):
    _url, engine = live
    target = tmp_path / "llko.bak"
    target.write_text("een oude back-up")
    backup(engine, target)
    assert check_backup(target) == HEAD


def test_backup_is_consistent_while_the_app_writes(live, tmp_path):
    url, engine = live
    stop = threading.Event()
    written = []

    def writer():
        other = make_engine(url)
        try:
            while not stop.is_set():
                with transaction(other) as session:
                    session.add(Provider(id=f"W{len(written)}", name="schrijver"))
                    audit.record(session, "test", "write", n=len(written))
                written.append(1)
        finally:
            other.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for i in range(5):
            target = tmp_path / f"b{i}.sqlite3"
            backup(engine, target)
            conn = sqlite3.connect(target)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                providers = conn.execute("SELECT COUNT(*) FROM providers WHERE id LIKE 'W%'").fetchone()[0]
                writes = conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'write'").fetchone()[0]
                assert providers == writes  # each write is in the backup whole or not at all
            finally:
                conn.close()
    finally:
        stop.set()
        thread.join()
    assert written


@pytest.mark.parametrize("case", ["directory", "missing_directory", "the_database_itself"])
def test_backup_refuses_a_bad_target(live, tmp_path, case):
    url, engine = live
    target = {
        "directory": tmp_path,
        "missing_directory": tmp_path / "bestaat-niet" / "llko.bak",
        "the_database_itself": Path(url.removeprefix("sqlite:///")),
    }[case]
    before = audit_rows(engine)
    with pytest.raises(BackupError) as refused:
        backup(engine, target)
    assert {"directory": "is een map", "missing_directory": "bestaat niet",
            "the_database_itself": "is de databank zelf"}[case] in str(refused.value)
    pd.testing.assert_frame_equal(audit_rows(engine), before)


# --- restore -------------------------------------------------------------------------------------


def test_round_trip_restores_the_backed_up_state(live, tmp_path):
    _url, engine = live
    target = tmp_path / "llko.bak"
    saved, saved_audit = snapshot(engine), audit_rows(engine)
    backup(engine, target)
    change_data(engine)
    changed = snapshot(engine)
    assert len(changed["requests"]) == len(saved["requests"]) - 25
    assert len(changed["providers"]) == len(saved["providers"]) + 1

    assert restore(engine, target) == HEAD

    assert_same(snapshot(engine), saved)
    restored_audit = audit_rows(engine)
    # the backup's own audit entry and the later change are gone; the restore is recorded in the restored database
    pd.testing.assert_frame_equal(restored_audit.iloc[:-1], saved_audit)
    last = restored_audit.iloc[-1]
    assert (last["actor"], last["action"]) == ("cli", "restore")
    assert str(target.resolve()) in last["detail"]
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def test_restore_is_seen_by_a_connection_that_was_open_before(live, tmp_path):
    url, engine = live
    target = tmp_path / "llko.bak"
    backup(engine, target)
    change_data(engine)
    app = make_engine(url)  # the running app's own engine, with a pooled connection
    try:
        with app.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM providers WHERE id = 'NIEUW-1'")).scalar() == 1
        restore(engine, target)
        with app.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM providers WHERE id = 'NIEUW-1'")).scalar() == 0
    finally:
        app.dispose()


def test_restore_upgrades_the_schema_after_copying(live, tmp_path, monkeypatch):
    _url, engine = live
    target = tmp_path / "llko.bak"
    backup(engine, target)
    change_data(engine)
    seen = []

    def fake_migrate(eng):
        with eng.connect() as conn:
            seen.append(conn.execute(text("SELECT COUNT(*) FROM providers WHERE id = 'NIEUW-1'")).scalar())

    monkeypatch.setattr(bk, "migrate", fake_migrate)
    restore(engine, target)
    assert seen == [0]  # migrate ran once, on the restored content


@pytest.mark.skipif(FIRST == HEAD, reason="only one schema revision: no older backup to upgrade")
def test_an_older_backup_is_upgraded_to_the_newest_schema(live, tmp_path):
    _url, engine = live
    old = tmp_path / "oud.sqlite3"
    old_engine = database_at(FIRST, old)
    try:
        with transaction(old_engine) as session:
            session.execute(text("INSERT INTO providers (id, name, created_at) VALUES ('OUD-1', 'Uit een oude back-up', "
                                 "'2026-01-01 00:00:00')"))
    finally:
        old_engine.dispose()
    assert check_backup(old) == FIRST

    assert restore(engine, old) == FIRST

    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert conn.execute(text("SELECT id FROM providers")).scalars().all() == ["OUD-1"]
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with fresh_database("sqlite", fresh) as url:  # the upgraded schema is the one a new database gets
        new_engine = make_engine(url)
        try:
            assert schema(engine) == schema(new_engine)
        finally:
            new_engine.dispose()


def schema(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).scalars().all()
        return {t: [tuple(r)[1:] for r in conn.execute(text(f"PRAGMA table_info('{t}')"))] for t in tables}


def refusals(tmp_path: Path, live_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, part of the Dutch refusal)."""
    text_file = tmp_path / "notities.txt"
    text_file.write_text("Dit is geen databank.\n" * 200)
    garbage = tmp_path / "rommel.bin"
    garbage.write_bytes(bytes(range(256)) * 16)
    broken = tmp_path / "kapot.sqlite3"
    shutil.copy(live_path, broken)
    with broken.open("r+b") as fh:  # keep the header, wreck the pages after it
        fh.seek(4096)
        fh.write(b"\xff" * 65536)
    newer = tmp_path / "nieuwer.sqlite3"
    shutil.copy(live_path, newer)
    sqlite_file(newer, "UPDATE alembic_version SET version_num = '9999'")
    return {
        "missing": (tmp_path / "bestaat-niet.sqlite3", "bestaat niet"),
        "text": (text_file, "geen SQLite-databank"),
        "garbage": (garbage, "geen SQLite-databank"),
        "zero_bytes": (sqlite_file(tmp_path / "nul.sqlite3"), "geen SQLite-databank"),
        "empty": (sqlite_file(tmp_path / "leeg.sqlite3", "PRAGMA user_version = 7"), "tabel alembic_version, providers"),
        "foreign": (sqlite_file(tmp_path / "ander.sqlite3", "CREATE TABLE klanten (id INTEGER, naam TEXT)",
                                "INSERT INTO klanten VALUES (1, 'x')"), "tabel alembic_version, providers, requests ontbreekt"),
        "no_alembic": (sqlite_file(tmp_path / "zonder.sqlite3", "CREATE TABLE providers (id TEXT)",
                                   "CREATE TABLE requests (id TEXT)"), "tabel alembic_version ontbreekt"),
        "no_revision": (sqlite_file(tmp_path / "geen-versie.sqlite3", "CREATE TABLE alembic_version (version_num TEXT)",
                                    "CREATE TABLE providers (id TEXT)", "CREATE TABLE requests (id TEXT)"),
                        "geen schemaversie"),
        "newer": (newer, "schemaversie 9999"),
        "broken": (broken, "SQLite"),
        "itself": (live_path, "is de databank zelf"),
    }


REFUSAL_CASES = ["missing", "text", "garbage", "zero_bytes", "empty", "foreign", "no_alembic", "no_revision", "newer", "broken", "itself"]


@pytest.mark.parametrize("case", REFUSAL_CASES)
def test_restore_refuses_what_is_no_backup_and_changes_nothing(live, tmp_path, case):
    url, engine = live
    live_path = Path(url.removeprefix("sqlite:///"))
    path, expected = refusals(tmp_path, live_path)[case]
    change_data(engine)
    before, before_audit = snapshot(engine), audit_rows(engine)
    with pytest.raises(BackupError) as refused:
        restore(engine, path)
    assert expected in str(refused.value)
    assert_same(snapshot(engine), before)
    pd.testing.assert_frame_equal(audit_rows(engine), before_audit)


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.mark.skipif(not POSTGRES_URL, reason="LLKO_TEST_POSTGRES_URL not set")
def test_postgres_is_refused_with_the_pg_dump_commands(tmp_path):
    engine = make_engine(POSTGRES_URL)
    try:
        for action in (backup, restore):
            with pytest.raises(BackupError) as refused:
                action(engine, tmp_path / "llko.dump")
            message = str(refused.value)
            assert "PostgreSQL" in message
            assert "pg_dump --format=custom --file=llko.dump" in message
            assert "pg_restore --clean" in message
            assert "+psycopg" not in message and "postgresql://" in message
            if engine.url.password:
                assert engine.url.password not in message
    finally:
        engine.dispose()
    assert list(tmp_path.iterdir()) == []


# --- the command line ----------------------------------------------------------------------------


def test_cli_backup_and_restore(live, tmp_path):
    url, engine = live
    target = tmp_path / "llko.bak"
    saved, saved_audit = snapshot(engine), audit_rows(engine)

    done = cli(url, "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert "Back-up geschreven naar" in done.stdout
    assert check_backup(target) == HEAD
    last = audit_rows(engine).iloc[-1]
    assert (last["actor"], last["action"]) == ("cli", "backup")

    change_data(engine)
    changed, changed_audit = snapshot(engine), audit_rows(engine)
    refused = cli(url, "restore", str(target))
    assert refused.returncode == 1
    assert "--yes" in refused.stderr and "er is niets gewijzigd" in refused.stderr
    assert_same(snapshot(engine), changed)
    pd.testing.assert_frame_equal(audit_rows(engine), changed_audit)

    done = cli(url, "restore", str(target), "--yes")
    assert done.returncode == 0, done.stderr
    assert "teruggezet" in done.stdout
    engine.dispose()
    assert_same(snapshot(engine), saved)
    restored_audit = audit_rows(engine)
    pd.testing.assert_frame_equal(restored_audit.iloc[:-1], saved_audit)
    assert tuple(restored_audit.iloc[-1][["actor", "action"]]) == ("cli", "restore")


def test_cli_restore_of_a_foreign_file_is_refused_even_with_yes(live, tmp_path):
    url, engine = live
    before, before_audit = snapshot(engine), audit_rows(engine)
    foreign = sqlite_file(tmp_path / "ander.sqlite3", "CREATE TABLE klanten (id INTEGER)")
    for args in (("restore", str(foreign)), ("restore", str(foreign), "--yes")):
        refused = cli(url, *args)
        assert refused.returncode == 1
        assert "geen back-up van het LLKO-dashboard" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert_same(snapshot(engine), before)
    pd.testing.assert_frame_equal(audit_rows(engine), before_audit)


@pytest.mark.skipif(not POSTGRES_URL, reason="LLKO_TEST_POSTGRES_URL not set")
def test_cli_on_postgres_points_to_pg_dump(tmp_path):
    with fresh_database("postgres", tmp_path) as url:
        for args in (("backup", str(tmp_path / "llko.dump")), ("restore", str(tmp_path / "llko.dump"), "--yes")):
            refused = cli(url, *args)
            assert refused.returncode == 1
            assert "pg_dump --format=custom" in refused.stderr and "pg_restore --clean" in refused.stderr
            assert "Traceback" not in refused.stderr
    assert not (tmp_path / "llko.dump").exists()
