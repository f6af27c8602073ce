"""llko.compliance.bulk (R11 for every provider at once) against the reference: rules.provider_verdicts called on
each provider's slice, the loop llko.compliance.queries.verdicts ran over the providers (copied below).

A property test on random towns (several providers sharing children, approvals elsewhere, vacancies, checks,
meetings, signatures, subsidy levels), random periods and random settings; then a few towns worked out by hand.
"""

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from llko.compliance import bulk, rules
from llko.compliance.rules import IN_ORDER, NOT_APPLICABLE, SHORTCOMING, UNKNOWN, Verdict
from llko.infopagina.rules import ITEMS, LOKET, OPVANG, Check
from llko.requests import statuses
from llko.requests.queries import parse_dates
from llko.settings import DEFAULTS
from llko.vacancies.rules import Vacancy

COLUMNS = ["id", "child_id", "provider_id", "received", "desired_start", "status", "status_date", "answer_date",
           "vulnerable"]
DATES = ["received", "desired_start", "status_date", "answer_date"]


def loaded(rows: list[dict]) -> pd.DataFrame:
    """Requests as llko.compliance.queries.requests reads them: ISO date strings parsed to datetime64."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in DATES:
        frame[column] = frame[column].map(lambda v: v.isoformat() if v is not None else None)
    return parse_dates(frame, DATES)


def reference(frame, providers, checks, meetings, signatures, places, date_from, date_to, settings, approvals):
    """The loop of llko.compliance.queries.verdicts, word for word: one rules.provider_verdicts per provider."""
    by_provider = {pid: rows for pid, rows in frame.groupby("provider_id", sort=False)}
    found = {}
    for provider_id, level in providers:
        own = by_provider.get(provider_id, frame.iloc[0:0])
        found[provider_id] = rules.provider_verdicts(
            provider_id, level, own, checks.get(provider_id, []), meetings, signatures.get(provider_id, []),
            places.get(provider_id, []), date_from, date_to, settings, approvals)
    return found


def both(requests, providers, approvals, date_from, date_to, settings=DEFAULTS, checks=None, meetings=(),
         signatures=None, places=None):
    """(bulk, reference) on the same town."""
    frame = rules.prepared(loaded(requests), date_to, settings, approvals)
    args = (frame, providers, checks or {}, list(meetings), signatures or {}, places or {}, date_from, date_to,
            settings, approvals)
    return bulk.all_verdicts(*args), reference(*args)


def assert_same(found, expected):
    assert found == expected
    # the same types too (an int is no numpy int, a date no Timestamp, None no NaT), and the same key order
    assert repr(found) == repr(expected)


# --- random towns -------------------------------------------------------------------------------------------------

START = date(2026, 1, 1)
PROVIDERS = ["P1", "P2", "P3", "P4", "P5"]
CHILDREN = [f"K{i}" for i in range(8)]
LEVELS = ["3", "3", " 3", "2", "1", None]
STATUSES = statuses.ALL + (statuses.APPROVED,) * 3  # approvals matter to three obligations
VULNERABLE = {  # kwetsbaar_gezin as a database may give it: booleans, ja/nee text, 1/0 (a float column with NaN)
    "bool": [True, False, None], "text": ["ja", "nee", "JA", None], "number": [1, 0, None]}
SHARES = hs.sampled_from([0.0, 0.25, 0.3, 0.5, 2 / 3, 0.75, 0.9, 1.0]) | hs.floats(0, 1)
UNITS = [1, 7, 30]  # a town's dates and day settings are whole multiples of its unit
ONE = timedelta(days=1)


def days(lo: int, hi: int, unit: int):
    """A number of days in [lo, hi], a multiple of unit. In whole weeks or months, with the settings in the same
    unit, dates fall on one another and on the rules' boundaries."""
    first, last = -(-lo // unit), hi // unit
    return hs.integers(first, max(first, last)).map(lambda n: n * unit)


def after(day: date, lo: int, hi: int, unit: int):
    """A day lo to hi days after `day` (in units)."""
    return days(lo, hi, unit).map(lambda n: day + timedelta(days=n))


def edge(day: date):
    """A boundary day, or the day before or after it (a deadline on T, a place reported on the approval day...)."""
    return hs.sampled_from([day - ONE, day, day + ONE])


@hs.composite
def random_settings(draw, unit: int):
    return replace(
        DEFAULTS, deadline_days=draw(days(1, 30, unit)), answering_min_share=draw(SHARES),
        plus_min_share=draw(SHARES), plus_min_children=draw(hs.integers(0, 4)), statuses_max=draw(hs.integers(0, 3)),
        lingering_days=draw(days(1, 90, unit)), unreported_max=draw(hs.integers(0, 3)),
        vacancy_window_days=draw(days(1, 60, unit)), infopagina_max_age_days=draw(days(1, 400, unit)))


@hs.composite
def requests(draw, date_from: date, date_to: date, providers: list[str], unit: int, rule) -> list[dict]:
    """Requests received around the period, some at a provider that is not in the list (ignored by both). Each is
    random, or aimed at the edges of a rule: its status or answer on or beside its deadline (answering), `in
    behandeling` for lingering_days (statuses b), `geannuleerd door opvang` on the day of its answer (statuses a)."""
    vulnerable = VULNERABLE[draw(hs.sampled_from(sorted(VULNERABLE)))]
    children = CHILDREN[:draw(hs.integers(1, len(CHILDREN)))]
    deadline, lingering = timedelta(days=rule.deadline_days), timedelta(days=rule.lingering_days)
    rows = []
    for i in range(draw(hs.integers(0, 30))):
        received = draw(after(date_from, -90, (date_to - date_from).days + 30, unit)
                        | edge(date_from - deadline) | edge(date_to - deadline))
        later = after(received, 0, 120, unit)
        status = draw(hs.sampled_from(STATUSES))
        aim = draw(hs.sampled_from(["random", "random", "deadline", "deadline", "lingering", "direct"]))
        if aim == "deadline":
            status_date = draw(edge(received + deadline))
            answer = draw(hs.none() | edge(received + deadline))
        elif aim == "lingering":
            status, status_date = statuses.IN_PROGRESS, draw(edge(date_to - lingering))
            answer = draw(hs.none() | hs.just(status_date))
        elif aim == "direct":
            status = statuses.CANCELLED_BY_PROVIDER
            status_date = draw(edge(date_from) | edge(date_to) | later)
            answer = draw(hs.none() | edge(status_date) | later)
        else:
            status_date, answer = draw(later), draw(hs.none() | later)
        rows.append({
            "id": f"A{i:02d}", "child_id": draw(hs.sampled_from(children)),
            "provider_id": draw(hs.sampled_from(providers + ["P9"])), "received": received,
            "desired_start": draw(hs.none() | later), "status": status, "status_date": status_date,
            "answer_date": answer, "vulnerable": draw(hs.sampled_from(vulnerable)),
        })
    return draw(hs.permutations(rows))  # not in id order: sorting is the functions' job


@hs.composite
def vacancies(draw, providers: list[str], around, unit: int, rule, rows: list[dict]) -> dict[str, list[Vacancy]]:
    """Places reported at random, and places aimed at approvals: on or beside one edge of rules.is_covered."""
    window = timedelta(days=rule.vacancy_window_days)
    found = []
    for _ in range(draw(hs.integers(0, 5))):
        vanaf = draw(around)
        found.append(Vacancy(provider_id=draw(hs.sampled_from(providers)), vanaf=vanaf, dagen=("ma",), plaatsen=1,
                             gemeld_op=draw(after(vanaf, -60, 10, unit) | around),
                             tot=draw(hs.none() | after(vanaf, 0, 150, unit))))
    for row in rows:
        if row["status"] != statuses.APPROVED or row["provider_id"] not in providers or not draw(hs.booleans()):
            continue
        approval, start = row["status_date"], row["desired_start"] or row["status_date"]
        on_edge = draw(hs.sampled_from(["gemeld_op", "vanaf", "tot"]))  # the other two hold
        found.append(Vacancy(
            provider_id=row["provider_id"], dagen=("ma",), plaatsen=1,
            gemeld_op=draw(edge(approval) if on_edge == "gemeld_op" else after(approval, -60, 0, unit)),
            vanaf=draw(edge(start + window) if on_edge == "vanaf" else after(start, -60, 0, unit)),
            tot=draw(edge(start - window) if on_edge == "tot" else hs.none() | after(start, 0, 60, unit))))
    places: dict[str, list[Vacancy]] = {}
    for place in found:
        # now and then filed under another provider (never by the queries): both must ignore it there
        key = draw(hs.sampled_from(providers)) if draw(hs.integers(0, 9)) == 0 else place.provider_id
        places.setdefault(key, []).append(place)
    return places


@hs.composite
def towns(draw):
    unit = draw(hs.sampled_from(UNITS))
    date_from = draw(after(START, -120, 500, 1))
    date_to = draw(after(date_from, 0, 400, unit))
    around = after(date_from, -90, (date_to - date_from).days + 90, unit)  # in the period or three months around
    rule = draw(random_settings(unit))
    providers = draw(hs.lists(hs.sampled_from(PROVIDERS), min_size=1, max_size=5, unique=True))
    levels = [(pid, draw(hs.sampled_from(LEVELS))) for pid in providers]
    rows = draw(requests(date_from, date_to, providers, unit, rule))
    # R3: each child's earliest approval anywhere, also at a provider or on a day outside what was read
    approvals = {}
    for row in rows:
        if row["status"] == statuses.APPROVED:
            day = row["status_date"]
            approvals[row["child_id"]] = min(day, approvals.get(row["child_id"], day))
    for child in draw(hs.lists(hs.sampled_from(CHILDREN), max_size=3, unique=True)):
        earlier = draw(around)
        approvals[child] = min(earlier, approvals.get(child, earlier))
    checks: dict[str, list[Check]] = {}
    for _ in range(draw(hs.integers(0, 6))):
        provider = draw(hs.sampled_from(providers))
        checks.setdefault(provider, []).append(Check(
            provider_id=provider, datum=draw(around), bron=draw(hs.sampled_from([LOKET, LOKET, OPVANG])),
            present={item: draw(hs.sampled_from([True, True, False])) for item in ITEMS}))
    meetings = [(draw(around), tuple(draw(hs.lists(hs.sampled_from(providers), unique=True))))
                for _ in range(draw(hs.integers(0, 3)))]
    signatures = {pid: draw(hs.lists(around, max_size=2)) for pid in providers if draw(hs.booleans())}
    return dict(requests=rows, providers=levels, approvals=approvals, date_from=date_from, date_to=date_to,
                settings=rule, checks=checks, meetings=meetings, signatures=signatures,
                places=draw(vacancies(providers, around, unit, rule, rows)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(town=towns())
def test_bulk_gives_what_the_loop_over_providers_gives(town):
    found, expected = both(**town)
    assert list(found) == [pid for pid, _ in town["providers"]]
    assert all(list(v) == list(rules.OBLIGATIONS) for v in found.values())
    assert_same(found, expected)


# --- towns worked out by hand -------------------------------------------------------------------------------------

F, T = date(2026, 6, 1), date(2026, 11, 1)
d = date.fromisoformat


def req(id, provider, received, status, status_date, answer=None, child=None, desired=None, vulnerable=None):
    return {"id": id, "child_id": child or f"K{id}", "provider_id": provider, "received": d(received),
            "desired_start": d(desired) if desired else None, "status": status, "status_date": d(status_date),
            "answer_date": d(answer) if answer else None, "vulnerable": vulnerable}


def test_one_late_request_at_each_of_two_providers():
    requests = [
        # P1: answered a day after its deadline (15/07), and one in time (on its deadline)
        req("A1", "P1", "2026-07-01", statuses.APPROVED, "2026-07-16", "2026-07-16"),
        req("A2", "P1", "2026-07-01", statuses.IN_PROGRESS, "2026-07-15", "2026-07-15"),
        # P2, deadlines 01/10: B1 never answered, 31 days late on T; B2 cancelled by the parents on its deadline and
        # B3 closed by an approval elsewhere on its deadline: not counted; B4 cancelled by the parents a day late
        req("B1", "P2", "2026-09-17", statuses.NEW, "2026-09-17"),
        req("B2", "P2", "2026-09-17", statuses.CANCELLED_BY_PARENT, "2026-10-01"),
        req("B3", "P2", "2026-09-17", statuses.NEW, "2026-09-17"),
        req("B4", "P2", "2026-09-17", statuses.CANCELLED_BY_PARENT, "2026-10-02"),
    ]
    approvals = {"KA1": d("2026-07-16"), "KB3": d("2026-10-01")}
    found, expected = both(requests, [("P1", "2"), ("P2", None)], approvals, F, T)
    assert_same(found, expected)
    p1, p2 = found["P1"]["answering"], found["P2"]["answering"]
    assert (p1.verdict, p1.evidence, p1.share) == (SHORTCOMING, ["A1"], 0.5)
    assert p1.details == {"counted": 2, "in_time": 1, "late": 1, "late_requests": [
        {"id": "A1", "received": d("2026-07-01"), "deadline": d("2026-07-15"), "answered_on": d("2026-07-16"),
         "days_late": 1}]}
    assert (p2.verdict, p2.evidence, p2.share) == (SHORTCOMING, ["B1", "B4"], 0.0)
    assert p2.details["late_requests"] == [
        {"id": i, "received": d("2026-09-17"), "deadline": d("2026-10-01"), "answered_on": None, "days_late": 31}
        for i in ("B1", "B4")]
    # with a threshold of one half, P1's 50% is in order (equal is in order), P2's 0% still is not
    half = replace(DEFAULTS, answering_min_share=0.5)
    found, expected = both(requests, [("P1", "2"), ("P2", None)], approvals, F, T, half)
    assert_same(found, expected)
    assert (found["P1"]["answering"].verdict, found["P2"]["answering"].verdict) == (IN_ORDER, SHORTCOMING)


def test_an_approval_without_a_reported_place_is_uncovered():
    requests = [
        # approved 10/08, start 01/09: covered by P1's place, on all three edges (reported 10/08, free from
        # 01/10 = start + 30 days, until 02/08 = start - 30 days)
        req("A1", "P1", "2026-07-01", statuses.APPROVED, "2026-08-10", "2026-07-05", desired="2026-09-01"),
        # no desired start, so the start is the approval day 01/10: the place ended before 01/09: uncovered
        req("A2", "P1", "2026-07-01", statuses.APPROVED, "2026-10-01", "2026-07-05"),
        # P2 reported nothing: its approval is uncovered, whatever P1 reported
        req("B1", "P2", "2026-07-01", statuses.APPROVED, "2026-08-10", "2026-07-05", desired="2026-09-01"),
        # approved before F: not judged
        req("B2", "P2", "2026-04-01", statuses.APPROVED, "2026-05-31", "2026-04-05"),
    ]
    place = Vacancy(provider_id="P1", vanaf=d("2026-10-01"), dagen=("ma",), plaatsen=1, gemeld_op=d("2026-08-10"),
                    tot=d("2026-08-02"))
    places = {"P1": [place], "P2": [place]}  # P1's place filed under P2 too: never P2's (rules.vacancies)
    strict = replace(DEFAULTS, unreported_max=0)
    approvals = {f"K{i}": day for i, day in (("A1", d("2026-08-10")), ("A2", d("2026-10-01")),
                                              ("B1", d("2026-08-10")), ("B2", d("2026-05-31")))}
    found, expected = both(requests, [("P1", "2"), ("P2", "2")], approvals, F, T, strict, places=places)
    assert_same(found, expected)
    p1, p2 = found["P1"]["vacancies"], found["P2"]["vacancies"]
    assert (p1.verdict, p1.evidence) == (SHORTCOMING, ["A2"])
    assert p1.details == {"approvals": 2, "uncovered": 1, "uncovered_requests": [
        {"id": "A2", "approved_on": d("2026-10-01"), "start": d("2026-10-01")}]}
    assert (p2.verdict, p2.evidence, p2.details["approvals"]) == (SHORTCOMING, ["B1"], 1)


def test_a_child_counts_as_vulnerable_when_one_of_its_approvals_says_so():
    requests = [
        # K1: two approvals at P1, ja and nee: vulnerable; K2: nee and unknown: known, not vulnerable
        req("A1", "P1", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", child="K1", vulnerable="ja"),
        req("A2", "P1", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", child="K1", vulnerable="nee"),
        req("A3", "P1", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", child="K2", vulnerable="nee"),
        req("A4", "P1", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", child="K2"),
        # K3: only unknown: not counted; K4: vulnerable, but approved at P2; K5: ja, but not approved
        req("A5", "P1", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", child="K3"),
        req("B1", "P2", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", child="K4", vulnerable="ja"),
        req("A6", "P1", "2026-07-01", statuses.IN_PROGRESS, "2026-07-10", "2026-07-10", child="K5", vulnerable="ja"),
    ]
    approvals = {"K1": d("2026-07-10"), "K2": d("2026-07-10"), "K3": d("2026-07-10"), "K4": d("2026-07-10")}
    two = replace(DEFAULTS, plus_min_children=2, plus_min_share=0.5)
    found, expected = both(requests, [("P1", "3"), ("P2", "3")], approvals, F, T, two)
    assert_same(found, expected)
    assert found["P1"]["plus_share"] == Verdict("plus_share", IN_ORDER, [], 0.5, {"children": 2, "vulnerable": 1})
    assert found["P2"]["plus_share"] == Verdict("plus_share", UNKNOWN, [], 1.0, {"children": 1, "vulnerable": 1})


def test_a_lingering_request_and_a_direct_cancellation():
    requests = [
        # in behandeling since 01/08: 92 days on T > 60
        req("A1", "P1", "2026-07-20", statuses.IN_PROGRESS, "2026-08-01", "2026-08-01"),
        # in behandeling since 02/09: exactly 60 days on T, not lingering
        req("A2", "P1", "2026-08-25", statuses.IN_PROGRESS, "2026-09-02", "2026-09-02"),
        # in behandeling for long, but the child was approved elsewhere (R3): not lingering
        req("A3", "P1", "2026-01-10", statuses.IN_PROGRESS, "2026-01-20", "2026-01-20", child="K9"),
        # cancelled by the provider as its first answer, in the period
        req("A4", "P1", "2026-09-01", statuses.CANCELLED_BY_PROVIDER, "2026-09-10", "2026-09-10"),
        # cancelled by the provider after an earlier answer: no misuse
        req("A5", "P1", "2026-09-01", statuses.CANCELLED_BY_PROVIDER, "2026-09-10", "2026-09-03"),
    ]
    found, expected = both(requests, [("P1", "2")], {"K9": d("2026-03-01")}, F, T,
                           replace(DEFAULTS, statuses_max=1))
    assert_same(found, expected)
    verdict = found["P1"]["statuses"]
    assert (verdict.verdict, verdict.evidence) == (SHORTCOMING, ["A1", "A4"])
    assert verdict.details == {"direct_cancellations": ["A4"], "lingering": ["A1"],
                               "status_dates": {"A1": d("2026-08-01"), "A4": d("2026-09-10")}}


def test_a_provider_without_requests_gets_the_verdicts_of_an_empty_frame():
    requests = [req("A1", "P1", "2026-07-01", statuses.APPROVED, "2026-07-10", "2026-07-10", vulnerable=True)]
    meetings = [(d("2026-09-15"), ("P1",))]
    found, expected = both(requests, [("P1", "3"), ("P2", "3"), ("P3", None)], {"KA1": d("2026-07-10")}, F, T,
                           meetings=meetings, signatures={"P2": [d("2026-01-05")]})
    assert_same(found, expected)
    assert found["P2"] == {
        "answering": Verdict("answering", IN_ORDER, [], None,
                             {"counted": 0, "in_time": 0, "late": 0, "late_requests": []}),
        "infopagina": Verdict("infopagina", UNKNOWN, [], None, {"checked_on": None, "age_days": None}),
        "local_policy": Verdict("local_policy", SHORTCOMING, ["2026-09-15"], None, {"meetings": 1, "attended": 0}),
        "plus_share": Verdict("plus_share", UNKNOWN, [], None, {"children": 0, "vulnerable": 0}),
        "statuses": Verdict("statuses", IN_ORDER, [], None,
                            {"direct_cancellations": [], "lingering": [], "status_dates": {}}),
        "vacancies": Verdict("vacancies", IN_ORDER, [], None, {"approvals": 0, "uncovered": 0,
                                                               "uncovered_requests": []}),
        "agreement": Verdict("agreement", IN_ORDER, [], None, {"signed_on": d("2026-01-05")}),
    }
    # P1 (trap 3): one vulnerable child of one, too few to judge (5): unknown with its share; P3 is no trap 3
    assert found["P1"]["plus_share"] == Verdict("plus_share", UNKNOWN, [], 1.0, {"children": 1, "vulnerable": 1})
    assert found["P3"]["plus_share"].verdict == NOT_APPLICABLE
    assert found["P3"]["agreement"].verdict == SHORTCOMING


def test_no_requests_at_all():
    found, expected = both([], [("P1", "3"), ("P2", None)], {}, F, T)
    assert_same(found, expected)
    assert found["P1"]["answering"].verdict == IN_ORDER and found["P1"]["plus_share"].verdict == UNKNOWN
