"""The demo town: counts, R1-R5 situations for the dashboard to show, date consistency, determinism."""

import json
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import text

from llko import bootstrap
from llko.requests import rules
from llko.requests import statuses
from llko.bootstrap import migrate
from llko.db import get_setting, make_engine
from llko.demo import build_demo_town
from llko.requests.importer import import_file
from tests.helpers import ZONNETJE_EXPORT, rows

TODAY = date(2026, 11, 1)
DATE_COLUMNS = ("received", "desired_start", "status_date", "answer_date", "answer_date_reported", "snapshot_date")


def _dates(series: pd.Series) -> pd.Series:
    """Dates as datetime64, whether the driver gave date objects (PostgreSQL) or ISO strings (SQLite)."""
    return pd.to_datetime(series.map(lambda v: None if v is None or v != v else str(v)), format="ISO8601")


def load_requests(engine) -> pd.DataFrame:
    df = pd.read_sql(text("SELECT * FROM requests ORDER BY id"), engine)
    for column in DATE_COLUMNS:
        df[column] = _dates(df[column])
    return df


def load_history(engine) -> pd.DataFrame:
    sql = "SELECT request_id, status, status_date, snapshot_date, import_run_id FROM status_history"
    df = pd.read_sql(text(sql), engine)
    for column in ("status_date", "snapshot_date"):
        df[column] = _dates(df[column])
    return df


def ends_at_most_once_and_last(path: pd.Series) -> bool:
    """A status path has at most one end status (R1), and nothing follows it."""
    ends = path.isin(statuses.CLOSED)
    return ends.sum() == 0 or (ends.sum() == 1 and bool(ends.iloc[-1]))


