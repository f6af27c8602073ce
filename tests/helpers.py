"""Helpers that several test files share: plain functions, imported as `from tests.helpers import ...`.

`tests` has no __init__.py on purpose: pytest imports each test file under its own name with tests/ on sys.path
(`from apptest import ...`, `from conftest import ...`, and conftest's markers go by those module names); this
module is reached as part of the namespace package `tests`, through the repository root that conftest puts first
on sys.path. The app's own modules are imported where a helper needs them, so that importing this module costs a
test file nothing it does not use.
"""

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

import llko.db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "een-lang-wachtwoord"

# One provider, P1 Zonnetje, with two requests (today 02/11/2026, deadline 14 days): R1 (child K1) received 01/10,
# approved and answered 10/10 (deadline 15/10: in time); R2 (K2) received 25/10, still 'nieuw' (deadline 08/11).
ZONNETJE_EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord
R1;K1;P1;Zonnetje;01/10/2026;goedgekeurd;10/10/2026;10/10/2026
R2;K2;P1;Zonnetje;25/10/2026;nieuw;25/10/2026;
"""


# --- a database at an older revision of the schema ---------------------------------------------------------------

def alembic_config() -> Config:
    """Alembic's configuration for the app's migrations (db/migrations)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(llko.db.MIGRATIONS))
    return cfg


def database_at(revision: str, path):
    """A new SQLite database in the file `path`, migrated up to `revision` and no further: the schema an older
    version of the app left behind, to fill as that version would before the app upgrades it. Returns its engine
    (the caller disposes of it; conftest disposes of every engine a test made at its end in any case)."""
    engine = llko.db.make_engine(f"sqlite:///{path}")  # looked up at the call: conftest tracks the engines made
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except BaseException:
        engine.dispose()
        raise
    return engine


def downgraded(engine, revision: str) -> None:
    """Take this (migrated) database back down to `revision`, as the migrations' downgrades leave it."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


# --- reading the database ----------------------------------------------------------------------------------------

def rows(engine, sql: str) -> list[tuple]:
    """The rows this SQL statement selects, as tuples."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def count(engine, table: str) -> int:
    """The number of rows in this table."""
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def audit_actions(engine, actor: str | None = None) -> list[str]:
    """The actions in the audit log, in the order written: every one, or only this actor's."""
    sql, params = "SELECT action FROM audit_log", {}
    if actor is not None:
        sql, params = sql + " WHERE actor = :a", {"a": actor}
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(sql + " ORDER BY id"), params)]


def audited(engine, action: str) -> list[tuple[str, dict]]:
    """(actor, detail as a dict) of every audit entry of this action, in the order written."""
    return [(actor, json.loads(detail)) for actor, detail in
            rows(engine, f"SELECT actor, detail FROM audit_log WHERE action = '{action}' ORDER BY id")]


def described(engine, action: str) -> list[str]:
    """Every audit entry of this action in words, as the Audit page shows it, in the order written."""
    from llko import audit

    return [audit.describe(action, d) for (d,) in
            rows(engine, f"SELECT detail FROM audit_log WHERE action = '{action}' ORDER BY id")]


def round_contract(engine, round_id: int) -> dict:
    """The compliance contract of this advice round as it stands (fixed: as it was fixed; open: as of now)."""
    from llko.compliance import rounds

    current = rounds.by_id(engine, round_id)
    return rounds.contract(current, rounds.standing(engine, current))


# --- small towns -------------------------------------------------------------------------------------------------

def town_of(engine, export: str, day: date, *provider_accounts: tuple[str, str, str]):
    """A small town: `export` imported as of `day`, then the coordinator 'coord' ("Coord") and, for every
    (username, name, provider id), an account of that one provider; every password PASSWORD. Returns the engine."""
    from llko.accounts import auth
    from llko.requests.importer import import_file

    assert import_file(engine, export.encode(), "e.csv", day, "test").ok
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", PASSWORD)
    for username, name, provider_id in provider_accounts:
        auth.create_user(engine, "test", username, name, "provider", PASSWORD, (provider_id,))
    return engine


# --- the command line --------------------------------------------------------------------------------------------

def cli(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m llko ARGS` as a child process from the repository root against db_url (stdin: this text, or
    empty)."""
    env = {**os.environ, "LLKO_DATABASE_URL": db_url, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "llko", *args], cwd=ROOT, env=env, input=stdin if stdin is not None else "",
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )


def in_process(capsys):
    """`python -m llko ARGS` in this process: a function of ARGS that returns (exit code, stdout, stderr), the
    output as pytest's capsys caught it. The caller sets the environment (LLKO_DATABASE_URL, LLKO_TODAY)."""
    from llko.cli import main

    def cli(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return cli


# --- files and pages ---------------------------------------------------------------------------------------------

def words(pdf: bytes) -> str:
    """All the text of a PDF, whitespace folded to single spaces."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def labelled(elements, label):
    """The widget (of an AppTest run) with this label."""
    return next(e for e in elements if e.label == label)
