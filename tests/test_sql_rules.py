"""llko.requests.sql_rules counts in the database what llko.requests.rules counts in pandas: the same answers on random
requests and a random 'today', on SQLite and on PostgreSQL."""

from datetime import date, datetime, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from sqlalchemy import insert, text

from llko.requests import rules, sql_rules
from llko.requests import statuses
from llko.requests.importer import import_file
from llko.providers.models import Provider
from llko.requests.models import Request
from llko.requests.queries import Selection
from llko.settings import DEFAULTS
from test_properties import TODAY, request_frames

SQL_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# R2 with the town's settings: Ninove's 14/3 half of the time, else any other deadline and due-soon window.
RULE_SETTINGS = hs.just(DEFAULTS) | hs.builds(lambda d, s: DEFAULTS.__class__(deadline_days=d, due_soon_days=s),
                                              hs.integers(1, 21), hs.integers(1, 5))


def days_around_the_deadlines(frame: pd.DataFrame, config=DEFAULTS):
    """A 'today' near the frame's deadlines (where overdue and due soon flip), or anywhere in TODAY."""
    if frame.empty:
        return TODAY
    edge = hs.integers(config.deadline_days - config.due_soon_days - 1, config.deadline_days + 1)
    near = hs.sampled_from(sorted(frame["received"].dt.date)).flatmap(
        lambda received: edge.map(lambda days: received + pd.Timedelta(days=days).to_pytimedelta()))
    return near | TODAY


def store(engine, frame: pd.DataFrame, config=DEFAULTS) -> None:
    """Replace every request and provider in the database by those of the frame, with these settings stored."""
    def day(value):
        return None if pd.isna(value) else value.date()

    with engine.begin() as conn:
        for table in ("requests", "provider_summary", "providers", "settings"):
            conn.execute(text(f"DELETE FROM {table}"))
        for key in ("deadline_days", "due_soon_days"):
            conn.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"), {"k": key, "v": str(getattr(config, key))})
        providers = sorted(set(frame["provider_id"]))
        if providers:
            conn.execute(insert(Provider), [{"id": p, "name": p.upper(), "created_at": datetime.now(timezone.utc)}
                                            for p in providers])
        if len(frame):
            conn.execute(insert(Request), [
                {"id": r.id, "child_id": r.child_id, "provider_id": r.provider_id, "received": day(r.received),
                 "status": r.status, "status_date": day(r.status_date), "answer_date": day(r.answer_date),
                 "snapshot_date": date(2026, 11, 1)} for r in frame.itertuples()])
        sql_rules.refresh_summary(conn)


def same_rate(got, want) -> bool:
    return got is None and want is None or got == pytest.approx(want)


def assert_counts(got: pd.DataFrame, classified: pd.DataFrame) -> None:
    """SQL counts per provider == the pandas rules' counts (plus due_soon) of these classified requests."""
    if classified.empty:
        assert got.empty
        return
    want = rules.provider_counts(classified)
    want["due_soon"] = classified.groupby("provider_id")["due_soon"].sum().astype(int)
    pd.testing.assert_frame_equal(got[list(want.columns)].sort_index(), want.sort_index(),
                                  check_names=False, check_dtype=False)


@SQL_SETTINGS
@given(frame=request_frames(), data=hs.data())
def test_counts_in_sql_equal_the_pandas_rules(engine, frame, data):
    config = data.draw(RULE_SETTINGS)
    today = data.draw(days_around_the_deadlines(frame, config))
    store(engine, frame, config)
    classified = rules.classify(frame, today, settings=config)
    assert_counts(sql_rules.provider_counts(engine, today, settings=config), classified)
    assert sql_rules.children_unmet(engine) == len(rules.children_unmet(frame))
    assert same_rate(sql_rules.in_time_rate(engine, today, settings=config), rules.in_time_rate(classified, today))
    totals = sql_rules.open_counts(engine, today, settings=config)
    assert totals == {k: int(classified[flag].sum()) for k, flag in
                      [("open", "is_open"), ("overdue", "overdue"), ("due_soon", "due_soon"),
                       ("closed_elsewhere_approved", "closed_elsewhere")]}


