"""Import of the register workbook: all sheets or nothing, a Dutch message per bad cell, idempotent.

Rows are identified by their key columns; a row with a known key updates the columns its sheet has (a blank
cell clears the value or sets its default), columns the sheet lacks are left alone, and a row is never deleted
by its absence. See DESIGN.md "The register workbook".
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from llko import audit, dutch
from llko.agreements import service as agreement_service
from llko.db import retry_when_busy, transaction
from llko.infopagina import service as infopagina_service
from llko.providers import service as provider_service
from llko.providers.models import Provider
from llko.reporting import population
from llko.files import archive, bounded, caps, messages, plaintext, spreadsheets
from llko.registers.sheets import SHEETS, CellError, Sheet, sheet_key
from llko.vacancies import service as vacancy_service

MAX_ROWS = 50_000  # rows per sheet: a register of a town is hundreds
SWAPPED = ("Werden dag en maand omgewisseld door een rekenblad in een andere taal (bv. Engels)? Zet de taal op "
           "Nederlands (België) voor u de werkmap opent, of typ de datums als dd/mm/jjjj.")


@dataclass
class RegisterResult:
    """What an import did, or why it was refused (nothing written then)."""

    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # sheet -> new / updated / unchanged

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    values: dict  # column name -> typed value, for the columns the sheet has


class _Refused(Exception):
    pass


# --- reading ----------------------------------------------------------------------------------------------


def _limits() -> spreadsheets.Limits:
    """How large a sheet may be: a header and MAX_ROWS rows; columns and cells as the export import caps them."""
    return spreadsheets.Limits(rows=MAX_ROWS + 1, columns=caps.MAX_COLUMNS, cells=caps.MAX_CELLS)


def _over_limit(error: spreadsheets.OverLimit) -> str:
    """The Dutch explanation of a sheet past a limit."""
    if error.what == spreadsheets.ROWS:
        return f"Blad '{error.sheet}' heeft meer dan {dutch.whole(MAX_ROWS)} rijen."
    if error.what == spreadsheets.COLUMNS:
        return (f"Blad '{error.sheet}' heeft meer dan {caps.MAX_COLUMNS} kolommen; een registerblad heeft er veel "
                "minder. Controleer of u het juiste bestand koos.")
    return (f"De werkmap heeft meer dan {dutch.whole(caps.MAX_CELLS)} cellen (rijen maal kolommen); een "
            "registerwerkmap is veel kleiner. Controleer of u het juiste bestand koos.")


def _csv_rows(name: str, data: bytes) -> list[list]:
    """The rows of a CSV (without trailing empty fields), within the limits: a row wider than the column cap (the
    header first) is refused before anything is done with its columns."""
    try:
        body = plaintext.decode(data)
    except plaintext.NotText:
        raise _Refused(f"'{name}' kon niet gelezen worden als CSV-bestand.") from None
    sep = plaintext.separator(body.splitlines()[0] if body else "")
    sheets = spreadsheets.Sheets(_limits())
    sheets.start(Path(name).stem)
    try:
        for row in csv.reader(io.StringIO(body), delimiter=sep):
            while row and row[-1] == "":
                row.pop()
            sheets.add(row)
            sheets.check_height()
    except spreadsheets.OverLimit as error:
        raise _Refused(_over_limit(error)) from None
    except csv.Error:  # a field longer than the csv module takes, a NUL byte
        raise _Refused(f"'{name}' kon niet gelezen worden als CSV-bestand.") from None
    return sheets.rows


def _workbook_sheets(name: str, data: bytes, kind: str) -> dict[str, list[list]]:
    """Every sheet of an XLSX or ODS, read in a process of its own (llko.files.bounded: bounded in time and memory)
    within the limits, which hold before anything the workbook claims is expanded."""
    try:
        return bounded.run_bounded("llko.files.spreadsheets:read_sheets", data, _limits())
    except spreadsheets.OverLimit as error:
        raise _Refused(_over_limit(error)) from None
    except spreadsheets.Unreadable:
        raise _Refused("Het bestand kon niet gelezen worden als " + (
            "Excel-werkmap (XLSX)." if kind == spreadsheets.XLSX else "OpenDocument-rekenblad (ODS).")) from None
    except bounded.Unfinished as unfinished:
        raise _Refused(_unfinished(name, unfinished.reason)) from None


def _unfinished(name: str, reason: str) -> str:
    """The Dutch explanation of a workbook whose reading gave no answer."""
    if reason == bounded.SLOW:
        return (f"'{name}' kon niet binnen {bounded.seconds_text()} gelezen worden; een registerwerkmap gaat veel "
                "sneller. Controleer of u het juiste bestand koos.")
    if reason == bounded.MEMORY:
        return (f"'{name}' vraagt meer dan {bounded.MAX_MEMORY_MB} MB geheugen om gelezen te worden; een "
                "registerwerkmap is veel kleiner. Controleer of u het juiste bestand koos.")
    return (f"'{name}' kon niet gelezen worden: het lezen werd afgebroken (een beschadigd bestand, of te weinig "
            "geheugen). Bewaar de werkmap opnieuw als Excel-werkmap (.xlsx) of OpenDocument-rekenblad (.ods).")


def _check_sizes(name: str, data: bytes) -> None:
    """A zip bomb is refused before anything is unpacked, from the sizes in the workbook's zip directory."""
    found = archive.oversize(archive.parts(data) or [], caps.MAX_XML_MB, caps.MAX_RATIO)
    if found == archive.UNPACKED:
        raise _Refused(f"'{name}' is uitgepakt groter dan {caps.MAX_XML_MB} MB; een registerwerkmap is veel kleiner. "
                       "Controleer of u het juiste bestand koos.")
    if found == archive.RATIO:
        raise _Refused(f"'{name}' is ongewoon sterk gecomprimeerd: uitgepakt is een deel meer dan {caps.MAX_RATIO} keer "
                       "zo groot. Een registerwerkmap is dat nooit; controleer of u het juiste bestand koos.")


