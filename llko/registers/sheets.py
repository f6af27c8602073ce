"""The register workbook's sheets and columns (DESIGN.md "The register workbook"), and how a cell is read.

A cell reader takes the trimmed cell (text, a number, a date or a boolean as a spreadsheet holds it) and
returns the value to store, or raises CellError with what was expected. Blank cells never reach a reader.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from llko import dutch
from llko.agreements.service import NAME_MAX, SUBJECT_MAX
from llko.clock import parse_day
from llko.vacancies.rules import AGE_GROUPS, CLOSE_REASONS, DAY_PARTS, KINDS, REMARK_MAX, WEEKDAYS


class CellError(ValueError):
    """A cell that does not hold what its column expects; the message says what was expected (Dutch)."""


def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def day(value) -> date:
    """A day as llko.clock.parse_day reads it (dd/mm/jjjj, dd/mm/jj as 20jj, jjjj-mm-dd, or a real spreadsheet
    date)."""
    try:
        return parse_day(value if isinstance(value, (date, str)) else text(value))
    except ValueError:
        raise CellError("een datum als dd/mm/jjjj") from None


def at_most(characters: int) -> Callable:
    """Text of at most this many characters: the limit of the form that makes the same entry."""
    def read(value) -> str:
        raw = text(value)
        if len(raw) > characters:
            raise CellError(f"tekst van hoogstens {characters} tekens (nu {dutch.whole(len(raw))})")
        return raw
    return read


def whole(minimum: int) -> Callable:
    def read(value) -> int:
        raw = text(value).replace(",", ".")
        try:
            number = float(raw)
        except ValueError:
            raise CellError(f"een geheel getal van minstens {minimum}") from None
        if not number.is_integer() or number < minimum:
            raise CellError(f"een geheel getal van minstens {minimum}")
        return int(number)
    return read


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    try:
        found = dutch.parse_yes_no(text(value))
    except ValueError:
        found = None
    if found is None:
        raise CellError("ja of nee (ook j/n of 1/0)")
    return found


def one_of(allowed: tuple[str, ...], upper: bool = False) -> Callable:
    def read(value) -> str:
        raw = text(value)
        raw = raw.upper() if upper else raw.lower()
        if raw not in allowed:
            raise CellError("één van " + ", ".join(allowed))
        return raw
    return read


def weekdays(value) -> str:
    """'Ma, di' -> 'ma,di' in R7's order; every day known, at least one."""
    days = [d for d in re.split(r"[\s,;/]+", text(value).lower()) if d]
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown or not days:
        raise CellError("weekdagen uit " + ",".join(WEEKDAYS) + ", gescheiden door komma's")
    return ",".join(d for d in WEEKDAYS if d in days)


def id_list(value) -> tuple[str, ...]:
    return tuple(sorted({p.strip() for p in re.split(r"[,;]+", text(value)) if p.strip()}))


@dataclass(frozen=True)
class Column:
    name: str  # as in the workbook
    attribute: str  # in the table (or a name the sheet's writer knows)
    read: Callable = text
    required: bool = False
    key: bool = False
    default: object = None  # stored for a blank cell


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    provider_columns: tuple[str, ...] = field(default=("opvang_id",))  # opvang ids that must exist

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)


# The opvang sheet's cells are read as text here and judged by the Opvang page's own rules
# (llko.providers.service.clean: lengths, e-mail, soort, trap, dates), so the workbook refuses what the form refuses.
OPVANG = Sheet("opvang", (
    Column("opvang_id", "id", at_most(64), required=True, key=True),
    Column("naam", "name", required=True),
    Column("soort", "kind"),
    Column("subsidietrap", "subsidy_level"),
    Column("vergunde_plaatsen", "licensed_places"),
    Column("adres", "address"),
    Column("deelgemeente", "district"),
    Column("email", "email"),
    Column("telefoon", "phone"),
    Column("contactpersoon", "contact_person"),
    Column("gestart", "started_on", day),
    Column("gestopt", "stopped_on", day),
    Column("herinneringen", "reminders", yes_no, default=True),
), provider_columns=())
VRIJE_PLAATSEN = Sheet("vrije_plaatsen", (
    Column("opvang_id", "provider_id", required=True, key=True),
    Column("vanaf", "start_date", day, required=True, key=True),
    Column("gemeld_op", "reported_on", day, required=True, key=True),
    Column("tot", "end_date", day),
    Column("dagen", "weekdays", weekdays, required=True),
    Column("dagdeel", "day_part", one_of(DAY_PARTS), default="dag"),
    Column("plaatsen", "places", whole(1), required=True),
    Column("leeftijd", "age_group", one_of(AGE_GROUPS), default="alle"),
    Column("soort", "kind", one_of(KINDS), default="vast"),
    Column("bevestigd_op", "confirmed_on", day),  # blank: gemeld_op
    Column("afgesloten_op", "closed_on", day),
    Column("reden", "close_reason", one_of(CLOSE_REASONS)),
    Column("opmerking", "remark", at_most(REMARK_MAX), default=""),
))
INFOPAGINA = Sheet("infopagina", (
    Column("opvang_id", "provider_id", required=True, key=True),
    Column("datum_controle", "checked_on", day, required=True, key=True),
    Column("bron", "source", one_of(("loket", "opvang")), required=True, key=True),
    Column("openingsuren", "openingsuren", yes_no, required=True),
    Column("openingsdagen", "openingsdagen", yes_no, required=True),
    Column("contact", "contact", yes_no, required=True),
    Column("foto_logo", "foto_logo", yes_no, required=True),
    Column("tarief", "tarief", yes_no, required=True),
    Column("door", "checked_by", at_most(120), default=""),
))
OVEREENKOMST = Sheet("overeenkomst", (
    Column("opvang_id", "provider_id", required=True, key=True),
    Column("ondertekend_op", "signed_on", day, required=True, key=True),
    Column("ondertekenaar", "signatory", at_most(NAME_MAX), default=""),
    Column("functie", "function", at_most(NAME_MAX), default=""),
))
LOK = Sheet("lok", (
    Column("datum", "held_on", day, required=True, key=True),
    Column("onderwerp", "subject", at_most(SUBJECT_MAX), default=""),
    Column("aanwezig", "attendance", id_list, default=()),
), provider_columns=("aanwezig",))

BEVOLKING = Sheet("bevolking", (
    Column("deelgemeente", "district", at_most(100), required=True, key=True),
    Column("jaar", "year", whole(1900), required=True, key=True),
    Column("kinderen_onder_3", "children_under_3", whole(0), required=True),
), provider_columns=())

SHEETS = {s.name: s for s in (OPVANG, VRIJE_PLAATSEN, INFOPAGINA, OVEREENKOMST, LOK, BEVOLKING)}


def sheet_key(name: str) -> str:
    """'Vrije plaatsen', 'VRIJE_PLAATSEN ' -> 'vrije_plaatsen' (also headers: 'Opvang ID' -> 'opvang_id')."""
    return re.sub(r"[\s_\-]+", "_", str(name).strip().lower()).strip("_")
