"""Fixtures: a fresh, migrated database per test, on SQLite and (when LLKO_TEST_POSTGRES_URL is set) PostgreSQL."""

import atexit
import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llko.bootstrap import migrate  # noqa: E402
from llko.db import make_engine  # noqa: E402

POSTGRES_URL = os.environ.get("LLKO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
DEMO_TODAY = date(2026, 11, 2)

os.environ.pop("LLKO_DATABASE_URL", None)


_templates: dict[tuple[str, str], str] = {}  # (backend, kind) -> a database made once per run, copied for each test
EMPTY, DEMO = "empty", "demo"  # a migrated database; the demo town (llko.bootstrap.build_demo on DEMO_TODAY) in one


def _prepare(url: str, kind: str) -> None:
    from llko.bootstrap import build_demo

    engine = make_engine(url)
    migrate(engine) if kind == EMPTY else build_demo(engine, DEMO_TODAY)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone holds everything
    engine.dispose()  # no connection left open: PostgreSQL copies a template only when nobody is connected


def _postgres_admin():
    from sqlalchemy import create_engine

    return create_engine(make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")


def _postgres_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(name: str) -> None:
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _template(backend: str, kind: str, directory: Path) -> str:
    """The template of this backend and kind (an SQLite file or a PostgreSQL database name), made on first use: the
    demo template is a copy of the empty one with the demo town built in."""
    if (backend, kind) in _templates:
        return _templates[backend, kind]
    base = _template(backend, EMPTY, directory) if kind == DEMO else None
    if backend == "sqlite":
        path = Path(directory).parent / f"template-{kind}-{uuid.uuid4().hex[:8]}.sqlite3"
        if base:
            shutil.copyfile(base, path)
        _prepare(f"sqlite:///{path}", kind)
        found = str(path)
    else:
        found = f"llko_{kind}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = _postgres_admin()
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {found}" + (f" TEMPLATE {base}" if base else "")))
        admin.dispose()
        atexit.register(_drop_postgres_database, found)
        _prepare(_postgres_url(found), kind)
    _templates[backend, kind] = found
    return found


@contextmanager
def fresh_database(backend: str, directory: Path, kind: str = EMPTY):
    """Yield the URL of a new database of this kind: a copy of one made at the start of the run (migrating each
    test's database anew took most of a minute per hundred tests, building the demo town three seconds each); on
    PostgreSQL a database of its own (CREATE DATABASE … TEMPLATE), dropped afterwards."""
    template = _template(backend, kind, directory)
    if backend == "sqlite":
        path = Path(directory) / f"{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    try:
        yield _postgres_url(name)
    finally:
        _drop_postgres_database(name)
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
    with fresh_database(request.param, tmp_path_factory.mktemp("demo"), DEMO) as url:
        yield url


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at a database and pin its 'today'; returns a function taking the URL."""
    def use(url: str) -> str:
        monkeypatch.setenv("LLKO_DATABASE_URL", url)
        monkeypatch.setenv("LLKO_TODAY", DEMO_TODAY.isoformat())
        return url
    return use


@pytest.fixture(params=BACKENDS)
def own_demo(request, tmp_path, app_env):
    """A demo town in a database of its own, the app pointed at it: for tests that write."""
    with fresh_database(request.param, tmp_path, DEMO) as url:
        app_env(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


# --- Every page test fails on a crash, unless it is marked as expecting one ---------------------------------

KINDS = {  # every test gets exactly one of these markers, so a developer runs only the part at hand
    "rules": "pure functions: no database, no page, no browser (seconds: pytest -m rules)",
    "services": "llko against a real database: services, queries, importers, the CLI",
    "pages": "pages through streamlit.testing AppTest",
    "browser": "a real chromium against `streamlit run` (Playwright)",
}
DATABASE_FIXTURES = {"db_url", "engine", "demo_url", "own_demo", "app_env"}
SLOW_MODULES = {  # pure, but seconds per test: PDFs, child processes, hypothesis, LibreOffice round trips
    "test_properties", "test_bounded_workbooks", "test_compliance_documents", "test_libreoffice_files", "test_bench",
    "test_attachments"}


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_exception: the test inspects an app exception itself")
    for name, what in KINDS.items():
        config.addinivalue_line("markers", f"{name}: {what}")
    config.addinivalue_line("markers", "postgres: runs on PostgreSQL (LLKO_TEST_POSTGRES_URL)")
    config.addinivalue_line("markers", "slow: seconds per test (PDFs, child processes, property tests)")


def _kind(item) -> str:
    module = item.module
    if module.__name__.startswith("test_browser"):
        return "browser"
    if any(getattr(value, "__module__", "") == "apptest" for value in vars(module).values()):
        return "pages"
    uses_database = DATABASE_FIXTURES & set(item.fixturenames) or any(
        getattr(value, "__module__", "") == "conftest" and callable(value) for value in vars(module).values())
    return "services" if uses_database else "rules"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(_kind(item))
        if item.module.__name__ in SLOW_MODULES:
            item.add_marker("slow")
        if "[postgres" in item.nodeid or "-postgres" in item.nodeid:
            item.add_marker("postgres")


@pytest.fixture(autouse=True)
def no_app_exceptions(request):
    """Fail the test when any AppTest it made (tests/apptest.py) ended with an exception."""
    import apptest

    apptest.made.clear()
    yield
    made, apptest.made[:] = list(apptest.made), []
    if request.node.get_closest_marker("allow_exception"):
        return
    for at in made:
        try:
            exception = at.exception
        except Exception:  # noqa: BLE001 - never run
            continue
        assert not exception, f"{at._script_path}: {[e.value for e in exception]}"


@pytest.fixture(autouse=True)
def app_runs_every_time(monkeypatch):
    """Make AppTest run app.py on every run, as the real server does.

    AppTest forgets, before each run, that app.py called st.navigation; because a `views/` folder sits beside
    app.py, Streamlit then takes the app for an old-style multipage app and reruns the page the user is on
    directly, without app.py (and its login and account checks). The server remembers st.navigation for the
    whole process, so there every run goes through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(autouse=True)
def engines_closed(monkeypatch):
    """Every engine a test makes is disposed at its end — also the app's own under AppTest, which Streamlit keeps in
    its resource cache: one engine per test database would otherwise hold PostgreSQL connections until the run ends
    and exhaust the server's connection slots."""
    import llko.db
    import ui.database

    made = []
    original = llko.db.make_engine

    def tracked(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(llko.db, "make_engine", tracked)
    monkeypatch.setattr(ui.database, "make_engine", tracked)
    yield
    for engine in made:
        engine.dispose()


@pytest.fixture(autouse=True)
def texts_as_read(monkeypatch):
    """Text elements of an AppTest give their text as a reader sees it: the backslashes with which ui.literal
    escapes text from data are not shown on the page, so .value leaves them out (.proto.body keeps them)."""
    from streamlit.testing.v1 import element_tree

    import apptest

    for kind in (element_tree.AlertBase, element_tree.HeadingBase, element_tree.Markdown):
        monkeypatch.setattr(kind, "value", property(lambda self: apptest.as_read(self.proto.body)))


@pytest.fixture
def downloads(monkeypatch):
    """What the download buttons of the pages run in this test would serve: {file name: bytes}.

    The buttons build their files only when clicked (a callable); this records the callables as Streamlit
    registers them and runs them on demand, so a test reads exactly the bytes a user would get.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        registered[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)

    class Downloads(dict):
        def names(self):
            return sorted(registered)

        def __getitem__(self, name):
            data = registered[name]()
            return data.encode("utf-8") if isinstance(data, str) else data

    return Downloads()


# --- No silent skips in CI -----------------------------------------------------------------------------------

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_sessionstart(session):
    """With CI=true a missing PostgreSQL or chromium fails the run instead of skipping its tests."""
    if not IN_CI:
        return
    import shutil

    problems = []
    if not POSTGRES_URL:
        problems.append("LLKO_TEST_POSTGRES_URL is not set")
    else:
        try:
            engine = make_engine(POSTGRES_URL)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"PostgreSQL at LLKO_TEST_POSTGRES_URL does not answer: {exc}")
    if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
        problems.append("Debian's chromium is not installed (browser tests)")
    if problems:
        pytest.exit("CI=true, but: " + "; ".join(problems), returncode=1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failed test: what should have run, did not."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true): {report.longrepr}"