def read_files(files: list[tuple[str, bytes]]) -> dict[str, list[list]]:
    """{sheet name as written: rows of raw cells}: every sheet of an XLSX or ODS (judged by the content; read in a
    process of its own), or a CSV named after its sheet. Raises _Refused with the Dutch reason."""
    sheets: dict[str, list[list]] = {}
    for name, data in files:
        kind = spreadsheets.kind_of(data)
        if kind == spreadsheets.XLS:
            raise _Refused(f"'{name}': {spreadsheets.MSG_XLS}")
        if kind in (spreadsheets.XLSX, spreadsheets.ODS):
            _check_sizes(name, data)
            found = _workbook_sheets(name, data, kind)
        elif Path(name).suffix.lower() in (".csv", ".txt"):
            found = {Path(name).stem: _csv_rows(name, data)}
        else:
            raise _Refused(f"'{name}': kies een Excel-werkmap (.xlsx), een OpenDocument-rekenblad (.ods) of een "
                           "CSV-bestand per blad.")
        for title, rows in found.items():
            if sheet_key(title) in {sheet_key(t) for t in sheets}:
                raise _Refused(f"Het blad '{title}' komt twee keer voor.")
            sheets[title] = rows
    return sheets


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_sheet(sheet: Sheet, title: str, rows: list[list], problems: list[str], notices: list[str]) -> list[_Row]:
    """The typed rows of one sheet; a problem per bad cell."""
    while rows and all(_blank(v) for v in rows[0]):  # leading empty lines
        rows = rows[1:]
    if not rows:
        return []
    header = [sheet_key(h) if not _blank(h) else "" for h in rows[0]]
    unknown = [h for h in header if h and sheet.column(h) is None]
    if unknown:
        notices.append(f"Blad {sheet.name}: onbekende kolom(men) overgeslagen: {', '.join(unknown)}.")
    missing = [c.name for c in sheet.columns if c.required and c.name not in header]
    if missing:
        problems.append(f"Blad {sheet.name}: de verplichte kolom(men) {', '.join(missing)} ontbreken.")
        return []
    duplicates = {h for h, times in Counter(header).items() if h and times > 1}
    if duplicates:
        problems.append(f"Blad {sheet.name}: de kolom(men) {', '.join(sorted(duplicates))} staan er twee keer in.")
        return []
    parsed = []
    bad: dict[tuple[str, str], list[tuple[int, str]]] = {}  # (column, what was expected) -> (row, value)
    for offset, raw in enumerate(rows[1:], start=2):
        cells = {h: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h and sheet.column(h)}
        if all(_blank(v) for v in cells.values()):
            continue
        values = {}
        for name, value in cells.items():
            column = sheet.column(name)
            if _blank(value):
                if column.required:
                    bad.setdefault((name, ""), []).append((offset, ""))
                values[name] = column.default
                continue
            try:
                values[name] = column.read(value)
            except CellError as exc:
                bad.setdefault((name, str(exc)), []).append((offset, str(value).strip()))
        parsed.append(_Row(offset, values))
    problems += _cell_problems(sheet.name, bad)
    return parsed


