"""The demo town's registers, brought in through the register workbook as a loket would on its first day: master
data for every provider (one at subsidietrap 3), free places over the whole history (some reported late, some not
confirmed for weeks, one provider that never reports one), infopagina checks (a first round the year before, gaps
that were mended, one provider with gaps still open, one checked too long ago, one never looked at, a declaration
to confirm), agreements signed over the years (two never), and two LOK meetings a year.

The providers that play a part here are named (the names of the demo town, llko.demo.PROVIDERS); given other
providers, those parts are simply not played. A provider that reports its free places has reported a place
before each child it approved (R11 vacancies: the loket's register shows the place the approval filled), but for
at most one approval it forgot, which the rule tolerates.
"""

import random
import re
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from llko.compliance.rules import is_covered
from llko.registers.export import columns
from llko.registers.workbook import import_register
from llko.reporting.export import to_xlsx_book
from llko.requests import statuses
from llko.requests.models import Request
from llko.clock import parse_day
from llko.settings import DEFAULTS
from llko.vacancies.rules import Vacancy

STREETS = ("Kerkstraat", "Stationsstraat", "Dreef", "Bergstraat", "Molenstraat", "Schoolstraat", "Lindestraat",
           "Brakelsesteenweg", "Geraardsbergsestraat", "Aalstersesteenweg", "Weggevoerdenlaan", "Kouterstraat")
CONTACTS = ("Ann", "Sofie", "Tine", "Veerle", "Karen", "Leen", "Inge", "Joke", "Evelien", "Nele", "Hilde", "Katrien",
            "Sarah", "Els", "Griet")
ITEMS = ("openingsuren", "openingsdagen", "contact", "foto_logo", "tarief")  # R6, in its order

TRAP_3 = "Kinderdagverblijf Klavertje Vier (Nederhasselt)"  # plussubsidie (R8)
NEVER_REPORTS = ("Crèche De Zonnebloem (Denderwindeke)",)  # no free place reported all year (R11 vacancies)
UNSIGNED = ("Crèche Pimpampoentje (Outer)", "Onthaalouder Nathalie Van Impe (Voorde)")  # agreement (R10)
INFOPAGINA_GAPS = {"Kinderdagverblijf De Rupsjes (Okegem)": ("foto_logo", "tarief")}  # still missing (R6)
INFOPAGINA_OUTDATED = ("Onthaalouder Sarah Van den Bossche (Okegem)",)  # last loket check over a year ago
INFOPAGINA_NEVER = ("Onthaalouder Griet D'Hondt (Ninove)",)  # never looked at

# Children younger than 3 per deelgemeente: fictitious, of a plausible size (the demo town is not Ninove).
CHILDREN_UNDER_3 = {"Ninove": 430, "Appelterre-Eichem": 95, "Aspelare": 45, "Denderwindeke": 125, "Lieferinge": 40,
                    "Meerbeke": 150, "Nederhasselt": 55, "Neigem": 40, "Okegem": 110, "Outer": 85, "Pollare": 50,
                    "Voorde": 35}

Approvals = dict[str, list[tuple[date, date]]]  # provider id -> (approval date, desired start or approval date)


def _district(name: str) -> str:
    found = re.search(r"\(([^)]+)\)", name)
    return found.group(1) if found else "Ninove"


def _opvang(providers: list[tuple[str, str, str]], rng: random.Random) -> list[dict]:
    rows = []
    for i, (provider_id, name, kind) in enumerate(providers):
        family = kind == "gezinsopvang"
        person = name.split("Onthaalouder ")[1].split(" (")[0] if family else f"{CONTACTS[i % len(CONTACTS)]} " \
            f"{rng.choice(('Peeters', 'De Smet', 'Van Damme', 'Wauters', 'Claes', 'Goossens'))}"
        rows.append({
            "opvang_id": provider_id, "naam": name, "soort": kind,
            "subsidietrap": "3" if name == TRAP_3 else rng.choice(("0", "1", "2A", "2B") if not family else
                                                                  ("0", "1", "2A")),
            "vergunde_plaatsen": rng.choice((4, 5, 6, 8)) if family else rng.choice((14, 18, 21, 28, 36)),
            "adres": f"{rng.choice(STREETS)} {rng.randint(1, 180)}, 9400 {_district(name)}",
            "deelgemeente": _district(name),
            "email": f"info{i + 1:02d}@opvang-demo.be", "telefoon": f"054 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                                                                     f"{rng.randint(10, 99)}",
            "contactpersoon": person,
        })
    return rows