def scalar(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


@pytest.fixture
def town(engine):
    """The demo town built once into the test database: (counts, requests frame, classified frame)."""
    counts = build_demo_town(engine, TODAY)
    requests = load_requests(engine)
    return counts, requests, rules.classify(requests, TODAY)


def test_counts_are_in_range_and_match_the_database(engine, town):
    counts, requests, _ = town
    assert 13 <= counts["providers"] <= 17
    # 1 January 2024 to 1 November 2026: 1,035 days at about 2.4 families a day, who ask 1 to 4 providers each
    assert 2300 <= counts["children"] <= 2700
    assert 5300 <= counts["requests"] <= 7000
    assert counts["providers"] == scalar(engine, "SELECT COUNT(*) FROM providers")
    assert counts["requests"] == len(requests)
    assert counts["children"] == requests["child_id"].nunique()
    assert counts["status_changes"] == scalar(engine, "SELECT COUNT(*) FROM status_history")
    kinds = pd.read_sql(text("SELECT kind, COUNT(*) AS n FROM providers GROUP BY kind"), engine)
    assert set(kinds["kind"]) == {"groepsopvang", "gezinsopvang"}

def test_the_history_covers_the_two_calendar_years_before_this_one_month_by_month(town):
    """Trends and last year's report show something real: requests in every month since January 2024, the
    years alike in size (a demo town does not grow fivefold), and nothing before."""
    _, requests, _ = town
    months = requests["received"].dt.strftime("%Y-%m").value_counts()
    expected = pd.period_range("2024-01", "2026-11", freq="M").strftime("%Y-%m")
    assert set(months.index) == set(expected)
    assert (months.loc[[m for m in expected if m != "2026-11"]] >= 120).all()  # 2.4 a day, 1-4 requests each
    per_year = requests["received"].dt.year.value_counts()
    assert 0.8 <= per_year[2024] / per_year[2025] <= 1.25


def test_ids_look_like_opvang_vlaanderen(engine, town):
    _, requests, _ = town
    providers = pd.read_sql(text("SELECT id FROM providers"), engine)
    assert providers["id"].str.fullmatch(r"KO-\d{6}").all()
    assert requests["id"].str.fullmatch(r"A\d{4}-\d{6}").all()
    assert requests["child_id"].str.fullmatch(r"K-[0-9A-F]{6}").all()


def test_families_are_varied(town):
    _, requests, _ = town
    per_child = requests.groupby("child_id")
    assert per_child["provider_id"].count().between(1, 4).all()
    assert (per_child["vulnerable"].nunique(dropna=False) == 1).all()  # a family property
    families = requests.drop_duplicates("child_id")
    vulnerable = families["vulnerable"]
    assert 0.20 <= (vulnerable == True).mean() <= 0.30  # noqa: E712  (None is neither)
    assert vulnerable.isna().any()
    assert set(requests["days_per_week"]) <= {2, 2.5, 3, 4, 5}
    wait = (requests["desired_start"] - requests["received"]).dt.days
    assert wait.between(28, 9 * 31).all()


def test_the_dashboard_has_something_to_show(town):
    _, requests, classified = town
    t = pd.Timestamp(TODAY)
    assert classified["overdue"].sum() > 0  # R2
    assert classified["due_soon"].sum() > 0  # R2
    overdue_status = set(classified.loc[classified["overdue"], "status"])
    assert {statuses.NEW, statuses.RECEIVED} <= overdue_status  # also acknowledged only, past the deadline
    fresh = classified["received"] >= t - pd.Timedelta(days=3)
    assert (classified["is_open"] & (classified["status"] == statuses.NEW) & fresh).any()
    assert classified["closed_elsewhere"].sum() > 0  # R3, still open in the export
    assert len(rules.children_unmet(requests)) > 0  # R5
    todos = rules.followups(classified, TODAY)  # R4
    assert set(todos["todo"]) == {"herinnering", "afsluiten"}
    assert set(requests["status"]) == set(statuses.ALL)


def test_some_providers_are_clearly_late(town):
    _, _, classified = town
    rates = classified.groupby("provider_id").apply(lambda g: rules.in_time_rate(g, TODAY, days=180))
    assert rates.max() >= 0.9
    assert rates.min() <= rates.max() - 0.4
    assert (rates < 0.6).sum() >= 2


def test_onthaalouders_get_fewer_requests(engine, town):
    _, requests, _ = town
    kinds = pd.read_sql(text("SELECT id, kind FROM providers"), engine).set_index("id")["kind"]
    per_provider = requests.groupby("provider_id").size()
    per_kind = per_provider.groupby(kinds.reindex(per_provider.index)).mean()
    assert per_kind["gezinsopvang"] < per_kind["groepsopvang"] / 2


def test_dates_are_consistent(town):
    _, requests, _ = town
    t = pd.Timestamp(TODAY)
    answered = requests[requests["answer_date"].notna()]
    assert (requests["received"] <= requests["status_date"]).all()
    assert (requests["status_date"] <= t).all()
    assert (answered["received"] <= answered["answer_date"]).all()
    assert (answered["answer_date"] <= answered["status_date"]).all()
    assert (requests["snapshot_date"] == t).all()
    assert requests["import_run_id"].isna().all()
    assert requests["answer_date_reported"].isna().all()
    assert set(requests["status"]) <= set(statuses.ALL)


def test_history_matches_the_requests(engine, town):
    _, requests, _ = town
    history = load_history(engine).sort_values(["request_id", "status_date"])
    assert not history.duplicated(["request_id", "status_date"]).any()  # one status per daily snapshot
    assert (history["snapshot_date"] == history["status_date"]).all()
    assert history["import_run_id"].isna().all()
    per_request = history.groupby("request_id")
    last = per_request.last()
    first_answer = history[history["status"].isin(statuses.ANSWER)].groupby("request_id")["status_date"].min()
    r = requests.set_index("id")
    assert set(last.index) == set(r.index)
    assert (last["status"] == r["status"].reindex(last.index)).all()
    assert (last["status_date"] == r["status_date"].reindex(last.index)).all()
    assert (per_request["status_date"].min() == r["received"].reindex(last.index)).all()
    pd.testing.assert_series_equal(
        first_answer.reindex(r.index), r["answer_date"], check_names=False, check_freq=False
    )  # R2: the answer is the first answer status
    assert per_request["status"].apply(ends_at_most_once_and_last).all()


def test_setting_and_audit_entry(engine, town):
    counts, _, _ = town
    assert get_setting(engine, "demo") == "1"
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, action, detail FROM audit_log")).all()
    assert [(actor, action) for actor, action, _ in rows] == [("systeem", "demo_built")]
    assert json.loads(rows[0][2]) == counts
    assert scalar(engine, "SELECT COUNT(*) FROM users") == 0


def test_same_seed_and_day_give_the_same_town(town, tmp_path):
    _, requests, _ = town
    other = make_engine(f"sqlite:///{tmp_path / 'second.sqlite3'}")
    try:
        migrate(other)
        build_demo_town(other, TODAY)
        again = load_requests(other)
    finally:
        other.dispose()
    requests = requests.assign(vulnerable=requests["vulnerable"].astype("boolean"))
    again = again.assign(vulnerable=again["vulnerable"].astype("boolean"))
    pd.testing.assert_frame_equal(requests, again, check_dtype=False)


def test_another_seed_gives_another_town():
    from llko.demo import generate_town

    first, second = generate_town(TODAY, seed=7), generate_town(TODAY, seed=8)
    assert first.requests != second.requests
    assert generate_town(TODAY, seed=7).requests == first.requests
    shifted = generate_town(TODAY + timedelta(days=30), seed=7)
    assert min(r["received"] for r in first.requests) == date(2024, 1, 1)
    assert max(r["received"] for r in shifted.requests) == TODAY + timedelta(days=30)
    assert min(r["received"] for r in generate_town(date(2027, 1, 5)).requests) == date(2025, 1, 1)


def test_refuses_a_database_that_is_not_empty(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO providers (id, name, kind, created_at) VALUES "
                          "('KO-000001', 'Bestaande opvang', 'groepsopvang', CURRENT_TIMESTAMP)"))
    with pytest.raises(ValueError):
        build_demo_town(engine, TODAY)
    assert scalar(engine, "SELECT COUNT(*) FROM providers") == 1
    for table in ("requests", "status_history", "settings", "audit_log"):
        assert scalar(engine, f"SELECT COUNT(*) FROM {table}") == 0