def _cell_problems(sheet: str, bad: dict[tuple[str, str], list[tuple[int, str]]]) -> list[str]:
    """A line per bad cell; more than messages.SUMMARY_FROM cells with one problem in a column: one line."""
    lines = []
    for (name, expected), cells in bad.items():
        if len(cells) > messages.SUMMARY_FROM:
            lines.append(messages.one_line(f"Blad {sheet}, kolom {name}", [r for r, _ in cells],
                                           next((v for _, v in cells if v), ""),
                                           f"verwacht: {expected}" if expected else "verplicht"))
            continue
        for row, value in cells:
            where = f"Blad {sheet}, rij {row}, kolom {name}"
            lines.append(f"{where}: leeg, maar verplicht." if not expected else
                         f"{where}: '{messages.short(value)}' is ongeldig; verwacht: {expected}.")
    return lines


def _check_rows(sheet: Sheet, rows: list[_Row], problems: list[str]) -> None:
    """Rules across the cells of a row, and keys that occur twice."""
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        where = f"Blad {sheet.name}, rij {row.number}"
        key = tuple(v.get(k) for k in sheet.keys)
        if None not in key:
            if key in seen:
                problems.append(f"{where}: dezelfde sleutel ({', '.join(map(_shown, key))}) als rij {seen[key]}.")
            seen.setdefault(key, row.number)
        if sheet.name == "vrije_plaatsen":
            if v.get("bevestigd_op") and v.get("gemeld_op") and v["bevestigd_op"] < v["gemeld_op"]:
                problems.append(f"{where}, kolom bevestigd_op: {_shown(v['bevestigd_op'])} ligt vóór gemeld_op "
                                f"({_shown(v['gemeld_op'])}): een plaats wordt pas bevestigd nadat ze gemeld is. "
                                + SWAPPED)
            if v.get("tot") and v.get("vanaf") and v["tot"] < v["vanaf"]:
                problems.append(f"{where}, kolom tot: {_shown(v['tot'])} ligt vóór vanaf ({_shown(v['vanaf'])}).")
            if v.get("reden") and not v.get("afgesloten_op"):
                problems.append(f"{where}, kolom reden: een reden hoort bij een datum in afgesloten_op.")
            if "afgesloten_op" in v and v.get("afgesloten_op") and not v.get("reden"):
                problems.append(f"{where}, kolom reden: geef een reden (ingevuld of ingetrokken) bij afgesloten_op.")


def _check_providers(rows: list[_Row], problems: list[str]) -> None:
    """The opvang sheet judged by the Opvang page's own rules (llko.providers.service: lengths, e-mail, soort, trap,
    places, the dates together); each row then holds the values exactly as the page would store them."""
    columns = {c.attribute: c.name for c in SHEETS["opvang"].columns if c.attribute in provider_service.FIELD_LABELS}
    for row in rows:
        fields = {attribute: row.values[name] for attribute, name in columns.items() if name in row.values
                  and not (attribute == "name" and _blank(row.values[name]))}  # a blank naam: flagged as required
        values, found = provider_service.clean(fields)
        found |= provider_service.problems_between(values.get("started_on"), values.get("stopped_on"))
        for attribute, message in found.items():
            problems.append(f"Blad opvang, rij {row.number}, kolom {columns[attribute]}: {message}")
        row.values.update({columns[attribute]: value for attribute, value in values.items()})


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def parse(files: list[tuple[str, bytes]], known_providers: set[str]) -> tuple[dict[str, list[_Row]], RegisterResult]:
    """Read and check every sheet; the typed rows per sheet and the result (its problems, if any)."""
    try:
        raw = read_files(files)
    except _Refused as exc:
        return {}, RegisterResult(problems=[str(exc)])
    return check(raw, known_providers)


