"""The figures contract (DESIGN.md "The figures contract"): a hand-worked town whose every figure is written here,
worked out by hand from the table below, and the counts the database makes proved equal to the plain pandas
statement of them on random requests (SQLite and PostgreSQL).

The town, period F = 01/11/2025 .. T = 31/01/2026 (deadline 14 days):

| req | child | prov | received   | status                   | status date | answer     | vuln | notes
| R1  | K1    | P1   | 01/11/2025 | goedgekeurd              | 10/11/2025  | 10/11/2025 | ja   | 9 days, in time
| R2  | K1    | P2   | 05/11/2025 | in behandeling           | 06/11/2025  | 06/11/2025 | ja   | R3: closed elsewhere; 1 day
| R3  | K2    | P1   | 30/11/2025 | opvangplan niet mogelijk | 20/12/2025  | 20/12/2025 | nee  | 20 days, late
| R4  | K2    | P2   | 01/12/2025 | geannuleerd door ouder   | 03/12/2025  | -          | nee  |
| R5  | K3    | P2   | 31/12/2025 | nieuw                    | 31/12/2025  | -          |      | R3: K3 approved by R6
| R6  | K3    | P2   | 31/10/2025 | goedgekeurd              | 05/11/2025  | 05/11/2025 |      | outside F (a day before)
| R7  | K4    | P3   | 31/01/2026 | opvangplan niet mogelijk | 31/01/2026  | 31/01/2026 | ja   | 0 days; on T
| R8  | K4    | P1   | 01/02/2026 | nieuw                    | 01/02/2026  | -          | ja   | outside T (a day after)
| R9  | K5    | P3   | 15/01/2026 | geannuleerd door opvang  | 30/01/2026  | 30/01/2026 | nee  | 15 days, late
| R10 | K6    | P1   | 20/01/2026 | vraag ontvangen          | 21/01/2026  | 21/01/2026 |      | an acknowledgement: no answer

Providers: P1 Okegem, 18 places, working; P2 Okegem, 6 places, stopped on 31/01/2026 (= T: not working on T);
P3 (no deelgemeente: 'onbekend'), 10 places, started 01/02/2026 (after T: not working on T).
Population: Okegem 2025: 150, 2026: 160 (T's year: 160); Voorde 2027: 90 (after T's year: unknown), no provider.
Vacancies reported: 01/11/2025 (2 places), 31/01/2026 (1 place), 01/02/2026 (3 places, outside).
"""

from datetime import date, datetime, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from sqlalchemy import insert, text

from llko.providers.models import Provider
from llko.reporting import figures as figures_module
from llko.reporting.figures import answer_stats, figures, reference
from llko.reporting.models import Population
from llko.requests.models import Request
from llko.settings import DEFAULTS
from llko.vacancies.models import VacancyRecord

F, T = date(2025, 11, 1), date(2026, 1, 31)
REQUESTS = [  # id, child, provider, received, status, status date, answer, vulnerable
    ("R1", "K1", "P1", "2025-11-01", "goedgekeurd", "2025-11-10", "2025-11-10", True),
    ("R2", "K1", "P2", "2025-11-05", "in behandeling", "2025-11-06", "2025-11-06", True),
    ("R3", "K2", "P1", "2025-11-30", "opvangplan niet mogelijk", "2025-12-20", "2025-12-20", False),
    ("R4", "K2", "P2", "2025-12-01", "geannuleerd door ouder", "2025-12-03", None, False),
    ("R5", "K3", "P2", "2025-12-31", "nieuw", "2025-12-31", None, None),
    ("R6", "K3", "P2", "2025-10-31", "goedgekeurd", "2025-11-05", "2025-11-05", None),
    ("R7", "K4", "P3", "2026-01-31", "opvangplan niet mogelijk", "2026-01-31", "2026-01-31", True),
    ("R8", "K4", "P1", "2026-02-01", "nieuw", "2026-02-01", None, True),
    ("R9", "K5", "P3", "2026-01-15", "geannuleerd door opvang", "2026-01-30", "2026-01-30", False),
    ("R10", "K6", "P1", "2026-01-20", "vraag ontvangen", "2026-01-21", "2026-01-21", None),
]
PROVIDERS = [  # id, district, licensed places, started, stopped
    ("P1", "Okegem", 18, None, None), ("P2", "Okegem", 6, "2020-01-01", "2026-01-31"),
    ("P3", "", 10, "2026-02-01", None)]


def day(value):
    return None if value is None else date.fromisoformat(value)


