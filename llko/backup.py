"""Backup and restore of a SQLite database through SQLite's online backup API.

`backup` copies the live database into one self-contained file, consistent even while the app
writes (one backup step holds a read snapshot; WAL readers do not block writers). `restore` checks
that a file is a backup of this dashboard, copies it back into the live database through the same
API (other connections see the new content, no file is swapped under them) and upgrades the schema
of an older backup. PostgreSQL has pg_dump / pg_restore for this: both functions refuse it with the
commands to use. Every successful backup or restore is audited.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL, Engine

from llko import audit
from llko.bootstrap import migrate
from llko.db import MIGRATIONS, transaction

SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = ("alembic_version", "providers", "requests")


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message is Dutch and meant for the user."""


def _libpq_url(engine: Engine) -> str:
    """The database as a URL pg_dump understands: no '+driver', no password."""
    url = engine.url
    return URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port, database=url.database, query=url.query,
    ).render_as_string(hide_password=False)


def _refuse_postgres(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        return
    if engine.dialect.name != "postgresql":
        raise BackupError(f"Back-up en terugzetten kunnen alleen bij SQLite; deze databank is {engine.dialect.name}.")
    url = _libpq_url(engine)
    raise BackupError(
        "Back-up en terugzetten met het dashboard kunnen alleen bij een SQLite-databank; deze databank is "
        "PostgreSQL. Gebruik daar de hulpmiddelen van PostgreSQL zelf: maak de back-up met\n"
        f"    pg_dump --format=custom --file=llko.dump \"{url}\"\n"
        "en zet ze terug met\n"
        f"    pg_restore --clean --if-exists --dbname=\"{url}\" llko.dump\n"
        "(het wachtwoord via PGPASSWORD of ~/.pgpass)."
    )


def _live_path(engine: Engine) -> Path | None:
    """The file of a SQLite database; None for an in-memory one."""
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        return None
    return Path(name).resolve()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def backup(engine: Engine, path: str | os.PathLike, actor: str = "cli") -> Path:
    """Write a consistent copy of the live SQLite database to `path` (replaced atomically); returns the path.

    The copy is a single file (rollback-journal mode, no -wal file beside it). Raises BackupError.
    """
    _refuse_postgres(engine)
    target = Path(path)
    live = _live_path(engine)
    if live is not None and _same_file(live, target):
        raise BackupError(f"{target} is de databank zelf; kies een ander bestand voor de back-up.")
    if target.is_dir():
        raise BackupError(f"{target} is een map; geef de naam van het back-upbestand op.")
    if not target.parent.is_dir():
        raise BackupError(f"De map {target.parent} bestaat niet; maak ze eerst aan.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise BackupError(f"Kan niet schrijven in {target.parent}: {exc.strerror}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        source = engine.raw_connection()
        try:
            dest = sqlite3.connect(tmp)
            try:
                source.driver_connection.backup(dest)  # one step: a consistent snapshot
                dest.execute("PRAGMA journal_mode=DELETE")  # the header says WAL when the source is WAL
            finally:
                dest.close()
        finally:
            source.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise BackupError(f"De back-up naar {target} is mislukt: {exc}.") from exc
    except OSError as exc:
        raise BackupError(f"De back-up naar {target} is mislukt: {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    with transaction(engine) as session:
        audit.record(session, actor, "backup", file=str(target.resolve()), bytes=target.stat().st_size)
    return target


def _known_revision(revision: str) -> bool:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        return ScriptDirectory.from_config(cfg).get_revision(revision) is not None
    except CommandError:
        return False


def check_backup(path: str | os.PathLike) -> str:
    """The schema revision of a backup file of this dashboard; BackupError when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Het bestand {path} bestaat niet.")
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"Kan {path} niet lezen: {exc.strerror}.") from exc
    if magic != SQLITE_MAGIC:
        raise BackupError(f"{path} is geen SQLite-databank en dus geen back-up van het dashboard; er is niets gewijzigd.")
    try:
        conn = _open_readonly(path)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is een beschadigde SQLite-databank; er is niets gewijzigd.")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise BackupError(
                    f"{path} is een SQLite-databank maar geen back-up van het LLKO-dashboard "
                    f"(tabel {', '.join(missing)} ontbreekt); er is niets gewijzigd."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} kon niet gelezen worden als SQLite-databank ({exc}); er is niets gewijzigd.") from exc
    if row is None or not row[0]:
        raise BackupError(f"{path} heeft geen schemaversie; het is geen volledige back-up. Er is niets gewijzigd.")
    if not _known_revision(row[0]):
        raise BackupError(
            f"{path} heeft schemaversie {row[0]}, die deze versie van het dashboard niet kent (een back-up van een "
            "nieuwere versie?). Werk het dashboard eerst bij; er is niets gewijzigd."
        )
    return row[0]


def check_restore(engine: Engine, path: str | os.PathLike) -> str:
    """Everything `restore` checks before it changes anything; returns the backup's schema revision."""
    _refuse_postgres(engine)
    live = _live_path(engine)
    if live is None:
        raise BackupError("Een databank in het geheugen kan niet teruggezet worden.")
    if _same_file(live, Path(path)):
        raise BackupError(f"{path} is de databank zelf; kies een back-upbestand.")
    return check_backup(path)


def restore(engine: Engine, path: str | os.PathLike, actor: str = "cli") -> str:
    """Replace the content of the live SQLite database with the backup at `path`, then upgrade its schema.

    Refuses (BackupError, nothing changed) a file that is no backup of this dashboard. Returns the
    schema revision the backup had.
    """
    path = Path(path)
    revision = check_restore(engine, path)
    engine.dispose()  # no pooled connection keeps an old read snapshot open
    try:
        source = _open_readonly(path)
        try:
            dest = engine.raw_connection()
            try:
                source.backup(dest.driver_connection)
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Het terugzetten van {path} is mislukt: {exc}.") from exc
    finally:
        engine.dispose()
    migrate(engine)
    with transaction(engine) as session:
        audit.record(session, actor, "restore", file=str(path.resolve()), revision=revision)
    return revision
