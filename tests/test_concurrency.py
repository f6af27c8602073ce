"""Concurrent writes: an import while users save edits loses nothing; a stale edit is refused, not overwritten."""

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from apptest import errors, page
from llko.accounts import auth, sessions
from llko.accounts import queries as account_queries
from llko.requests import importer, queries, sql_rules
from llko.db import DatabaseBusy, retry_when_busy


def export_csv(rows: int, status: str = "nieuw") -> bytes:
    lines = ["aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status"]
    lines += [f"A{i:06d};K{i % 4000:05d};KO-{i % 60:03d};Opvang {i % 60};01/10/2026;{status};01/10/2026"
              for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_retry_waits_out_a_busy_database_and_then_gives_a_dutch_message():
    calls = []

    @retry_when_busy(first_wait=0.001)
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        return "klaar"

    assert flaky() == "klaar" and len(calls) == 3

    @retry_when_busy(attempts=3, first_wait=0.001)
    def always_locked():
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    with pytest.raises(DatabaseBusy, match="probeer het zo meteen opnieuw"):
        always_locked()

    @retry_when_busy(first_wait=0.001)
    def other_error():
        raise OperationalError("SELECT", {}, Exception("no such table: x"))

    with pytest.raises(OperationalError):
        other_error()


def test_import_and_account_edits_at_the_same_time_lose_no_write(engine):
    for i in range(3):
        auth.create_user(engine, "test", f"editor{i}", f"Editor {i}", "policy", "een-lang-wachtwoord")
    failures: list[BaseException] = []
    results = {}

    def run_import():
        try:
            results["import"] = importer.import_file(engine, export_csv(8000), "groot.csv", date(2026, 11, 1), "coordinator")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            failures.append(exc)

    def edit(i: int):
        try:
            for n in range(15):
                auth.update_user(engine, "coordinator", f"editor{i}", name=f"Editor {i} v{n}", email="", role="policy",
                                 active=True, provider_ids=())
                assert not sessions.sign_in(engine, f"editor{i}", "fout-wachtwoord").token
                assert sessions.sign_in(engine, f"editor{i}", "een-lang-wachtwoord").token
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=run_import)] + [threading.Thread(target=edit, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    assert results["import"].ok
    users = account_queries.users(engine).set_index("username")
    for i in range(3):
        assert users.loc[f"editor{i}", "name"] == f"Editor {i} v14"
        assert users.loc[f"editor{i}", "version"] == 16
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM requests")).scalar() == 8000
        audit = conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'user_updated'")).scalar()
    assert audit == 45


def test_second_editor_of_the_same_account_gets_a_conflict_not_an_overwrite(engine):
    auth.create_user(engine, "test", "gedeeld", "Gedeeld", "policy", "een-lang-wachtwoord")
    seen = int(account_queries.users(engine).set_index("username").loc["gedeeld", "version"])
    auth.update_user(engine, "eerste", "gedeeld", name="Eerste", email="", role="policy", active=True,
                     provider_ids=(), version=seen)
    with pytest.raises(auth.EditConflict, match="door iemand anders gewijzigd"):
        auth.update_user(engine, "tweede", "gedeeld", name="Tweede", email="", role="policy", active=True,
                         provider_ids=(), version=seen)
    assert account_queries.users(engine).set_index("username").loc["gedeeld", "name"] == "Eerste"


def test_gebruikers_page_reports_a_concurrent_change(db_url, app_env, engine):
    app_env(db_url)
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", "een-lang-wachtwoord")
    auth.create_user(engine, "test", "gedeeld", "Gedeeld", "policy", "een-lang-wachtwoord")
    at = page("views/gebruikers.py", "coord").run()
    at.selectbox(key="edit_user").select("gedeeld").run()
    # Meanwhile another coordinator saves the same account.
    auth.update_user(engine, "ander", "gedeeld", name="Door een ander", email="", role="policy", active=True,
                     provider_ids=())
    form_name = [t for t in at.text_input if t.value == "Gedeeld"][0]
    form_name.input("Mijn versie")
    [b for b in at.button if b.label == "Wijzigingen bewaren"][0].click().run()
    assert any("door iemand anders gewijzigd" in e for e in errors(at))
    assert account_queries.users(engine).set_index("username").loc["gedeeld", "name"] == "Door een ander"


def test_two_snapshots_imported_at_the_same_time_keep_the_newest_state_and_the_earliest_answer(engine):
    """A scheduled import and a coordinator's upload of an older snapshot of the same requests, at once:
    whichever commits first, the newest state wins and the answer date is the earliest answer seen (R2)."""
    def snapshot(status: str, day: str) -> bytes:
        lines = ["aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status"]
        lines += [f"A{i:05d};K{i:05d};KO-{i % 30:03d};01/10/2026;{status};{day}" for i in range(3000)]
        return ("\n".join(lines) + "\n").encode()

    start = threading.Barrier(2)
    results, failures = [], []

    def run(content, as_of):
        try:
            start.wait()
            results.append(importer.import_file(engine, content, f"{as_of}.csv", as_of, "test"))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            failures.append(exc)

    jobs = [(snapshot("goedgekeurd", "20/10/2026"), date(2026, 10, 21)),
            (snapshot("in behandeling", "05/10/2026"), date(2026, 10, 6))]
    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and len(results) == 2 and all(r.ok for r in results)
    stored = queries.requests(engine)
    assert set(stored["status"]) == {"goedgekeurd"}
    assert set(stored["answer_date"].dt.date) == {date(2026, 10, 5)}
    counts = sql_rules.provider_counts(engine, date(2026, 11, 1))
    assert counts["approved"].sum() == 3000 and counts["answered_in_time"].sum() == 3000


def test_the_same_file_uploaded_twice_at_once_is_imported_once(engine):
    """A double click, or two coordinators with the same export: one import, one 'al geïmporteerd'."""
    content = export_csv(2000)
    start = threading.Barrier(2)
    results, failures = [], []

    def run():
        try:
            start.wait()
            results.append(importer.import_file(engine, content, "dubbel.csv", date(2026, 11, 1), "coordinator"))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and sorted(r.ok for r in results) == [False, True]
    refused = next(r for r in results if not r.ok)
    assert "al geïmporteerd" in refused.problems[0].message
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM import_runs")).scalar_one() == 1
