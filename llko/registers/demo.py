"""The demo town's registers, brought in through the register workbook as a loket would on its first day: master
data for every provider (one at subsidietrap 3), a year of free places (some reported late, some not confirmed
for weeks, some providers that never report one), infopagina checks with gaps and a declaration to confirm, a
few unsigned agreements and two LOK meetings."""

import random
import re
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine

from llko.registers.export import columns
from llko.registers.workbook import import_register
from llko.reporting.export import to_xlsx_book

STREETS = ("Kerkstraat", "Stationsstraat", "Dreef", "Bergstraat", "Molenstraat", "Schoolstraat", "Lindestraat",
           "Brakelsesteenweg", "Geraardsbergsestraat", "Aalstersesteenweg", "Weggevoerdenlaan", "Kouterstraat")
CONTACTS = ("Ann", "Sofie", "Tine", "Veerle", "Karen", "Leen", "Inge", "Joke", "Evelien", "Nele", "Hilde", "Katrien",
            "Sarah", "Els", "Griet")
NEVER_REPORTS = 3  # providers that report no free place all year (R11 vacancies)
UNSIGNED = 3  # providers that have not signed the agreement (R10)


def _district(name: str) -> str:
    found = re.search(r"\(([^)]+)\)", name)
    return found.group(1) if found else "Ninove"


def _opvang(providers: list[tuple[str, str, str]], rng: random.Random) -> list[dict]:
    rows = []
    group_ids = [p for p, _, kind in providers if kind == "groepsopvang"]
    trap3 = group_ids[1] if len(group_ids) > 1 else None
    for i, (provider_id, name, kind) in enumerate(providers):
        family = kind == "gezinsopvang"
        person = name.split("Onthaalouder ")[1].split(" (")[0] if family else f"{CONTACTS[i % len(CONTACTS)]} " \
            f"{rng.choice(('Peeters', 'De Smet', 'Van Damme', 'Wauters', 'Claes', 'Goossens'))}"
        rows.append({
            "opvang_id": provider_id, "naam": name, "soort": kind,
            "subsidietrap": "3" if provider_id == trap3 else rng.choice(("0", "1", "2A", "2B") if not family else
                                                                       ("0", "1", "2A")),
            "vergunde_plaatsen": rng.choice((4, 5, 6, 8)) if family else rng.choice((14, 18, 21, 28, 36)),
            "adres": f"{rng.choice(STREETS)} {rng.randint(1, 180)}, 9400 {_district(name)}",
            "deelgemeente": _district(name),
            "email": f"info{i + 1:02d}@opvang-demo.be", "telefoon": f"054 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                                                                     f"{rng.randint(10, 99)}",
            "contactpersoon": person,
        })
    return rows


def _vacancies(providers: list[tuple[str, str, str]], today: date, rng: random.Random) -> list[dict]:
    rows = []
    reporting = [p for p, _, _ in providers][NEVER_REPORTS:]
    for provider_id in reporting:
        for _ in range(rng.randint(1, 5)):
            start = today - timedelta(days=rng.randint(-40, 330))
            late = rng.random() < 0.3  # the loket learned of it after it had started
            reported = start + timedelta(days=rng.randint(3, 25)) if late else start - timedelta(days=rng.randint(0, 30))
            reported = min(reported, today)
            kind = rng.choice(("vast", "vast", "tijdelijk", "deeltijds", "occasioneel"))
            end = start + timedelta(days=rng.randint(14, 120)) if kind in ("tijdelijk", "occasioneel") else None
            days = ("ma", "di", "wo", "do", "vr") if kind == "vast" else tuple(
                sorted(rng.sample(("ma", "di", "wo", "do", "vr"), rng.randint(1, 3)),
                       key=("ma", "di", "wo", "do", "vr").index))
            closed = reason = None
            if rng.random() < 0.45 and start + timedelta(days=10) < today:
                closed = min(today, start + timedelta(days=rng.randint(5, 90)))
                reason = "ingevuld" if rng.random() < 0.75 else "ingetrokken"
            confirmed = reported
            if closed is None and rng.random() < 0.6:  # confirmed since; the others go stale
                confirmed = min(today, max(reported, today - timedelta(days=rng.randint(0, 25))))
            rows.append({
                "opvang_id": provider_id, "vanaf": start, "gemeld_op": reported, "tot": end, "dagen": ",".join(days),
                "dagdeel": "dag" if kind == "vast" else rng.choice(("dag", "voormiddag", "namiddag")),
                "plaatsen": rng.choice((1, 1, 1, 2, 2, 3)), "leeftijd": rng.choice(("baby", "peuter", "alle", "alle")),
                "soort": kind, "bevestigd_op": confirmed, "afgesloten_op": closed, "reden": reason,
                "opmerking": rng.choice(("", "", "na verhuis van een gezin", "enkel tijdens de schoolvakanties",
                                         "vanaf de zomer")),
            })
    unique = {(r["opvang_id"], r["vanaf"], r["gemeld_op"]): r for r in rows}
    return list(unique.values())


