"""Rule R7 (free places reported to the loket) and the checks of a vacancy form, as pure functions. No database,
no Streamlit; 'today' is always a parameter."""

import numbers
from dataclasses import dataclass
from datetime import date

from llko.clock import TYPED_YEARS, parse_day, typed_day_problem

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_PARTS = ("dag", "voormiddag", "namiddag")
AGE_GROUPS = ("baby", "peuter", "alle")
KINDS = ("vast", "tijdelijk", "deeltijds", "occasioneel")
CLOSE_REASONS = ("ingevuld", "ingetrokken")

WEEKDAY_LABELS = {"ma": "maandag", "di": "dinsdag", "wo": "woensdag", "do": "donderdag", "vr": "vrijdag",
                  "za": "zaterdag", "zo": "zondag"}
DAY_PART_LABELS = {"dag": "hele dag", "voormiddag": "voormiddag", "namiddag": "namiddag"}
AGE_LABELS = {"baby": "baby (< 18 maanden)", "peuter": "peuter (18–36 maanden)", "alle": "alle leeftijden"}
KIND_LABELS = {"vast": "vast", "tijdelijk": "tijdelijk", "deeltijds": "deeltijds", "occasioneel": "occasioneel"}
CLOSE_REASON_LABELS = {"ingevuld": "ingevuld (een kind neemt de plaats in)",
                       "ingetrokken": "ingetrokken (de plaats is niet meer vrij)"}

REMARK_MAX = 500  # the register's opmerking column holds at most this many characters
DATE_FORMAT = "%d/%m/%Y"
PLACES_MAX = 100  # places in one report; more is a typo
START_AHEAD_YEARS = 2  # a free place may be reported to start this far ahead (DESIGN.md "Dates people type")


@dataclass(frozen=True)
class Vacancy:
    """A free place (R7). bevestigd_op None means: not confirmed since it was reported (= gemeld_op)."""

    provider_id: str
    vanaf: date
    dagen: tuple[str, ...]
    plaatsen: int
    gemeld_op: date
    tot: date | None = None
    dagdeel: str = "dag"
    leeftijd: str = "alle"
    soort: str = "vast"
    bevestigd_op: date | None = None
    afgesloten_op: date | None = None
    reden: str | None = None
    opmerking: str = ""
    id: int | None = None


def is_active(v: Vacancy, day: date) -> bool:
    """R7: free on `day` — vanaf <= day, no tot or day <= tot, no afgesloten_op or day < afgesloten_op.
    gemeld_op does not matter: a place is free on a day even when it was reported later."""
    return (v.vanaf <= day
            and (v.tot is None or day <= v.tot)
            and (v.afgesloten_op is None or day < v.afgesloten_op))


def is_current(v: Vacancy, day: date) -> bool:
    """Active on `day` or still to come (vanaf later): not ended (tot) and not closed on `day`."""
    return (v.tot is None or day <= v.tot) and (v.afgesloten_op is None or day < v.afgesloten_op)


def last_confirmed(v: Vacancy) -> date:
    """The last day the provider confirmed the place is still free (gemeld_op until a confirmation)."""
    return v.bevestigd_op or v.gemeld_op


def is_stale(v: Vacancy, day: date, stale_days: int) -> bool:
    """Active on `day` and not confirmed for more than `stale_days` days (exactly stale_days is not stale)."""
    return is_active(v, day) and (day - last_confirmed(v)).days > stale_days


# --- the vacancy form ---------------------------------------------------------------------------------------------

def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _weekdays(value) -> list[str]:
    """The weekdays as written: a list of names, or text 'ma,di wo' (trimmed, lower-cased)."""
    if _blank(value):
        return []
    parts = value.replace(";", ",").replace(" ", ",").split(",") if isinstance(value, str) else list(value)
    return [str(p).strip().lower() for p in parts if str(p).strip()]