def store(engine, requests, providers=(), population=(), vacancies=()) -> None:
    """Replace the requests, providers, population and vacancies by these."""
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        for table in ("vacancy_history", "vacancies", "requests", "provider_summary", "population", "providers"):
            conn.execute(text(f"DELETE FROM {table}"))
        known = {p[0] for p in providers} | {r[2] for r in requests}
        given_ = {p[0]: p for p in providers}
        if known:
            conn.execute(insert(Provider), [
                {"id": p, "name": p, "created_at": now, "district": given_.get(p, (p, None))[1] or None,
                 "licensed_places": given_[p][2] if p in given_ else None,
                 "started_on": day(given_[p][3]) if p in given_ else None,
                 "stopped_on": day(given_[p][4]) if p in given_ else None} for p in sorted(known)])
        if requests:
            conn.execute(insert(Request), [
                {"id": r[0], "child_id": r[1], "provider_id": r[2], "received": day(r[3]), "status": r[4],
                 "status_date": day(r[5]), "answer_date": day(r[6]), "vulnerable": r[7],
                 "snapshot_date": date(2026, 2, 1)} for r in requests])
        if population:
            conn.execute(insert(Population), [{"district": d, "year": y, "children_under_3": n}
                                               for d, y, n in population])
        if vacancies:
            conn.execute(insert(VacancyRecord), [
                {"provider_id": p, "start_date": day(on), "reported_on": day(on), "confirmed_on": day(on),
                 "weekdays": "ma", "places": n} for p, on, n in vacancies])


def zero(**counts) -> dict:
    return {"received": 0, "answered": 0, "answered_in_time": 0, "open": 0, "closed_elsewhere_approved": 0,
            "not_possible": 0, "approved": 0, "cancelled_by_provider": 0, "cancelled_by_parent": 0, **counts}


EXPECTED = {
    "from": "2025-11-01", "to": "2026-01-31",
    # R1..R5, R7, R9, R10 (R6 and R8 fall outside). Answered (R2): R1, R2, R3, R7, R9 — R10's 'vraag ontvangen'
    # is no answer. In time: R1 (9 d), R2 (1 d), R7 (0 d); late: R3 (20 d), R9 (15 d). Open: R10 only; R2 and R5
    # are closed by their child's approval (K1's R1, K3's R6 — outside the period, in its latest state all the
    # same). Current statuses: 2 niet mogelijk, 1 goedgekeurd, 1 by the provider, 1 by the parents.
    "requests": zero(received=8, answered=5, answered_in_time=3, open=1, closed_elsewhere_approved=2,
                     not_possible=2, approved=1, cancelled_by_provider=1, cancelled_by_parent=1),
    "months": {
        "2025-11": zero(received=3, answered=3, answered_in_time=2, closed_elsewhere_approved=1, not_possible=1,
                        approved=1),  # R1, R2, R3 (30/11: the month's last day)
        "2025-12": zero(received=2, closed_elsewhere_approved=1, cancelled_by_parent=1),  # R4, R5 (31/12)
        "2026-01": zero(received=3, answered=2, answered_in_time=1, open=1, not_possible=1,
                        cancelled_by_provider=1),  # R7 (31/01 = T), R9, R10
    },
    # K1..K6 have a request in the period (K3 through R5, K4 through R7). Looking at all of their requests:
    # approved K1 (R1), K3 (R6, outside the period: it still counts); waiting: not approved and one open:
    # K4 (R8 open, outside the period), K6 (R10); unmet (all closed, one niet mogelijk, none approved): K2;
    # K5 only cancelled by the provider: neither. K2's requests say nee: no vulnerable unmet child.
    "children": {"requesting": 6, "approved": 2, "waiting": 2, "unmet": 1, "unmet_vulnerable": 0},
    # days to answer: 0, 1, 9, 15, 20 -> median 9 (odd count), p90 = the ceil(4.5) = 5th smallest = 20
    "answer_days": {"median": 9.0, "p90": 20},
    "deelgemeenten": {
        # Okegem: P1 (R1, R3, R10) and P2 (R2, R4, R5): 6 received, 1 niet mogelijk (R3), 1 approved (R1);
        # places: P1's 18 (P2 stopped on T); 2026's population 160: 18 * 100 / 160 = 11.25
        "Okegem": {"received": 6, "not_possible": 1, "approved": 1, "places": 18, "children_under_3": 160,
                   "places_per_100": 11.25},
        "Voorde": {"received": 0, "not_possible": 0, "approved": 0, "places": 0, "children_under_3": None,
                   "places_per_100": None},
        # P3 without a deelgemeente: R7, R9; not working on T (starts 01/02/2026)
        "onbekend": {"received": 2, "not_possible": 1, "approved": 0, "places": 0, "children_under_3": None,
                     "places_per_100": None},
    },
    "vacancies": {"reported": 2, "places": 3, "months": {"2025-11": {"reported": 1, "places": 2},
                                                        "2025-12": {"reported": 0, "places": 0},
                                                        "2026-01": {"reported": 1, "places": 1}}},
    "providers": {
        "P1": zero(received=3, answered=2, answered_in_time=1, open=1, not_possible=1, approved=1),
        "P2": zero(received=3, answered=1, answered_in_time=1, closed_elsewhere_approved=2, cancelled_by_parent=1),
        "P3": zero(received=2, answered=2, answered_in_time=1, not_possible=1, cancelled_by_provider=1),
    },
}


