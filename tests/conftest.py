"""Fixtures: a fresh, migrated database per test, on SQLite and (when LLKO_TEST_POSTGRES_URL is set) PostgreSQL."""

import os
import sys
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llko.db import make_engine, migrate  # noqa: E402

POSTGRES_URL = os.environ.get("LLKO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
DEMO_TODAY = date(2026, 11, 2)

os.environ["LLKO_LOGIN_SLEEP"] = "0"
os.environ.pop("LLKO_DATABASE_URL", None)


@contextmanager
def fresh_database(backend: str, directory: Path):
    """Yield the URL of a new, migrated database; a PostgreSQL schema of its own, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def demo_url(request, tmp_path_factory):
    """A demo town database shared by a module's read-only tests; the app reads it through the environment."""
    from llko.bootstrap import build_demo

    with fresh_database(request.param, tmp_path_factory.mktemp("demo")) as url:
        engine = make_engine(url)
        build_demo(engine, DEMO_TODAY)
        engine.dispose()
        yield url


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at a database and pin its 'today'; returns a function taking the URL."""
    def use(url: str) -> str:
        monkeypatch.setenv("LLKO_DATABASE_URL", url)
        monkeypatch.setenv("LLKO_TODAY", DEMO_TODAY.isoformat())
        return url
    return use


@pytest.fixture
def own_demo(db_url, app_env):
    """A demo town in a database of its own, the app pointed at it: for tests that write."""
    from llko.bootstrap import build_demo

    engine = make_engine(db_url)
    build_demo(engine, DEMO_TODAY)
    app_env(db_url)
    yield engine
    engine.dispose()