def check(raw: dict[str, list[list]], known_providers: set[str]) -> tuple[dict[str, list[_Row]], RegisterResult]:
    """Check every sheet read by read_files; the typed rows per sheet and the result (its problems, if any)."""
    result = RegisterResult()
    typed: dict[str, list[_Row]] = {}
    for title, rows in raw.items():
        sheet = SHEETS.get(sheet_key(title))
        if sheet is None:
            result.notices.append(f"Blad '{title}' is geen registerblad en werd overgeslagen "
                                  f"(verwacht: {', '.join(SHEETS)}).")
            continue
        typed[sheet.name] = _parse_sheet(sheet, title, rows, result.problems, result.notices)
        _check_rows(sheet, typed[sheet.name], result.problems)
        if sheet.name == "opvang":
            _check_providers(typed[sheet.name], result.problems)
    if not result.problems and not any(typed.values()):
        result.problems.append("De werkmap bevat geen gegevens: geen enkel registerblad heeft een ingevulde rij "
                               f"(bladen: {', '.join(SHEETS)}).")
    providers = known_providers | {r.values["opvang_id"] for r in typed.get("opvang", []) if r.values.get("opvang_id")}
    for name, rows in typed.items():
        for column in SHEETS[name].provider_columns:
            for row in rows:
                value = row.values.get(column)
                ids = value if isinstance(value, tuple) else (value,) if value else ()
                unknown = [i for i in ids if i not in providers]
                if unknown:
                    result.problems.append(
                        f"Blad {name}, rij {row.number}, kolom {column}: onbekende opvang {', '.join(unknown)}; "
                        "voeg ze toe in het blad opvang of importeer eerst een export waarin ze voorkomt.")
    return typed, result


# --- writing ----------------------------------------------------------------------------------------------


def _attributes(sheet: Sheet, values: dict) -> dict:
    return {sheet.column(name).attribute: value for name, value in values.items()}


def _write(session, typed: dict[str, list[_Row]], actor: str, result: RegisterResult) -> None:
    """Every sheet through its feature's service, in the caller's transaction (providers first: the other sheets
    name them)."""
    def count(sheet: str, outcome: str) -> None:
        result.counts.setdefault(sheet, {"new": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    defaults = {c.attribute: c.default for c in SHEETS["vrije_plaatsen"].columns if c.default is not None}
    writes = {
        "opvang": lambda values: provider_service.import_provider(session, values),
        "overeenkomst": lambda values: agreement_service.import_signature(session, values),
        "infopagina": lambda values: infopagina_service.import_check(session, values),
        "vrije_plaatsen": lambda values: vacancy_service.import_vacancy(session, actor, values, defaults),
        "lok": lambda values: agreement_service.import_meeting(session, values, values.pop("attendance", None)),
        "bevolking": lambda values: population.import_population(session, actor, values),
    }
    for sheet, write in writes.items():
        for row in typed.get(sheet, []):
            count(sheet, write(_attributes(SHEETS[sheet], row.values)))


def import_register(engine: Engine, files: list[tuple[str, bytes]], actor: str) -> RegisterResult:
    """Import the register workbook (one XLSX or ODS, or a CSV per sheet): everything, or nothing and the reasons.
    The files are read first, a workbook in a process of its own, outside the transaction that checks and writes."""
    try:
        raw, refusal = read_files(files), None
    except _Refused as exc:
        raw, refusal = {}, str(exc)
    return _import(engine, files, raw, refusal, actor)


@retry_when_busy
def _import(engine: Engine, files: list[tuple[str, bytes]], raw: dict[str, list[list]], refusal: str | None,
            actor: str) -> RegisterResult:
    """Check the sheets read and write them in one transaction (or record why they were refused)."""
    with transaction(engine) as session:
        known = set(session.execute(select(Provider.id)).scalars())
        typed, result = ({}, RegisterResult(problems=[refusal])) if refusal else check(raw, known)
        if not result.ok:
            audit.record(session, actor, "register_refused", files=[n for n, _ in files], problems=len(result.problems))
            return result
        _write(session, typed, actor, result)
        result.counts = {name: result.counts[name] for name in SHEETS if name in result.counts}  # the sheets' order
        audit.record(session, actor, "register_import", files=[n for n, _ in files], counts=result.counts)
    return result