T = date(2026, 11, 2)  # the day of the import and of the start-up below


def test_the_demo_town_fills_only_an_empty_database(engine, tmp_path):
    """The embedded default database gets the demo town once, while it is empty; a database with an import
    never does. Kills is_empty 1-3, 6 and 7 (is_empty runs in-process nowhere else: the CLI calls it in a
    subprocess)."""
    assert bootstrap.is_empty(engine)
    assert import_file(engine, ZONNETJE_EXPORT.encode(), "r.csv", T, "test").ok
    assert not bootstrap.is_empty(engine)
    bootstrap.prepare(engine, fill_demo=True, today=T)
    assert not bootstrap.is_demo(engine) and bootstrap.demo_accounts(engine) == []

    empty = make_engine(f"sqlite:///{tmp_path / 'leeg.sqlite3'}")
    try:
        bootstrap.prepare(empty, fill_demo=True, today=T)
        assert bootstrap.is_demo(empty) and not bootstrap.is_empty(empty)
    finally:
        empty.dispose()


def test_the_demo_town_knows_its_children_under_3_in_every_deelgemeente(demo_url):
    from llko.db import make_engine
    from llko.reporting.figures import figures

    engine = make_engine(demo_url)
    found = figures(engine, date(2026, 1, 1), date(2026, 11, 2))["deelgemeenten"]
    engine.dispose()
    assert set(found) == {"Ninove", "Appelterre-Eichem", "Aspelare", "Denderwindeke", "Lieferinge", "Meerbeke",
                          "Nederhasselt", "Neigem", "Okegem", "Outer", "Pollare", "Voorde"}
    assert all(d["children_under_3"] and d["places_per_100"] is not None for d in found.values())
    assert found["Ninove"]["children_under_3"] == 430  # the fictitious number of the demo, for 2026


def test_the_demo_town_has_the_mails_of_a_week_ago_one_refused(demo_url):
    """R13 in the demo: the notify run of 26/10/2026 (a week before the demo's 02/11) stored as sent, the first
    reminder refused three times, so that Meldingen shows a history and a mail to try again."""
    engine = make_engine(demo_url)
    try:
        mails = scalar(engine, "SELECT COUNT(*) FROM outbox WHERE as_of = '2026-10-26'")
        other_days = scalar(engine, "SELECT COUNT(*) FROM outbox WHERE as_of <> '2026-10-26'")
        failed = rows(engine, "SELECT kind, state, tries, error FROM outbox WHERE state <> 'sent'")
        digest = rows(engine, "SELECT recipient, state FROM outbox WHERE kind = 'overzicht'")
        strangers = scalar(engine, """SELECT COUNT(*) FROM outbox m JOIN outbox_requests n ON n.mail_id = m.id
                                      JOIN requests r ON r.id = n.request_id
                                      WHERE m.kind = 'herinnering' AND r.provider_id <> m.target""")
        too_young = scalar(engine, """SELECT COUNT(*) FROM outbox m JOIN outbox_requests n ON n.mail_id = m.id
                                      JOIN requests r ON r.id = n.request_id
                                      WHERE m.kind = 'herinnering' AND r.received > '2026-10-15'""")
    finally:
        engine.dispose()
    assert mails > 2 and other_days == 0
    assert failed == [("herinnering", "failed", 3, "de mailserver weigert het adres (550 5.1.1 mailbox unavailable)")]
    assert digest == [("kinderopvang@demo-llko.be", "sent")]
    assert strangers == 0  # a reminder names its own provider's requests only
    assert too_young == 0  # due soon at the latest on 26/10: received on 15/10 or before (15/10 + 14 = 29/10)
