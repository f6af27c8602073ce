"""R11 through the database: llko.compliance.queries.verdicts (the production path: the SQL reads of every register,
then llko.compliance.bulk) against the reference, rules.provider_verdicts per provider, on SQLite and PostgreSQL.

tests/test_compliance_bulk.py holds bulk to the reference on frames in memory; this file writes random small towns
into a fresh migrated database (conftest.fresh_database) through the app's own write paths, the ones a coordinator
uses: the Opvang.Vlaanderen import (one or two snapshots, datum_antwoord given or derived by R2), the register
workbook (a CSV per sheet: opvang, vrije_plaatsen, infopagina, overeenkomst, lok) and the services of the pages
(a vacancy reported and closed, a check recorded, a signature, a LOK meeting, and entries withdrawn with a reason,
R14). The reference is fed from the generated town itself, never from the database: each provider's requests (their
answer date as R2 and the import derive it), its standing checks, signatures and vacancies, the standing meetings,
and R3's earliest approval of every child. Dates sit on and beside R11's edges: deadlines on F and T, a status or
answer on its deadline, lingering for exactly lingering_days, checks exactly infopagina_max_age_days old, meetings
and approvals on F and T, signatures on T, vacancies on each edge of rules.is_covered. Then a town worked out by hand,
its contract written out as literals, with Ninove's settings and with each edge it sits on moved.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from sqlalchemy import select
from sqlmodel import Session

import llko.db
from conftest import BACKENDS, fresh_database
from llko.agreements import service as agreements
from llko.compliance import queries, rules
from llko.corrections import standing
from llko.infopagina import service as infopagina
from llko.infopagina.models import InfopaginaCheck
from llko.infopagina.rules import ITEMS, LOKET, OPVANG, Check
from llko.registers.workbook import import_register
from llko.requests import statuses
from llko.requests.importer import import_file
from llko.settings import DEFAULTS
from llko.vacancies import service as vacancies
from llko.vacancies.rules import Vacancy
from test_compliance_bulk import after, assert_same, loaded, random_settings

# services: llko against a real database (conftest would give this file that kind by itself, for its use of
# fresh_database); conftest adds `postgres` to the [postgres] cases, run when LLKO_TEST_POSTGRES_URL is set.
pytestmark = pytest.mark.services

ACTOR = "coord"
REASON = "Per vergissing vastgelegd."  # R14: a withdrawal needs a reason of a few words
FORMS_TODAY = date(2029, 12, 31)  # 'today' for the forms' typed-date checks: after every generated date
ONE = timedelta(days=1)


def nl(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


# --- writing a town through the app ---------------------------------------------------------------------------------

EXPORT_HEADER = ("aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;"
                 "datum_antwoord;kwetsbaar_gezin")


def export(rows: list[dict], earlier: bool) -> tuple[bytes, date]:
    """An Opvang.Vlaanderen snapshot (CSV) and its as-of date: the latest state of every request, or (earlier) the
    earlier state of the requests that have one, without datum_antwoord (R2 then reads it from the history)."""
    lines, days = [EXPORT_HEADER], []
    for r in rows:
        status, status_date = r["earlier"] if earlier else (r["status_cell"], r["status_date"])
        answer = None if earlier else r["answer_cell"]
        lines.append(";".join([r["id"], r["child_id"], r["provider_id"], r["provider_id"].lower(), nl(r["received"]),
                               nl(r["desired_start"]), status, nl(status_date), nl(answer), r["vulnerable_cell"]]))
        days += [r["received"], status_date] + ([answer] if answer else [])
    return ("\n".join(lines) + "\n").encode("utf-8"), max(days)


def csv(header: list[str], rows: list[list]) -> bytes:
    return "\n".join(";".join(str(c) for c in line) for line in [header, *rows]).encode("utf-8") + b"\n"


def register(engine, sheets: dict[str, bytes]) -> None:
    """The register workbook as one CSV per sheet, imported as the page and `import-register` do."""
    result = import_register(engine, [(f"{name}.csv", data) for name, data in sheets.items()], ACTOR)
    assert result.ok, result.problems


def write_town(engine, town: dict) -> None:
    """The town into the database, as the loket would put it there."""
    rows = town["requests"]
    if rows:
        earlier = [r for r in rows if r["earlier"]]
        if earlier:  # an older snapshot first: the answer status it shows stays in the history (R2)
            data, as_of = export(earlier, earlier=True)
            assert import_file(engine, data, "juli.csv", as_of, ACTOR).ok
        data, as_of = export(rows, earlier=False)
        result = import_file(engine, data, "laatste.csv", as_of, ACTOR)
        assert result.ok, result.problems

    opvang = [[pid, f"Opvang {pid}", cell] for pid, (cell, _) in sorted(town["registered"].items())]
    if opvang:  # the providers first: a provider without requests is known from the register alone
        register(engine, {"opvang": csv(["opvang_id", "naam", "subsidietrap"], opvang)})

    # R14: entries recorded by mistake and withdrawn before the real ones are written (on the same keys, at times)
    for pid, day, source, present in town["withdrawn_checks"]:
        infopagina.record(engine, ACTOR, pid, day, source, present)
        with Session(engine) as session:
            check_id = session.execute(select(InfopaginaCheck.id).filter_by(
                provider_id=pid, checked_on=day, source=source).where(standing(InfopaginaCheck))).scalar_one()
        infopagina.withdraw(engine, ACTOR, check_id, REASON)
    for pid, day in town["withdrawn_signatures"]:
        agreement_id = agreements.record_signature(engine, ACTOR, pid, day, "An", "directeur", FORMS_TODAY)
        agreements.withdraw_signature(engine, ACTOR, agreement_id, REASON)
    for day, present in town["withdrawn_meetings"]:
        meeting_id = agreements.add_meeting(engine, ACTOR, day, "Vergissing", present, FORMS_TODAY)
        agreements.withdraw_meeting(engine, ACTOR, meeting_id, REASON)

    sheets: dict[str, bytes] = {}
    places = [p for p in town["vacancies"] if p["via"] == "register"]
    if places:
        sheets["vrije_plaatsen"] = csv(
            ["opvang_id", "vanaf", "gemeld_op", "tot", "dagen", "plaatsen", "bevestigd_op", "afgesloten_op", "reden"],
            [[p["provider_id"], nl(p["vanaf"]), nl(p["gemeld_op"]), nl(p["tot"]), "ma,wo", 1,
              nl(p["gemeld_op"] + timedelta(days=p["confirmed_after"])), nl(p["closed_on"]),
              "ingevuld" if p["closed_on"] else ""] for p in places])
    checks = [c for c in town["checks"] if c["via"] == "register"]
    if checks:
        sheets["infopagina"] = csv(["opvang_id", "datum_controle", "bron", *ITEMS],
                                   [[c["provider_id"], nl(c["day"]), c["source"],
                                     *("ja" if c["present"][i] else "nee" for i in ITEMS)] for c in checks])
    signed = [s for s in town["signatures"] if s["via"] == "register"]
    if signed:
        sheets["overeenkomst"] = csv(["opvang_id", "ondertekend_op"], [[s["provider_id"], nl(s["day"])] for s in signed])
    meetings = [m for m in town["meetings"] if m["via"] == "register"]
    if meetings:
        sheets["lok"] = csv(["datum", "onderwerp", "aanwezig"],
                            [[nl(m["day"]), "Overleg", ",".join(m["present"])] for m in meetings])
    if sheets:
        register(engine, sheets)

    for p in town["vacancies"]:
        if p["via"] == "service":  # reported on gemeld_op through the form (bevestigd_op = gemeld_op)
            fields = {"vanaf": p["vanaf"], "tot": p["tot"], "dagen": ["di"], "plaatsen": 2}
            vacancy_id = vacancies.report(engine, ACTOR, p["provider_id"], fields, p["gemeld_op"])
            if p["closed_on"]:
                vacancies.close(engine, ACTOR, vacancy_id, p["closed_on"], "ingetrokken")
    for c in town["checks"]:
        if c["via"] == "service":
            infopagina.record(engine, ACTOR, c["provider_id"], c["day"], c["source"], c["present"], by="Els")
    for s in town["signatures"]:
        if s["via"] == "service":
            agreements.record_signature(engine, ACTOR, s["provider_id"], s["day"], "An", "directeur", FORMS_TODAY)
    for m in town["meetings"]:
        if m["via"] == "service":
            agreements.add_meeting(engine, ACTOR, m["day"], "Overleg", m["present"], FORMS_TODAY)


# --- the reference, from the town as generated ----------------------------------------------------------------------

def stored_answer(r: dict) -> date | None:
    """R2 as the import stores it: the datum_antwoord given, else the earliest answer status the snapshots showed."""
    if r["answer_cell"] is not None:
        return r["answer_cell"]
    steps = [(r["status"], r["status_date"])] + ([r["earlier"]] if r["earlier"] else [])
    answers = [day for status, day in steps if statuses.normalize(status) in statuses.ANSWER]
    return min(answers) if answers else None


def expected_verdicts(town: dict) -> dict[str, dict[str, rules.Verdict]]:
    """rules.provider_verdicts for every provider of the town (by id), on its own rows built from the town, in the
    order of their ids as the query reads them (only the order of details["status_dates"] follows it)."""
    rows = town["requests"]
    approvals: dict[str, date] = {}  # R3: every child's earliest approval, at any provider, on any day
    for r in rows:
        if r["status"] == statuses.APPROVED:
            approvals[r["child_id"]] = min(r["status_date"], approvals.get(r["child_id"], r["status_date"]))
    meetings = [(m["day"], tuple(m["present"])) for m in town["meetings"]]
    found = {}
    for pid in sorted(town["providers"]):
        own = loaded([{"id": r["id"], "child_id": r["child_id"], "provider_id": pid, "received": r["received"],
                       "desired_start": r["desired_start"], "status": r["status"], "status_date": r["status_date"],
                       "answer_date": stored_answer(r), "vulnerable": r["vulnerable"]}
                      for r in sorted(rows, key=lambda r: r["id"]) if r["provider_id"] == pid])
        checks = [Check(pid, c["day"], c["source"], dict(c["present"])) for c in town["checks"]
                  if c["provider_id"] == pid]
        signed = [s["day"] for s in town["signatures"] if s["provider_id"] == pid]
        places = [Vacancy(provider_id=pid, vanaf=p["vanaf"], dagen=("ma",), plaatsen=1, gemeld_op=p["gemeld_op"],
                          tot=p["tot"]) for p in town["vacancies"] if p["provider_id"] == pid]
        level = town["registered"].get(pid, (None, None))[1]
        found[pid] = rules.provider_verdicts(pid, level, own, checks, meetings, signed, places, town["date_from"],
                                             town["date_to"], town["settings"], approvals)
    return found


def judged(backend: str, directory, town: dict) -> dict[str, dict[str, rules.Verdict]]:
    """verdicts() over the town written into a fresh database of this backend (dropped afterwards)."""
    with fresh_database(backend, directory) as url:
        engine = llko.db.make_engine(url)
        try:
            write_town(engine, town)
            return queries.verdicts(engine, town["date_from"], town["date_to"], town["settings"])
        finally:
            engine.dispose()


# --- random towns ---------------------------------------------------------------------------------------------------

START = date(2026, 1, 1)
PROVIDERS = ["P1", "P2", "P3", "P4"]
CHILDREN = [f"K{i}" for i in range(7)]
LEVELS = [("3", "3"), (" 3 ", "3"), ("3", "3"), ("2a", "2A"), ("2B", "2B"), ("1", "1"), ("0", "0"), ("", None)]
VULNERABLE = [("ja", True), ("J", True), ("1", True), ("nee", False), ("N", False), ("0", False), ("", None),
              ("", None)]
STATUSES = statuses.ALL + (statuses.APPROVED,) * 3  # approvals matter to three obligations and to R3


def edge(day: date):
    """A boundary day (half the time), or the day before or after it."""
    return hs.sampled_from([day, day - ONE, day, day + ONE])


def status_cells(status: str):
    """A status as an export may spell it (R1: case and spacing free)."""
    return hs.sampled_from([status, status, status.upper(), "  " + status.title().replace(" ", "  ")])


@hs.composite
def requests(draw, date_from: date, date_to: date, providers: list[str], unit: int, rule, around) -> list[dict]:
    """Requests that the import accepts (no status or answer before the request), each random or aimed at an edge
    of a rule: answered or ended on or beside its deadline (answering: also cancelled by the parents, or an open
    request of a child approved elsewhere on or beside it, R3), `in behandeling` for lingering_days (statuses b),
    cancelled by the provider on or beside its answer (statuses a), approved on or beside F or T (plus_share,
    vacancies)."""
    deadline, lingering = timedelta(days=rule.deadline_days), timedelta(days=rule.lingering_days)
    children = CHILDREN[:draw(hs.integers(1, len(CHILDREN)))]
    with_history = draw(hs.booleans())
    back = hs.integers(0, 60).map(lambda n: timedelta(days=n))
    short = hs.integers(0, rule.deadline_days - 1).map(lambda n: timedelta(days=n))
    due = edge(date_from - deadline) | edge(date_to - deadline) | around  # a received day: deadline on F, T or near
    rows = []

    def add(child, received, status, status_date, answer, provider=None):
        earlier = None
        if with_history and draw(hs.integers(0, 2)) == 0:  # an older snapshot showed another status first
            earlier = (draw(hs.sampled_from(statuses.ALL)),
                       received + timedelta(days=draw(hs.integers(0, (status_date - received).days))))
        cell, vulnerable = draw(hs.sampled_from(VULNERABLE))
        rows.append({
            "id": f"A{len(rows)}", "child_id": child, "provider_id": provider or draw(hs.sampled_from(providers)),
            "received": received, "desired_start": draw(hs.none() | after(received, -30, 150, unit)),
            "status": status, "status_cell": draw(status_cells(status)), "status_date": status_date,
            "answer_cell": None if answer is None else max(answer, received), "earlier": earlier,
            "vulnerable": vulnerable, "vulnerable_cell": cell,
        })

    for _ in range(draw(hs.integers(0, 14))):
        aim = draw(hs.sampled_from(["random", "random", "deadline", "deadline", "parents", "elsewhere", "lingering",
                                    "direct", "approval", "approval", "twice"]))
        child = draw(hs.sampled_from(children))
        if aim == "deadline":
            received = draw(due)
            add(child, received, draw(hs.sampled_from(STATUSES)), draw(edge(received + deadline)),
                draw(hs.none() | edge(received + deadline)))
        elif aim == "parents":  # cancelled by the parents on or beside the deadline, never answered
            received = draw(due)
            add(child, received, statuses.CANCELLED_BY_PARENT, draw(edge(received + deadline)), None)
        elif aim == "elsewhere":  # still open, never answered; the child approved (here or elsewhere) near its deadline
            received = draw(due)
            add(child, received, draw(hs.sampled_from(statuses.UNANSWERED)), received, None)
            approved_on = draw(edge(received + deadline))
            add(child, approved_on - draw(back), statuses.APPROVED, approved_on, draw(hs.none() | hs.just(approved_on)))
        elif aim == "lingering":  # half of the time a child of its own, whom R3 never closes
            status_date = draw(edge(date_to - lingering))
            received = status_date - draw(back)
            add(draw(hs.sampled_from([child, f"L{len(rows)}"])), received, statuses.IN_PROGRESS, status_date,
                draw(hs.none() | hs.just(status_date) | hs.just(received)))
        elif aim in ("direct", "approval"):  # now and then received within deadline_days of it: read for its date
            status_date = draw(edge(date_from) | edge(date_to) | around)
            received = status_date - draw(back | short)
            add(child, received, statuses.CANCELLED_BY_PROVIDER if aim == "direct" else statuses.APPROVED,
                status_date, draw(hs.none() | edge(status_date) | after(received, 0, 90, unit)))
        elif aim == "twice":  # a child approved twice at one provider (R8: vulnerable when either says ja)
            provider = draw(hs.sampled_from(providers))
            for _ in range(2):
                status_date = draw(edge(date_from) | edge(date_to) | around)
                add(child, status_date - draw(back), statuses.APPROVED, status_date, None, provider)
        else:
            received = draw(around)
            add(child, received, draw(hs.sampled_from(STATUSES)), draw(after(received, 0, 120, unit)),
                draw(hs.none() | after(received, 0, 120, unit)))
    return rows


@hs.composite
def places(draw, providers: list[str], around, unit: int, rule, rows: list[dict]) -> list[dict]:
    """Vacancies reported at random, and vacancies aimed at approvals: on or beside one edge of rules.is_covered (the
    other two hold), now and then at another provider. One per (provider, vanaf, gemeld_op), the register's key."""
    window = timedelta(days=rule.vacancy_window_days)
    found = []
    for _ in range(draw(hs.integers(0, 3))):
        vanaf = draw(around)
        found.append((draw(hs.sampled_from(providers)), vanaf, draw(after(vanaf, -60, 10, unit) | around),
                      draw(hs.none() | after(vanaf, 0, 150, unit))))
    for row in rows:
        if row["status"] != statuses.APPROVED or not draw(hs.integers(0, 3)):
            continue
        approval, start = row["status_date"], row["desired_start"] or row["status_date"]
        provider = row["provider_id"] if draw(hs.integers(0, 5)) else draw(hs.sampled_from(providers))
        on_edge = draw(hs.sampled_from(["gemeld_op", "vanaf", "tot"]))
        gemeld_op = draw(edge(approval) if on_edge == "gemeld_op" else after(approval, -60, 0, unit))
        if on_edge == "tot":
            tot = draw(edge(start - window))
            vanaf = tot - timedelta(days=draw(hs.integers(0, 60)))
        else:
            vanaf = draw(edge(start + window) if on_edge == "vanaf" else after(start, -60, 0, unit))
            tot = draw(hs.none() | after(max(vanaf, start), 0, 60, unit))
        found.append((provider, vanaf, gemeld_op, tot))
    unique = {}
    for provider, vanaf, gemeld_op, tot in found:
        unique.setdefault((provider, vanaf, gemeld_op), tot)
    result = []
    for (provider, vanaf, gemeld_op), tot in unique.items():
        closed_on = draw(hs.none() | after(vanaf, -10, 60, unit))
        by_form = (tot is None or tot >= gemeld_op) and vanaf <= gemeld_op + timedelta(days=700)
        result.append({"provider_id": provider, "vanaf": vanaf, "gemeld_op": gemeld_op, "tot": tot,
                       "closed_on": closed_on, "confirmed_after": draw(hs.integers(0, 40)),
                       "via": draw(hs.sampled_from(["register", "service"])) if by_form else "register"})
    return result