def _vacancies(providers: list[tuple[str, str, str]], first: date, today: date, rng: random.Random,
               approvals: Approvals) -> list[dict]:
    rows = []
    for provider_id, name, _ in providers:
        if name in NEVER_REPORTS:
            continue
        own = []
        span = (today - first).days - 30
        for _ in range(rng.randint(1, 5) * (1 + span // 365)):
            start = today - timedelta(days=rng.randint(-40, span))
            late = rng.random() < 0.3  # the loket learned of it after it had started
            shift = rng.randint(3, 25) if late else -rng.randint(0, 30)
            reported = min(start + timedelta(days=shift), today)
            kind = rng.choice(("vast", "vast", "tijdelijk", "deeltijds", "occasioneel"))
            end = start + timedelta(days=rng.randint(14, 120)) if kind in ("tijdelijk", "occasioneel") else None
            days = ("ma", "di", "wo", "do", "vr") if kind == "vast" else tuple(
                sorted(rng.sample(("ma", "di", "wo", "do", "vr"), rng.randint(1, 3)),
                       key=("ma", "di", "wo", "do", "vr").index))
            closed = reason = None
            closing = rng.random() < 0.45 or start < today - timedelta(days=150)  # an old place is filled by now
            if closing and start + timedelta(days=10) < today:
                closed = min(today, start + timedelta(days=rng.randint(5, 90)))
                reason = "ingevuld" if rng.random() < 0.75 else "ingetrokken"
            confirmed = reported
            if closed is None and rng.random() < 0.6:  # confirmed since; the others go stale
                confirmed = min(today, max(reported, today - timedelta(days=rng.randint(0, 25))))
            own.append({
                "opvang_id": provider_id, "vanaf": start, "gemeld_op": reported, "tot": end, "dagen": ",".join(days),
                "dagdeel": "dag" if kind == "vast" else rng.choice(("dag", "voormiddag", "namiddag")),
                "plaatsen": rng.choice((1, 1, 1, 2, 2, 3)), "leeftijd": rng.choice(("baby", "peuter", "alle", "alle")),
                "soort": kind, "bevestigd_op": confirmed, "afgesloten_op": closed, "reden": reason,
                "opmerking": rng.choice(("", "", "na verhuis van een gezin", "enkel tijdens de schoolvakanties",
                                         "vanaf de zomer")),
            })
        rows += own + _filled_places(provider_id, own, approvals.get(provider_id, []), rng)
    unique = {(r["opvang_id"], r["vanaf"], r["gemeld_op"]): r for r in rows}
    return list(unique.values())


def _filled_places(provider_id: str, reported: list[dict], approvals: list[tuple[date, date]],
                   rng: random.Random) -> list[dict]:
    """The places a reporting provider reported before it filled them: for each approval no reported place covers
    yet (R11 vacancies), a place from the first of the month the child starts, reported a few days to weeks before
    the approval and closed as filled on the approval day. Sometimes one approval is left without (forgotten)."""
    window = DEFAULTS.vacancy_window_days
    forgotten = rng.randrange(len(approvals)) if approvals and rng.random() < 0.4 else None
    places, rows = [], []

    def covered(approved_on: date, start: date) -> bool:
        return any(is_covered(approved_on, start, v, window) for v in places)

    for row in reported:
        places.append(Vacancy(provider_id, row["vanaf"], tuple(row["dagen"].split(",")), row["plaatsen"],
                              row["gemeld_op"], row["tot"]))
    for i, (approved_on, start) in enumerate(sorted(approvals)):
        if i == forgotten or covered(approved_on, start):
            continue
        vanaf = start.replace(day=1)
        reported_on = approved_on - timedelta(days=rng.randint(3, 40))
        places.append(Vacancy(provider_id, vanaf, ("ma", "di", "wo", "do", "vr"), 1, reported_on))
        rows.append({"opvang_id": provider_id, "vanaf": vanaf, "gemeld_op": reported_on, "tot": None,
                     "dagen": "ma,di,wo,do,vr", "dagdeel": "dag", "plaatsen": 1,
                     "leeftijd": rng.choice(("baby", "peuter", "alle", "alle")), "soort": "vast",
                     "bevestigd_op": reported_on, "afgesloten_op": approved_on, "reden": "ingevuld",
                     "opmerking": rng.choice(("", "", "", "een kind gaat naar school", "na verhuis van een gezin"))})
    return rows


def _infopagina(providers: list[tuple[str, str, str]], start: date, today: date, rng: random.Random) -> list[dict]:
    """A first loket check 7 to 14 months ago, its gaps mended at a later check (within the year) where the
    first had any, or sometimes anyway; the named providers keep their gaps, were checked too long ago, or never."""
    rows = []

    def check(provider_id: str, day: date, present: dict, source: str = "loket") -> None:
        rows.append({"opvang_id": provider_id, "datum_controle": day, "bron": source, **present,
                     "door": "Loket" if source == "loket" else "opvang"})

    for i, (provider_id, name, _) in enumerate(providers):
        if name in INFOPAGINA_NEVER:
            continue
        first = today - timedelta(days=rng.randint(200, 420))
        present = {item: rng.random() > 0.12 for item in ITEMS}
        if name in INFOPAGINA_OUTDATED:
            first = today - timedelta(days=rng.randint(380, 420))
        elif name in INFOPAGINA_GAPS:
            present = {item: item not in INFOPAGINA_GAPS[name] for item in ITEMS}
        earliest = start + timedelta(days=rng.randint(200, 500))
        if earliest < first - timedelta(days=60):  # the loket's first round of checks, the year before
            check(provider_id, earliest, {item: rng.random() > 0.2 for item in ITEMS})
        check(provider_id, first, present)
        if name in INFOPAGINA_GAPS:
            later = today - timedelta(days=rng.randint(20, 90))
            check(provider_id, later, {item: item not in INFOPAGINA_GAPS[name] for item in ITEMS})
        elif name not in INFOPAGINA_OUTDATED and (not all(present.values()) or (today - first).days > 330
                                                  or rng.random() < 0.5):
            later = max(first + timedelta(days=rng.randint(60, 180)), today - timedelta(days=330))
            check(provider_id, min(later, today), {item: True for item in ITEMS})
        if i % 5 == 2:  # a declaration the loket still has to confirm
            check(provider_id, today - timedelta(days=rng.randint(2, 20)), {item: True for item in ITEMS}, "opvang")
    return rows


def registers(providers: list[tuple[str, str, str]], today: date, seed: int = 11,
              approvals: Approvals | None = None, start: date | None = None) -> dict[str, list[dict]]:
    """The demo registers as workbook rows. providers: (id, name, kind), in a fixed order; approvals: per provider
    id, its approved requests as (approval date, desired start or else the approval date); start: the first day of
    the town's history (default: a year before today)."""
    rng = random.Random(seed)
    start = start or today - timedelta(days=365)
    agreements = [{"opvang_id": p, "ondertekend_op": today - timedelta(days=rng.randint(240, 330)) if i % 4 == 3
                   else start + timedelta(days=rng.randint(20, 200)), "ondertekenaar": "", "functie": "verantwoordelijke"}
                  for i, (p, name, _) in enumerate(providers) if name not in UNSIGNED]
    first_lok, second_lok = today - timedelta(days=250), today - timedelta(days=45)
    everyone = [p for p, _, _ in providers]
    earlier = [(date(year, month, day), subject) for year in range(start.year, today.year)
               for month, day, subject in ((3, 14, "Evaluatie van de procedure opvangvragen; advies van het LOK"),
                                           (10, 10, "Vrije plaatsen en de cijfers van het voorbije jaar"))]
    lok = [{"datum": day, "onderwerp": subject, "aanwezig": ",".join(sorted(set(everyone) - set(
               rng.sample(everyone, min(len(everyone), 4)))))} for day, subject in earlier if day < first_lok]
    lok += [{"datum": first_lok, "onderwerp": "Evaluatie van de procedure opvangvragen; advies van het LOK",
             "aanwezig": ",".join(everyone[::2] + everyone[1:6:2])},
            {"datum": second_lok, "onderwerp": "Vrije plaatsen melden; infopagina's",
             "aanwezig": ",".join(everyone[1::2] + everyone[:4:2])}]
    population = [{"deelgemeente": district, "jaar": year, "kinderen_onder_3": round(children * (1 + 0.03 * back))}
                  for district, children in CHILDREN_UNDER_3.items() for back, year in enumerate(
                      range(today.year, today.year - 3, -1))]
    return {"opvang": _opvang(providers, rng), "vrije_plaatsen": _vacancies(providers, start, today, rng, approvals or {}),
            "infopagina": _infopagina(providers, start, today, rng), "overeenkomst": agreements, "lok": lok,
            "bevolking": population}


def approved_requests(engine: Engine) -> Approvals:
    """Per provider id, its approved requests: (approval date, desired start or else the approval date)."""
    found: Approvals = {}
    query = select(Request.provider_id, Request.status_date, Request.desired_start).where(
        Request.status == statuses.APPROVED).order_by(Request.id)
    with engine.connect() as conn:
        for provider_id, approved_on, start in conn.execute(query):
            found.setdefault(provider_id, []).append((approved_on, start or approved_on))
    return found


def build(engine: Engine, today: date) -> None:
    """Bring the demo registers in through the register workbook (its importer checks them like any other)."""
    with engine.connect() as conn:
        providers = [tuple(r) for r in conn.execute(text("SELECT id, name, kind FROM providers ORDER BY name"))]
        start = conn.execute(select(func.min(Request.received))).scalar()
    found = registers(providers, today, approvals=approved_requests(engine), start=parse_day(start) if start else None)
    sheets = {name: pd.DataFrame(rows, columns=columns(name)) for name, rows in found.items()}
    result = import_register(engine, [("demo-registers.xlsx", to_xlsx_book(sheets))], "systeem")
    if not result.ok:
        raise RuntimeError("De demoregisters zijn ongeldig: " + "; ".join(result.problems[:5]))
