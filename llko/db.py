"""Engine, migrations and transactions. The URL comes from LLKO_DATABASE_URL; default: db/llko.sqlite3."""

import functools
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, create_engine

from llko import config

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'db' / 'llko.sqlite3'}"


def database_url() -> str:
    return config.database_url() or DEFAULT_URL


def is_default_database(url: str) -> bool:
    return url == DEFAULT_URL


class DatabaseBusy(RuntimeError):
    """The database stayed locked by other writers through every retry."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    """Write transactions take SQLite's write lock up front (BEGIN IMMEDIATE) and so wait for busy_timeout,
    instead of failing with "database is locked" when a read lock cannot be upgraded later."""
    conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def _postgres_session(dbapi_conn, _record) -> None:
    """No JIT: the dashboard's queries take well under a second, and compiling them cost ~0.2 s each."""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True
    with dbapi_conn.cursor() as cur:
        cur.execute("SET jit = off")
    dbapi_conn.autocommit = autocommit


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "connect", _postgres_session)
    return engine


MIGRATIONS = ROOT / "db" / "migrations"


def _head_revision() -> str:
    """The newest revision id: migration files are named <id>_<slug>.py with ids that sort in order."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("*.py"))


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - no table yet: a new database
        return None


def upgrade_schema(engine: Engine, then=None) -> None:
    """Create or upgrade the schema to the newest Alembic revision (a quick no-op when already there); then(conn)
    runs in the same transaction after an upgrade (llko.bootstrap.migrate rebuilds derived tables there)."""
    if _current_revision(engine) == _head_revision():
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if then is not None:
            then(conn)


@contextmanager
def transaction(engine: Engine):
    """One unit of work: a Session that commits at the end, or rolls back everything on error."""
    with Session(engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")) as session:
        with session.begin():
            yield session


def _is_busy(exc: OperationalError) -> bool:
    text_ = str(exc.orig).lower()
    return "locked" in text_ or "busy" in text_ or "deadlock" in text_ or "could not serialize" in text_


def retry_when_busy(func=None, *, attempts: int = 6, first_wait: float = 0.2):
    """Run a write again, with exponential backoff, while the database is locked by another writer.

    The wrapped function must do its whole unit of work itself (open its own transaction).
    After the last attempt it raises DatabaseBusy with a Dutch message, never a raw driver error.
    """
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            wait = first_wait
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except OperationalError as exc:
                    if not _is_busy(exc):
                        raise
                    if attempt == attempts - 1:
                        raise DatabaseBusy("De databank is even bezet door een andere bewerking (bv. een import). "
                                           "Er is niets gewijzigd; probeer het zo meteen opnieuw.") from exc
                    time.sleep(wait)
                    wait *= 2
        return wrapper
    return decorate(func) if func else decorate


def get_setting(engine: Engine, key: str, default: str | None = None) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).first()
    return row[0] if row else default


def set_setting(session: Session, key: str, value: str) -> None:
    from llko.models import Setting

    session.merge(Setting(key=key, value=value))


def unit_of_work(fn):
    """A service that writes: its first argument is the caller's Session, and the caller owns the transaction (the
    register workbook writes every sheet through the feature services in one). Called with an Engine instead — the
    entry point of the pages and the command line — it runs in one transaction of its own, retried while the database
    is busy (retry_when_busy); a refusal raised inside rolls everything back."""
    @retry_when_busy
    def own_transaction(engine: Engine, *args, **kwargs):
        with transaction(engine) as session:
            return fn(session, *args, **kwargs)

    @functools.wraps(fn)
    def call(bind, *args, **kwargs):
        if isinstance(bind, OrmSession):
            return fn(bind, *args, **kwargs)
        return own_transaction(bind, *args, **kwargs)
    return call