VIA = hs.sampled_from(["register", "service"])


@hs.composite
def towns(draw):
    unit = draw(hs.sampled_from([1, 1, 7]))
    date_from = draw(after(START, -60, 300, 1))
    date_to = draw(after(date_from, 0, 400, unit))
    around = after(date_from, -90, (date_to - date_from).days + 90, unit)  # in the period or three months around
    rule = draw(random_settings(unit))
    providers = sorted(draw(hs.lists(hs.sampled_from(PROVIDERS), min_size=1, max_size=4, unique=True)))
    rows = draw(requests(date_from, date_to, providers, unit, rule, around))
    # in the register with a trap (or blank); a provider without requests is known from the register alone
    with_requests = {r["provider_id"] for r in rows}
    registered = {pid: draw(hs.sampled_from(LEVELS)) for pid in providers
                  if pid not in with_requests or draw(hs.integers(0, 3))}

    too_old = date_to - timedelta(days=rule.infopagina_max_age_days)
    check_day = around | edge(too_old) | edge(date_to)
    present = hs.fixed_dictionaries({item: hs.sampled_from([True, True, True, False]) for item in ITEMS})
    source = hs.sampled_from([LOKET, LOKET, OPVANG])
    checks = draw(hs.lists(hs.fixed_dictionaries({
        "provider_id": hs.sampled_from(providers), "day": check_day, "source": source, "present": present,
        "via": VIA}), max_size=6, unique_by=lambda c: (c["provider_id"], c["day"], c["source"])))
    withdrawn_checks = draw(hs.lists(hs.tuples(hs.sampled_from(providers), check_day, source, present), max_size=2,
                                     unique_by=lambda c: c[:3]))

    meeting_day = around | edge(date_from) | edge(date_to)
    attending = hs.lists(hs.sampled_from(providers), unique=True).map(sorted)
    meetings = draw(hs.lists(hs.fixed_dictionaries({"day": meeting_day, "present": attending, "via": VIA}),
                             max_size=3, unique_by=lambda m: m["day"]))
    withdrawn_meetings = draw(hs.lists(hs.tuples(meeting_day, attending), max_size=1))

    signed_day = around | edge(date_to)
    signatures = draw(hs.lists(hs.fixed_dictionaries({"provider_id": hs.sampled_from(providers), "day": signed_day,
                                                      "via": VIA}),
                               max_size=4, unique_by=lambda s: (s["provider_id"], s["day"])))
    withdrawn_signatures = draw(hs.lists(hs.tuples(hs.sampled_from(providers), signed_day), max_size=1))

    return dict(date_from=date_from, date_to=date_to, settings=rule, providers=providers, registered=registered,
                requests=rows, vacancies=draw(places(providers, around, unit, rule, rows)), checks=checks,
                meetings=meetings, signatures=signatures, withdrawn_checks=withdrawn_checks,
                withdrawn_meetings=withdrawn_meetings, withdrawn_signatures=withdrawn_signatures)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(town=towns())