@pytest.fixture
def town(engine):
    store(engine, REQUESTS, PROVIDERS, [("Okegem", 2025, 150), ("Okegem", 2026, 160), ("Voorde", 2027, 90)],
          [("P1", "2025-11-01", 2), ("P2", "2026-01-31", 1), ("P1", "2026-02-01", 3)])
    return engine


def test_the_figures_of_the_hand_worked_town(town):
    assert figures(town, F, T) == EXPECTED


def test_the_command_prints_the_contract(town, db_url, monkeypatch, capsys):
    import json

    from llko.cli import main

    monkeypatch.setenv("LLKO_DATABASE_URL", db_url)
    assert main(["figures", "--from", "2025-11-01", "--to", "31/01/2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED
    assert main(["figures", "--from", "2026-02-01", "--to", "2026-01-31", "--json"]) == 1
    assert "begindatum" in capsys.readouterr().err


def test_an_even_count_takes_the_mean_of_the_two_middle_values_and_p90_the_nearest_rank():
    assert answer_stats({}) == {"median": None, "p90": None}
    assert answer_stats({3: 1, 8: 1}) == {"median": 5.5, "p90": 8}  # ceil(1.8) = 2nd
    assert answer_stats({1: 5, 2: 5}) == {"median": 1.5, "p90": 2}  # 10 values: 5th and 6th; 9th
    assert answer_stats({1: 9, 50: 1}) == {"median": 1.0, "p90": 1}  # 10 values: the 9th is still 1
    assert answer_stats({1: 8, 50: 2}) == {"median": 1.0, "p90": 50}


# --- the database counts what the pandas statement counts -----------------------------------------------------

DAYS = hs.dates(date(2025, 10, 1), date(2026, 3, 31))


@hs.composite
def towns(draw):
    children = [f"k{i}" for i in range(draw(hs.integers(1, 6)))]
    providers = [f"p{i}" for i in range(draw(hs.integers(1, 4)))]
    rows = []
    for i in range(draw(hs.integers(0, 30))):
        received = draw(DAYS)
        answer = draw(hs.none() | hs.integers(0, 40).map(lambda d, r=received: r + pd.Timedelta(days=d).to_pytimedelta()))
        rows.append((f"a{i}", draw(hs.sampled_from(children)), draw(hs.sampled_from(providers)), received.isoformat(),
                     draw(hs.sampled_from(("nieuw", "vraag ontvangen", "in behandeling", "opvangplan niet mogelijk",
                                           "goedgekeurd", "geannuleerd door opvang", "geannuleerd door ouder"))),
                     received.isoformat(), answer.isoformat() if answer else None,
                     draw(hs.sampled_from((True, False, None)))))
    date_from = draw(DAYS)
    date_to = draw(hs.dates(date_from, date(2026, 4, 30)))
    return rows, date_from, date_to, draw(hs.integers(1, 21))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(town=towns())
def test_the_database_counts_what_the_pandas_statement_counts(engine, town):
    rows, date_from, date_to, deadline_days = town
    config = DEFAULTS.__class__(deadline_days=deadline_days)
    store(engine, rows)
    frame = pd.DataFrame(rows, columns=["id", "child_id", "provider_id", "received", "status", "status_date",
                                        "answer_date", "vulnerable"])
    expected = reference(frame, date_from, date_to, config)
    found = figures_module._counted(engine, date_from, date_to, config)
    key = ["provider_id", "month"]
    assert (found.counts.sort_values(key).reset_index(drop=True)[expected.counts.columns].to_dict("records")
            == expected.counts.sort_values(key).reset_index(drop=True).to_dict("records"))
    assert found.children == expected.children
    assert found.answer_days == expected.answer_days
