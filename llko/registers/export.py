"""The registers as the workbook holds them: one frame per sheet in the register's columns, the whole workbook,
and its empty template. What this writes, the importer reads back unchanged."""

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine

from llko import corrections
from llko.registers.sheets import SHEETS
from llko.reporting.export import to_xlsx_book
from llko.vacancies.queries import register_row, vacancies

_SQL = {
    "opvang": "SELECT id AS opvang_id, name AS naam, kind AS soort, subsidy_level AS subsidietrap, "
              "licensed_places AS vergunde_plaatsen, address AS adres, district AS deelgemeente, email, "
              "phone AS telefoon, contact_person AS contactpersoon, started_on AS gestart, stopped_on AS gestopt, "
              "reminders AS herinneringen FROM providers ORDER BY id",
    "infopagina": "SELECT provider_id AS opvang_id, checked_on AS datum_controle, source AS bron, openingsuren, "
                  "openingsdagen, contact, foto_logo, tarief, checked_by AS door FROM infopagina_checks "
                  f"WHERE {corrections.STANDING_SQL} ORDER BY provider_id, checked_on, source",
    "bevolking": "SELECT district AS deelgemeente, year AS jaar, children_under_3 AS kinderen_onder_3 "
                 "FROM population ORDER BY district, year",
    "overeenkomst": "SELECT provider_id AS opvang_id, signed_on AS ondertekend_op, signatory AS ondertekenaar, "
                    "function AS functie FROM agreements "
                    f"WHERE {corrections.STANDING_SQL} ORDER BY provider_id, signed_on",
}
_DATES = ("vanaf", "gemeld_op", "tot", "bevestigd_op", "afgesloten_op", "datum_controle", "ondertekend_op", "datum",
          "gestart", "gestopt")
_FLAGS = ("openingsuren", "openingsdagen", "contact", "foto_logo", "tarief", "herinneringen")


def columns(sheet: str) -> list[str]:
    return [c.name for c in SHEETS[sheet].columns]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as datetime.date, yes/no as bool (SQLite returns text and integers)."""
    for name in frame.columns:
        if name in _DATES:
            frame[name] = pd.to_datetime(frame[name], format="ISO8601").dt.date.astype(object).where(
                frame[name].notna(), None)
        elif name in _FLAGS:
            frame[name] = frame[name].astype(bool)
    return frame


def sheet(engine: Engine, name: str, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One register sheet as a frame in the workbook's columns (of these providers only, when given)."""
    if name == "vrije_plaatsen":
        rows = [register_row(v) for v in vacancies(engine, provider_ids)]
        frame = pd.DataFrame(rows, columns=columns(name))
        frame["dagen"] = [",".join(d) for d in frame["dagen"]]
        return _typed(frame)
    if name == "lok":
        with engine.connect() as conn:
            meetings = pd.read_sql(text("SELECT id, held_on AS datum, subject AS onderwerp FROM lok_meetings "
                                        f"WHERE {corrections.STANDING_SQL} ORDER BY held_on"), conn)
            present = pd.read_sql(text("SELECT meeting_id, provider_id FROM lok_attendance"), conn)
        who = present.sort_values("provider_id").groupby("meeting_id")["provider_id"].agg(",".join)
        meetings["aanwezig"] = meetings["id"].map(who).fillna("")
        return _typed(meetings[columns(name)])
    with engine.connect() as conn:
        frame = pd.read_sql(text(_SQL[name]), conn)
    if provider_ids is not None and "opvang_id" in frame:
        frame = frame[frame["opvang_id"].isin(provider_ids)]
    return _typed(frame.reset_index(drop=True))


def workbook(engine: Engine) -> bytes:
    """Every register in one XLSX, sheets and columns as the importer expects them."""
    return to_xlsx_book({name: sheet(engine, name) for name in SHEETS})


def template() -> bytes:
    """The empty register workbook: every sheet with its header row."""
    return to_xlsx_book({name: pd.DataFrame(columns=columns(name)) for name in SHEETS})