def test_verdicts_read_from_the_database_equal_the_reference(backend, tmp_path, town):
    found = judged(backend, tmp_path, town)
    expected = expected_verdicts(town)
    assert list(found) == sorted(town["providers"])
    assert_same(found, expected)


# --- towns worked out by hand ---------------------------------------------------------------------------------------

F, T = date(2026, 6, 1), date(2026, 11, 1)
d = date.fromisoformat


def req(id, provider, child, received, status, status_date, answer=None, desired=None, vulnerable="", earlier=None):
    return {"id": id, "child_id": child, "provider_id": provider, "received": d(received),
            "desired_start": d(desired) if desired else None, "status": status, "status_cell": status,
            "status_date": d(status_date), "answer_cell": d(answer) if answer else None,
            "earlier": (earlier[0], d(earlier[1])) if earlier else None,
            "vulnerable": {"ja": True, "nee": False, "": None}[vulnerable], "vulnerable_cell": vulnerable}


def thing(provider=None, day=None, via="register", **more):
    return {**({"provider_id": provider} if provider else {}), "day": d(day), "via": via, **more}


ALL_PRESENT = {item: True for item in ITEMS}

# Deadline = received + 14 days. datum_antwoord is given only where said; else R2 derives it from the statuses seen.
HAND_TOWN = dict(
    date_from=F, date_to=T, settings=DEFAULTS, providers=["P1", "P2", "P3"],
    registered={"P1": (" 3", "3"), "P3": ("2a", "2A")},  # P2 comes from the export alone: a blank trap
    requests=[
        # P1. A1: deadline 01/06 = F, approved (an answer) that day: in time. A2: deadline 31/05, before F: not
        # counted. A3: deadline 01/11 = T and never answered: late. A10: approved 10/09, in time (deadline 15/09).
        # A11: deadline 03/11, after T: not counted; approved 10/11, after T (R3 still closes K2's open requests).
        req("A1", "P1", "K1", "2026-05-18", statuses.APPROVED, "2026-06-01", vulnerable="ja"),
        req("A2", "P1", "K2", "2026-05-17", statuses.NEW, "2026-05-17"),
        req("A3", "P1", "K3", "2026-10-18", statuses.NEW, "2026-10-18"),
        req("A10", "P1", "K10", "2026-09-01", statuses.APPROVED, "2026-09-10", desired="2026-10-01", vulnerable="nee"),
        req("A11", "P1", "K2", "2026-10-20", statuses.APPROVED, "2026-11-10", vulnerable="ja"),
        # P2. A4: K1 approved at P1 on 01/06, before A4's deadline 08/06, never answered: not counted. A5: the parents
        # cancelled on the deadline (24/06): not counted; A6 a day after it: late. A7: in behandeling since 05/07 (in
        # time; 119 days on T: lingering). A8: cancelled by the provider 10/08 with no earlier answer: a direct
        # cancellation, in time. A9: answered 05/08, cancelled 20/08: no misuse, in time. A12: K2 approved at P1
        # on 10/11, after A12's deadline 15/10: counted and late. A13: in behandeling since 01/09, 61 days on T:
        # lingering; A14 since 02/09, 60 days: not. Both answered in time (deadline 08/09).
        req("A4", "P2", "K1", "2026-05-25", statuses.NEW, "2026-05-25"),
        req("A5", "P2", "K5", "2026-06-10", statuses.CANCELLED_BY_PARENT, "2026-06-24"),
        req("A6", "P2", "K6", "2026-06-10", statuses.CANCELLED_BY_PARENT, "2026-06-25"),
        req("A7", "P2", "K7", "2026-07-01", statuses.IN_PROGRESS, "2026-07-05"),
        req("A8", "P2", "K8", "2026-08-01", statuses.CANCELLED_BY_PROVIDER, "2026-08-10"),
        req("A9", "P2", "K9", "2026-08-01", statuses.CANCELLED_BY_PROVIDER, "2026-08-20", answer="2026-08-05"),
        req("A12", "P2", "K2", "2026-10-01", statuses.NEW, "2026-10-01"),
        req("A13", "P2", "K13", "2026-08-25", statuses.IN_PROGRESS, "2026-09-01"),
        req("A14", "P2", "K14", "2026-08-25", statuses.IN_PROGRESS, "2026-09-02"),
        # P2. A15: the July snapshot showed it in behandeling on 10/06 (an answer, in time: deadline 15/06); the
        # latest one shows it cancelled by the provider on 20/06: answered before, so no direct cancellation.
        req("A15", "P2", "K15", "2026-06-01", statuses.CANCELLED_BY_PROVIDER, "2026-06-20",
            earlier=(statuses.IN_PROGRESS, "2026-06-10")),
    ],
    # P1's place (reported 10/09, the day A10 was approved; free from 31/10 = A10's start + 30 days) covers A10, not
    # A1 (approved 01/06, before the place was reported). P3's place is P3's alone.
    vacancies=[{"provider_id": "P1", "vanaf": d("2026-10-31"), "gemeld_op": d("2026-09-10"), "tot": None,
                "closed_on": None, "confirmed_after": 0, "via": "service"},
               {"provider_id": "P3", "vanaf": d("2026-06-01"), "gemeld_op": d("2026-05-01"), "tot": d("2026-12-31"),
                "closed_on": d("2026-07-01"), "confirmed_after": 3, "via": "register"}],
    checks=[
        thing("P1", "2025-11-01", source=LOKET, present=ALL_PRESENT),  # 365 days before T: still counts
        thing("P1", "2026-10-01", source=OPVANG, present={**ALL_PRESENT, "tarief": False}),  # a declaration
        thing("P2", "2026-03-01", source=LOKET, present={**ALL_PRESENT, "tarief": False}),
        thing("P2", "2026-10-01", "service", source=LOKET, present={**ALL_PRESENT, "foto_logo": False, "tarief": False}),
        thing("P3", "2026-11-02", source=LOKET, present=ALL_PRESENT),  # after T
    ],
    # P2's complete check of 20/10 was withdrawn (R14): its check of 01/10 is the latest that stands
    withdrawn_checks=[("P2", d("2026-10-20"), LOKET, ALL_PRESENT)],
    meetings=[thing(day="2026-05-31", present=["P2"]), thing(day="2026-06-01", present=["P1"]),
              thing(day="2026-11-01", via="service", present=["P3"]), thing(day="2026-11-02", present=["P2"])],
    withdrawn_meetings=[(d("2026-09-15"), ["P2"])],
    signatures=[thing("P1", "2026-11-01"), thing("P2", "2026-11-02", "service")],
    withdrawn_signatures=[("P3", d("2026-01-05"))],
)