def _infopagina(providers: list[tuple[str, str, str]], today: date, rng: random.Random) -> list[dict]:
    rows = []
    items = ("openingsuren", "openingsdagen", "contact", "foto_logo", "tarief")
    for i, (provider_id, _, _) in enumerate(providers):
        if i == len(providers) - 1:
            continue  # never looked at
        first = today - timedelta(days=rng.randint(200, 420))
        present = {item: rng.random() > 0.12 for item in items}
        rows.append({"opvang_id": provider_id, "datum_controle": first, "bron": "loket", **present, "door": "Loket"})
        if rng.random() < 0.6:
            later = first + timedelta(days=rng.randint(60, 180))
            present = {item: rng.random() > 0.08 for item in items}
            rows.append({"opvang_id": provider_id, "datum_controle": min(later, today), "bron": "loket", **present,
                         "door": "Loket"})
        if i % 5 == 2:  # a declaration the loket still has to confirm
            rows.append({"opvang_id": provider_id, "datum_controle": today - timedelta(days=rng.randint(2, 20)),
                         "bron": "opvang", **{item: True for item in items}, "door": "opvang"})
    return rows


def registers(providers: list[tuple[str, str, str]], today: date, seed: int = 11) -> dict[str, list[dict]]:
    """The demo registers as workbook rows. providers: (id, name, kind), in a fixed order."""
    rng = random.Random(seed)
    agreements = [{"opvang_id": p, "ondertekend_op": date(today.year, 1, 1) + timedelta(days=rng.randint(10, 60)),
                   "ondertekenaar": "", "functie": "verantwoordelijke"} for p, _, _ in providers[UNSIGNED:]]
    first_lok, second_lok = today - timedelta(days=250), today - timedelta(days=45)
    everyone = [p for p, _, _ in providers]
    lok = [{"datum": first_lok, "onderwerp": "Evaluatie van de procedure opvangvragen; advies van het LOK",
            "aanwezig": ",".join(everyone[::2] + everyone[1:6:2])},
           {"datum": second_lok, "onderwerp": "Vrije plaatsen melden; infopagina's",
            "aanwezig": ",".join(everyone[1::2] + everyone[:4:2])}]
    return {"opvang": _opvang(providers, rng), "vrije_plaatsen": _vacancies(providers, today, rng),
            "infopagina": _infopagina(providers, today, rng), "overeenkomst": agreements, "lok": lok}


def build(engine: Engine, today: date) -> None:
    """Bring the demo registers in through the register workbook (its importer checks them like any other)."""
    with engine.connect() as conn:
        providers = [tuple(r) for r in conn.execute(text("SELECT id, name, kind FROM providers ORDER BY name"))]
    sheets = {name: pd.DataFrame(rows, columns=columns(name)) for name, rows in registers(providers, today).items()}
    result = import_register(engine, [("demo-registers.xlsx", to_xlsx_book(sheets))], "systeem")
    if not result.ok:
        raise RuntimeError("De demoregisters zijn ongeldig: " + "; ".join(result.problems[:5]))