def _places(value) -> int:
    """A whole number from an int, an integral float or digits; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError(value)


def _choice(value, default: str | None) -> str | None:
    return default if _blank(value) else str(value).strip().lower()


def _one_of(allowed) -> str:
    return ", ".join(allowed)


def day_problem(day: date, today: date) -> str | None:
    """What is wrong with the day a person asks the free places of ('Vrij op'), or None: a free place may start up to
    START_AHEAD_YEARS ahead, so the day may lie that far ahead too; never more than TYPED_YEARS back."""
    return typed_day_problem("Vrij op", day, today, ahead_years=START_AHEAD_YEARS)


# The fields of the vacancy form as the form names them (a refused form's messages start with them).
FORM_LABELS = {"vanaf": "Vrij vanaf", "tot": "Vrij tot", "dagen": "Weekdagen", "plaatsen": "Aantal plaatsen",
               "dagdeel": "Dagdeel", "leeftijd": "Leeftijd", "soort": "Soort plaats", "opmerking": "Opmerking",
               "afgesloten_op": "Afgesloten op", "reden": "Reden"}


def problems(fields: dict, today: date, new: bool) -> dict[str, str]:
    """What is wrong with a vacancy form: {column: one Dutch message}, {} when it can be saved.

    fields: the raw values under the register's column names (vanaf, tot, dagen, dagdeel, plaatsen, leeftijd,
    soort, afgesloten_op, reden, opmerking); dates as date or text (dd/mm/jjjj, jjjj-mm-dd), dagen as a list or
    'ma,di', choices case-free. A blank dagdeel, leeftijd or soort takes its default. new: a vacancy being
    reported now (not an edit), which may not be over already.
    """
    found: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for key, label in (("vanaf", "Vanaf"), ("tot", "Tot"), ("afgesloten_op", "Afgesloten op")):
        raw = fields.get(key)
        dates[key] = None
        if _blank(raw):
            continue
        try:
            dates[key] = parse_day(raw)
        except ValueError:
            found[key] = f"'{label}' is geen geldige datum: schrijf dd/mm/jjjj."
    if _blank(fields.get("vanaf")):
        found["vanaf"] = "Vul in vanaf wanneer de plaats vrij is ('vanaf')."

    vanaf, tot = dates["vanaf"], dates["tot"]
    if vanaf is not None and tot is not None and tot < vanaf:
        found["tot"] = (f"'Tot' ligt vóór 'vanaf' ({tot.strftime(DATE_FORMAT)} < {vanaf.strftime(DATE_FORMAT)}): "
                        "een vrije plaats eindigt niet voor ze begint.")
    elif new and tot is not None and tot < today:
        found["tot"] = (f"Een vrije plaats die al voorbij is, kan niet meer gemeld worden: 'tot' "
                        f"({tot.strftime(DATE_FORMAT)}) ligt vóór vandaag ({today.strftime(DATE_FORMAT)}).")
    for key, ahead in (("vanaf", START_AHEAD_YEARS), ("tot", TYPED_YEARS)):  # a typo, never replaced by a date
        if dates[key] is not None and key not in found:
            if wrong := typed_day_problem(None, dates[key], today, ahead_years=ahead):
                found[key] = wrong

    days = _weekdays(fields.get("dagen"))
    unknown = [d for d in days if d not in WEEKDAYS]
    if not days:
        found["dagen"] = "Kies minstens één weekdag."
    elif unknown:
        found["dagen"] = f"Onbekende weekdag '{unknown[0]}': kies uit {_one_of(WEEKDAYS)}."

    try:
        places = _places(fields.get("plaatsen"))
        if places < 1:
            raise ValueError
        if places > PLACES_MAX:
            found["plaatsen"] = (f"'Plaatsen' is hoogstens {PLACES_MAX} per melding ({places} is wellicht een "
                                 "tikfout).")
    except ValueError:
        found["plaatsen"] = "'Plaatsen' moet een geheel getal zijn van minstens 1."

    for key, label, allowed, default in (("dagdeel", "Dagdeel", DAY_PARTS, "dag"),
                                         ("leeftijd", "Leeftijd", AGE_GROUPS, "alle"),
                                         ("soort", "Soort", KINDS, "vast")):
        if _choice(fields.get(key), default) not in allowed:
            found[key] = f"Onbekende waarde voor '{label}': kies uit {_one_of(allowed)}."

    reason = _choice(fields.get("reden"), None)
    closed = not _blank(fields.get("afgesloten_op"))
    if reason is not None and reason not in CLOSE_REASONS:
        found["reden"] = f"Onbekende reden: kies uit {_one_of(CLOSE_REASONS)}."
    elif closed and reason is None:
        found["reden"] = f"Geef een reden bij 'afgesloten op': {' of '.join(CLOSE_REASONS)}."
    elif not closed and reason is not None:
        found["reden"] = "Een reden hoort alleen bij een afgesloten plaats: vul ook 'afgesloten op' in."

    remark = fields.get("opmerking")
    if not _blank(remark) and len(str(remark).strip()) > REMARK_MAX:
        found["opmerking"] = f"De opmerking is te lang: hoogstens {REMARK_MAX} tekens."
    return found


def clean(fields: dict) -> dict:
    """The form's values as the register keeps them (dates, weekdays in R7's order, a whole number of places,
    defaults for blank choices, trimmed remark). Only for fields that problems() accepted."""
    days = set(_weekdays(fields.get("dagen")))
    optional = {k: None if _blank(fields.get(k)) else parse_day(fields[k]) for k in ("tot", "afgesloten_op")}
    return {
        "vanaf": parse_day(fields["vanaf"]),
        **optional,
        "dagen": tuple(d for d in WEEKDAYS if d in days),
        "dagdeel": _choice(fields.get("dagdeel"), "dag"),
        "plaatsen": _places(fields["plaatsen"]),
        "leeftijd": _choice(fields.get("leeftijd"), "alle"),
        "soort": _choice(fields.get("soort"), "vast"),
        "reden": _choice(fields.get("reden"), None),
        "opmerking": "" if _blank(fields.get("opmerking")) else str(fields["opmerking"]).strip(),
    }