def v(verdict, category, evidence=(), **share):
    return {"verdict": verdict, "category": category, "evidence": list(evidence), **share}


MINIMUM, FURTHER = "minimum", "further"

HAND_EXPECTED = {
    "P1": {
        "answering": v("shortcoming", MINIMUM, ["A3"], share=2 / 3),  # A1, A10 in time; A3 late
        "infopagina": v("in_order", MINIMUM),
        "local_policy": v("in_order", MINIMUM, ["2026-11-01"]),  # attended 01/06 (F)
        "plus_share": v("unknown", MINIMUM, share=0.5),  # K1 ja, K10 nee: 2 children, fewer than 5
        "statuses": v("in_order", FURTHER),
        "vacancies": v("in_order", FURTHER, ["A1"]),
        "agreement": v("in_order", FURTHER),  # signed on T
        "negative_advice": True, "zero_score": False},
    "P2": {
        # counted: A6, A7, A8, A9, A12, A13, A14, A15; late: A6, A12
        "answering": v("shortcoming", MINIMUM, ["A12", "A6"], share=6 / 8),
        "infopagina": v("shortcoming", MINIMUM, ["foto_logo", "tarief"]),
        "local_policy": v("shortcoming", MINIMUM, ["2026-06-01", "2026-11-01"]),  # 15/09 was withdrawn
        "plus_share": v("not_applicable", MINIMUM, share=None),
        "statuses": v("shortcoming", FURTHER, ["A13", "A7", "A8"]),  # three misuses, more than 2
        "vacancies": v("in_order", FURTHER),
        "agreement": v("shortcoming", FURTHER),  # signed the day after T
        "negative_advice": True, "zero_score": True},
    "P3": {
        "answering": v("in_order", MINIMUM, share=None),  # no requests
        "infopagina": v("unknown", MINIMUM),  # its only check is dated after T
        "local_policy": v("in_order", MINIMUM, ["2026-06-01"]),
        "plus_share": v("not_applicable", MINIMUM, share=None),  # trap 2A
        "statuses": v("in_order", FURTHER),
        "vacancies": v("in_order", FURTHER),
        "agreement": v("shortcoming", FURTHER),  # its only signature was withdrawn
        "negative_advice": False, "zero_score": True},
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_town_worked_out_by_hand(backend, tmp_path):
    found = judged(backend, tmp_path, HAND_TOWN)
    assert {pid: rules.contract_entry(verdicts) for pid, verdicts in found.items()} == HAND_EXPECTED
    assert_same(found, expected_verdicts(HAND_TOWN))
    late = found["P2"]["answering"].details["late_requests"]
    assert late == [  # A12 never answered: T - its deadline; A6 cancelled by the parents, never answered
        {"id": "A12", "received": d("2026-10-01"), "deadline": d("2026-10-15"), "answered_on": None, "days_late": 17},
        {"id": "A6", "received": d("2026-06-10"), "deadline": d("2026-06-24"), "answered_on": None, "days_late": 130}]
    assert found["P2"]["statuses"].details == {
        "direct_cancellations": ["A8"], "lingering": ["A13", "A7"],
        "status_dates": {"A7": d("2026-07-05"), "A8": d("2026-08-10"), "A13": d("2026-09-01")}}
    assert found["P1"]["infopagina"].details == {"checked_on": d("2025-11-01"), "age_days": 365, "missing_since": {}}
    assert found["P2"]["infopagina"].details["missing_since"] == {"foto_logo": d("2026-10-01"),
                                                                  "tarief": d("2026-03-01")}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_same_town_with_other_settings(backend, tmp_path):
    """Ninove's edges moved by a day or a share: each verdict that sat on one flips, nothing else does."""
    town = {**HAND_TOWN, "settings": replace(
        DEFAULTS, answering_min_share=0.75, lingering_days=61, infopagina_max_age_days=364, plus_min_children=2,
        plus_min_share=0.5, vacancy_window_days=29, unreported_max=0)}
    found = judged(backend, tmp_path, town)
    contract = {pid: rules.contract_entry(verdicts) for pid, verdicts in found.items()}
    # P2's 6 of 8 equals 0.75: in order (equal is in order); P1's 2 of 3 is not
    assert [contract[p]["answering"]["verdict"] for p in ("P1", "P2")] == ["shortcoming", "in_order"]
    # A13 in behandeling for 61 days is no longer lingering: A7 and A8 remain, not more than 2
    assert contract["P2"]["statuses"] == v("in_order", FURTHER, ["A7", "A8"])
    # P1's check, 365 days old, is now too old
    assert contract["P1"]["infopagina"] == v("unknown", MINIMUM)
    # two children are enough now, and one of two is exactly one half
    assert contract["P1"]["plus_share"] == v("in_order", MINIMUM, share=0.5)
    # with a window of 29 days the place from 31/10 no longer covers A10 (start 01/10); none may be uncovered
    assert contract["P1"]["vacancies"] == v("shortcoming", FURTHER, ["A1", "A10"])
    assert (contract["P2"]["negative_advice"], contract["P2"]["zero_score"]) == (True, True)  # infopagina, LOK
    assert_same(found, expected_verdicts(town))