@SQL_SETTINGS
@given(frame=request_frames(), data=hs.data())
def test_one_providers_counts_and_lists_in_sql_equal_the_pandas_rules(engine, frame, data):
    """A provider's page: only its requests, but R3 still sees approvals at every provider."""
    config = data.draw(RULE_SETTINGS)
    today = data.draw(days_around_the_deadlines(frame, config))
    store(engine, frame, config)
    classified = rules.classify(frame, today, settings=config)
    provider = data.draw(hs.sampled_from(sorted(set(frame["provider_id"])) or ["p0"]))
    mine = classified[classified["provider_id"] == provider]
    selection = Selection(provider_ids=(provider,))
    assert_counts(sql_rules.provider_counts(engine, today, selection, config), mine)
    assert same_rate(sql_rules.in_time_rate(engine, today, selection, settings=config), rules.in_time_rate(mine, today))
    for which in ("overdue", "due_soon"):
        rows = sql_rules.open_request_rows(engine, today, which, selection, settings=config)
        assert list(rows["id"]) == list(mine[mine[which]].sort_values(["received", "id"])["id"])
    waiting = sql_rules.open_request_rows(engine, today, "waiting", selection, settings=config)
    assert set(waiting["id"]) == set(mine.loc[mine["is_open"] & ~mine["answered"] & ~mine["overdue"], "id"])
    followups = sql_rules.open_request_rows(engine, today, "followups", selection, settings=config)
    assert set(followups["id"]) == set(rules.followups(mine, today)["id"])


def test_imports_keep_the_summary_equal_to_counting_every_request(engine):
    """provider_summary and summary_figures, rebuilt by every import, equal a count over all requests."""
    first = ("aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status\n"
             "A1;K1;P1;01/09/2026;nieuw;01/09/2026\nA2;K1;P2;02/09/2026;nieuw;02/09/2026\n"
             "A3;K2;P1;03/09/2026;opvangplan niet mogelijk;10/09/2026\n")
    later = first.replace("A2;K1;P2;02/09/2026;nieuw;02/09/2026", "A2;K1;P2;02/09/2026;goedgekeurd;20/09/2026")
    day = date(2026, 10, 1)
    every_status = Selection(statuses=tuple(sorted(statuses.ALL)))  # everything, but counted live
    for content, as_of in [(first, date(2026, 9, 15)), (later, date(2026, 9, 30))]:
        assert import_file(engine, content.encode(), f"{as_of}.csv", as_of, "test").ok
        summary = sql_rules.provider_counts(engine, day)
        pd.testing.assert_frame_equal(summary.sort_index(), sql_rules.provider_counts(engine, day, every_status).sort_index())
    assert summary.loc["P2", "approved"] == 1 and summary.loc["P1", "closed_elsewhere_approved"] == 1  # R3
    assert sql_rules.children_unmet(engine) == 1  # K2 (R5)


@SQL_SETTINGS
@given(frame=request_frames(), data=hs.data())
def test_a_selection_by_status_and_period_counts_what_the_filtered_frame_counts(engine, frame, data):
    """The Aanvragen page's filters: counts over the chosen statuses and period; R3 looks beyond them."""
    config = data.draw(RULE_SETTINGS)
    today = data.draw(days_around_the_deadlines(frame, config))
    store(engine, frame, config)
    statuses = tuple(data.draw(hs.sets(hs.sampled_from(sorted(set(frame["status"])) or ["nieuw"]), min_size=1)))
    start = data.draw(hs.dates(date(2026, 1, 1), date(2026, 12, 31)))
    end = data.draw(hs.dates(start, date(2026, 12, 31)))
    classified = rules.classify(frame, today, settings=config)
    chosen = classified[classified["status"].isin(statuses) & (classified["received"] >= pd.Timestamp(start))
                        & (classified["received"] <= pd.Timestamp(end))]
    assert_counts(sql_rules.provider_counts(engine, today, Selection(statuses=statuses, received_from=start,
                                                                      received_until=end), config), chosen)
