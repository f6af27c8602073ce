"""Import of Opvang.Vlaanderen exports (CSV or XLSX snapshots of the town's requests).

`parse` reads and validates a file column-wise and never touches the database; `import_file`
writes a valid file in one transaction: providers, requests (the latest as-of date wins), the
status history (never deleted) and the derived answer dates (R2). A file with any fault is refused
whole, with a Dutch message per bad cell or one message for a file-level fault.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import ARRAY, Date, String, any_, bindparam, func, literal_column, select, text
from sqlalchemy.engine import Engine

from llko import audit, dutch
from llko.clock import LOCAL_TZ
from llko.db import retry_when_busy, transaction
from llko.providers.models import Provider
from llko.files import archive, caps, messages, plaintext, spreadsheets
from llko.requests import rules, sql_rules, statuses
from llko.requests.models import ImportRun, Request, StatusChange

# --- columns -----------------------------------------------------------------------------------

COLUMNS = (
    "aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "gewenste_startdatum",
    "status", "datum_status", "datum_antwoord", "kwetsbaar_gezin", "dagen_per_week",
)
REQUIRED = ("aanvraag_id", "kind_id", "opvang_id", "datum_aanvraag", "status", "datum_status")
ID_COLUMNS = ("aanvraag_id", "kind_id", "opvang_id")
DATE_COLUMNS = ("datum_aanvraag", "gewenste_startdatum", "datum_status", "datum_antwoord")
ID_MAX_LENGTH = 64  # requests.id, child_id, provider_id
NAME_MAX_LENGTH = 200  # providers.name
DAYS_MIN, DAYS_MAX = 0.5, 7.0
# request fields whose change makes a row "updated" (snapshot_date and import_run_id are bookkeeping)
COMPARED = (
    "child_id", "provider_id", "received", "desired_start", "status", "status_date",
    "answer_date_reported", "vulnerable", "days_per_week",
)

_ALIAS_LIST = {
    "aanvraag_id": (
        "aanvraagid", "aanvraag_nr", "aanvraagnummer", "aanvraag_nummer", "id_aanvraag",
        "nummer_aanvraag", "opvangvraag_id", "id_opvangvraag", "vraag_id",
    ),
    "kind_id": ("kind", "kindid", "id_kind", "kindnummer", "kind_nummer", "gezin_id", "id_gezin"),
    "opvang_id": (
        "opvangid", "id_opvang", "dossiernummer", "dossier_nummer", "dossiernr", "dossier_nr",
        "opvang_dossiernummer", "dossiernummer_opvang", "opvanglocatie_id", "locatie_id",
    ),
    "opvang_naam": (
        "opvang", "naam_opvang", "opvangnaam", "opvanglocatie", "naam_opvanglocatie",
        "kinderopvang", "naam_kinderopvang", "naam_locatie",
    ),
    "datum_aanvraag": (
        "aanvraagdatum", "aanvraag_datum", "datum_van_aanvraag", "datum_ontvangst",
        "ontvangen_op", "ingediend_op", "datum_ingediend",
    ),
    "gewenste_startdatum": (
        "startdatum", "gewenste_start", "gewenste_begindatum", "begindatum", "start_opvang",
        "gewenste_startdatum_opvang",
    ),
    "status": ("status_aanvraag", "aanvraagstatus", "huidige_status"),
    "datum_status": (
        "statusdatum", "status_datum", "datum_laatste_status", "datum_statuswijziging",
        "laatste_statuswijziging",
    ),
    "datum_antwoord": ("antwoorddatum", "antwoord_datum", "datum_eerste_antwoord", "beantwoord_op"),
    "kwetsbaar_gezin": ("kwetsbaar", "kwetsbaar_gezin_ja_nee", "gezin_kwetsbaar", "kwetsbare_gezin"),
    "dagen_per_week": (
        "dagen", "dagen_week", "aantal_dagen", "aantal_dagen_per_week", "gewenste_dagen_per_week",
    ),
}
# normalized header alias -> canonical column name (canonical names map onto themselves)
ALIASES: dict[str, str] = {
    **{c: c for c in COLUMNS},
    **{alias: canon for canon, aliases in _ALIAS_LIST.items() for alias in aliases},
}

_HEADER_JUNK = re.compile(r"[^0-9a-zà-ÿ]+")
_NEWLINE = re.compile(r"\r\n?|\n")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n?|\n))*")

# --- Dutch texts -------------------------------------------------------------------------------

MSG_UNREADABLE = (
    "Het bestand kon niet gelezen worden: het is geen CSV-bestand, geen Excel-werkmap (.xlsx) en geen "
    "OpenDocument-rekenblad (.ods). Exporteer de aanvragen opnieuw uit Opvang.Vlaanderen als CSV of als "
    "Excel-bestand."
)
MSG_EMPTY = "Het bestand is leeg."


def _too_big() -> FileFault:
    return FileFault(f"Het bestand heeft meer dan {dutch.whole(caps.MAX_ROWS)} rijen of {caps.MAX_COLUMNS} kolommen; "
                     "een export van Opvang.Vlaanderen is veel kleiner. Controleer of u het juiste bestand koos.")


def _too_many_cells() -> FileFault:
    return FileFault(f"Het bestand heeft meer dan {dutch.whole(caps.MAX_CELLS)} cellen (rijen maal kolommen); een "
                     "export van Opvang.Vlaanderen is veel kleiner. Exporteer alleen de nodige kolommen of een "
                     "kortere periode, of splits het bestand in delen.")


def _unpacks_too_big() -> FileFault:
    return FileFault(f"Het Excel-bestand is uitgepakt groter dan {caps.MAX_XML_MB} MB; een export van "
                     "Opvang.Vlaanderen is veel kleiner. Exporteer een kortere periode of splits de export in "
                     "delen, of exporteer als CSV.")


def _packed_too_tight() -> FileFault:
    return FileFault(f"Het Excel-bestand is ongewoon sterk gecomprimeerd: uitgepakt is het meer dan {caps.MAX_RATIO} "
                     "keer zo groot. Een export van Opvang.Vlaanderen is dat nooit; exporteer de aanvragen opnieuw "
                     "uit Opvang.Vlaanderen, of kies het juiste bestand.")

MSG_HEADER_ONLY = "Het bestand bevat alleen een kopregel en geen aanvragen."
EXPECT_REQUIRED = "een waarde (verplichte kolom)"
EXPECT_DATE = "een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd"
EXPECT_STATUS = "een status van Opvang.Vlaanderen: " + ", ".join(statuses.ALL)
EXPECT_BOOL = "ja of nee (ook j/n of 1/0), of leeg"
EXPECT_DAYS = "een aantal dagen van 0,5 tot 7 (bv. 2,5), of leeg"
EXPECT_ID = f"een id van hoogstens {ID_MAX_LENGTH} tekens"
EXPECT_NAME = f"een naam van hoogstens {NAME_MAX_LENGTH} tekens"


def _nl_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _nl_list(items: list[str], limit: int = 10) -> str:
    """'a', 'a en b', 'a, b en c'; past `limit` items: 'a, b, … en nog 12 andere'."""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" en nog {len(items) - limit} andere"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


# --- result types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason to refuse a file. row is the row as seen in the file (header = 1); None for the file.

    For a file-level problem `expected` holds the whole Dutch explanation.
    """

    row: int | None
    column: str | None
    value: str | None
    expected: str
    kind: str = ""  # IMPOSSIBLE_DATE for a date that cannot be right (see impossible_dates)

    @property
    def message(self) -> str:
        """One Dutch sentence for the user."""
        if self.row is None:
            return self.expected
        where = f"Rij {self.row}" + (f", kolom {self.column}" if self.column else "")
        if self.value is None or self.value == "":
            return f"{where}: leeg — verwacht {self.expected}."
        value = messages.short(self.value)
        return f"{where}: '{value}' is ongeldig — verwacht {self.expected}."


@dataclass
class ParsedFile:
    """The canonical, typed frame (index = row number in the file), or the problems that refuse it."""

    frame: pd.DataFrame
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # the columns that were not kept, and why
    checked: pd.DataFrame | None = None  # the typed rows also of a refused file (for impossible_dates), else None

    @property
    def summary(self) -> list[str]:
        """The problems as lines to read (many cells with one problem: one line)."""
        return messages.summary(self.problems)


@dataclass
class ImportResult:
    """What an import did; ok=False means nothing was written and `problems` says why."""

    ok: bool
    problems: list[ImportProblem]
    run_id: int | None = None
    rows_total: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    status_changes: int = 0
    notices: list[str] = field(default_factory=list)  # the columns that were not kept, and why

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]

    @property
    def summary(self) -> list[str]:
        """The problems as lines to read (many cells with one problem: one line)."""
        return messages.summary(self.problems)


class FileFault(Exception):
    """A file-level fault; carries the Dutch explanation."""

    def __init__(self, explanation: str, column: str | None = None, value: str | None = None):
        super().__init__(explanation)
        self.problem = ImportProblem(None, column, value, explanation)


def refused(fault: FileFault) -> ParsedFile:
    """A file refused whole for one file-level fault."""
    return ParsedFile(_empty_frame(), [fault.problem])


# --- reading -----------------------------------------------------------------------------------


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV export would hold (Excel dates as jjjj-mm-dd)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_workbook_size(data: bytes) -> None:
    """Raise a FileFault for an XLSX that unpacks to more than caps.MAX_XML_MB, or with a part packed more than
    caps.MAX_RATIO to 1 (a 'zip bomb'), from the sizes in its zip directory alone (llko.files.archive). Other data
    passes."""
    listed = archive.parts(data)
    found = archive.oversize(listed, caps.MAX_XML_MB, caps.MAX_RATIO) if listed is not None else None
    if found == archive.UNPACKED:
        raise _unpacks_too_big()
    if found == archive.RATIO:
        raise _packed_too_tight()


def limits() -> spreadsheets.Limits:
    """The caps as the workbook reader takes them: a header and MAX_ROWS rows, MAX_COLUMNS, MAX_CELLS."""
    return spreadsheets.Limits(rows=caps.MAX_ROWS + 1, columns=caps.MAX_COLUMNS, cells=caps.MAX_CELLS)


def workbook_fault(error: ValueError) -> FileFault:
    """The Dutch explanation of a workbook the reader refused (spreadsheets.OverLimit or Unreadable)."""
    if isinstance(error, spreadsheets.OverLimit):
        return _too_many_cells() if error.what == spreadsheets.CELLS else _too_big()
    return FileFault(MSG_UNREADABLE)


def _read_workbook(data: bytes, sheet: list[list] | None = None) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    """First sheet of an XLSX or ODS (or `sheet`, its rows already read) as a frame of strings (no header row), the
    row number of its first line, and where its real date cells are (a frame of booleans of the same shape)."""
    check_workbook_size(data)
    if sheet is None:
        try:
            sheet = next(iter(spreadsheets.read_sheets(data, limits(), first_only=True).values()), [])
        except (spreadsheets.OverLimit, spreadsheets.Unreadable) as error:
            raise workbook_fault(error) from error
    return _sheet_frame([[_cell_text(v) for v in row] for row in sheet],
                        [[isinstance(v, (dt.date, dt.datetime)) for v in row] for row in sheet])


def _sheet_frame(rows: list[list[str]], dated: list[list[bool]]) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    """Rows of cell texts as a frame (no header row), without the empty rows above the header, the row number of
    its first line, and the same shape of booleans: which cells were real date cells."""
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    dates = pd.DataFrame([d + [False] * (width - len(d)) for d in dated], dtype=bool)
    blank = frame.apply(lambda col: col.str.strip() == "").all(axis=1)
    skipped = int(blank.cummin().sum())  # leading empty rows above the header
    return frame.iloc[skipped:].reset_index(drop=True), skipped + 1, dates.iloc[skipped:].reset_index(drop=True)


def _decode(data: bytes) -> str:
    """The text of a CSV (llko.files.plaintext); binary data is refused."""
    try:
        return plaintext.decode(data)
    except plaintext.NotText:
        raise FileFault(MSG_UNREADABLE) from None


def _width(header: str, sep: str) -> int:
    """The number of fields of a CSV's header line (a separator between quotes is no field)."""
    try:
        return len(next(csv.reader([header], delimiter=sep), []))
    except csv.Error:  # a field longer than the csv module takes
        return header.count(sep) + 1


def _read_csv(data: bytes) -> tuple[pd.DataFrame, int, None]:
    """The CSV as a frame of strings (no header row) and the row number of its first line (a CSV has no date
    cells)."""
    content = _decode(data)
    leading = _LEADING_BLANK_LINES.match(content).group(0)
    body = content[len(leading):]
    if not body.strip():
        raise FileFault(MSG_EMPTY)
    skipped = len(_NEWLINE.findall(leading))
    rest = body.rstrip("\r\n")
    lines = max(rest.count("\n"), rest.count("\r"))  # rows under the header (also with Mac line ends)
    if lines > caps.MAX_ROWS:
        raise _too_big()
    header = _NEWLINE.split(body, maxsplit=1)[0]
    sep = plaintext.separator(header)
    if _width(header, sep) > caps.MAX_COLUMNS:  # before any work per column
        raise _too_big()
    if (lines + 1) * (header.count(sep) + 1) > caps.MAX_CELLS:  # a row with more fields than the header is refused
        raise _too_many_cells()
    try:
        frame = pd.read_csv(
            io.StringIO(body), sep=sep, header=None, dtype=str, keep_default_na=False, skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        if line:
            row = int(line.group(1)) + skipped
            raise FileFault(
                f"Rij {row} heeft meer velden dan de kopregel; het bestand kon niet gelezen worden. "
                f"Controleer het scheidingsteken ('{sep}') en de aanhalingstekens in die rij."
            ) from exc
        raise FileFault(MSG_UNREADABLE) from exc
    except (ValueError, UnicodeError) as exc:
        raise FileFault(MSG_UNREADABLE) from exc
    return frame.fillna("").astype(object), skipped + 1, None


def normalize_header(name: str) -> str:
    """'  Datum Aanvraag ' -> 'datum_aanvraag' (lower case; spaces, hyphens and punctuation -> '_')."""
    return _HEADER_JUNK.sub("_", str(name).replace("\ufeff", "").replace("ï»¿", "").lower()).strip("_")


def _canonical(raw: pd.DataFrame, first_row: int, raw_dates: pd.DataFrame | None = None
               ) -> tuple[pd.DataFrame, list[tuple[str, str]], pd.DataFrame | None]:
    """Map the header onto canonical columns, drop blank lines; index = row number. Also the columns left out
    (unknown, or a second column for the same canonical one), as (header as written, normalized header), and
    for a spreadsheet which of the kept cells were real date cells (None for a CSV)."""
    written = [str(h) for h in raw.iloc[0]]
    header = [normalize_header(h) for h in written]
    body = raw.iloc[1:].astype(str).apply(lambda col: col.str.strip())
    body.index = range(first_row + 1, first_row + 1 + len(body))
    kept = (body != "").any(axis=1)
    body = body[kept]
    frame = pd.DataFrame(index=body.index)
    dates = None
    if raw_dates is not None:
        dates_body = raw_dates.iloc[1:]
        dates_body.index = range(first_row + 1, first_row + 1 + len(dates_body))
        dates_body, dates = dates_body[kept], pd.DataFrame(index=body.index)
    skipped = []
    for position, name in enumerate(header):
        canon = ALIASES.get(name)
        if canon and canon not in frame.columns:  # the first column with a name wins
            frame[canon] = body.iloc[:, position]
            if dates is not None:
                dates[canon] = dates_body.iloc[:, position]
        elif name:  # a column without a header is no column at all
            skipped.append((written[position], name))
    return frame, skipped, dates


def _check_file(frame: pd.DataFrame, headers: list[str]) -> None:
    """File-level faults after the header is known: no rows, missing columns, duplicate ids."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:  # before the empty check: a file whose columns are all unknown is not "header only"
        label = "Verplichte kolom ontbreekt" if len(missing) == 1 else "Verplichte kolommen ontbreken"
        found = _nl_list([messages.short(h, 40) for h in headers if h], limit=20) if any(headers) else "geen"
        raise FileFault(
            f"{label}: {_nl_list(missing)}. Gevonden kolommen: {found}.", column=", ".join(missing)
        )
    if frame.empty:
        raise FileFault(MSG_HEADER_ONLY)
    ids = frame["aanvraag_id"]
    dup = ids[(ids != "") & ids.duplicated(keep=False)]
    if not dup.empty:
        raise FileFault(_duplicate_text(dup), column="aanvraag_id",
                        value=messages.short(", ".join(dup.unique()), 200))


def _duplicate_text(dup: pd.Series) -> str:
    """Dutch explanation naming each duplicated aanvraag_id and its rows (at most 10 ids)."""
    groups = dup.groupby(dup, sort=False).groups
    parts = [f"{messages.short(str(rid), 40)} (rijen {_nl_list([str(r) for r in rows], limit=5)})"
             for rid, rows in list(groups.items())[:10]]
    more = f" en nog {len(groups) - 10} andere" if len(groups) > 10 else ""
    if len(groups) == 1:
        return (f"Aanvraag {parts[0]} staat meer dan eens in het bestand; "
                "elke aanvraag mag maar één keer voorkomen.")
    return (f"Deze aanvragen staan meer dan eens in het bestand: {', '.join(parts)}{more}; "
            "elke aanvraag mag maar één keer voorkomen.")


# --- column-wise validation and typing ---------------------------------------------------------


def _problems(frame: pd.DataFrame, column: str, bad: pd.Series, expected: str) -> list[ImportProblem]:
    """One problem per row where `bad` holds."""
    values = frame.loc[bad, column]
    return [ImportProblem(int(row), column, str(v), expected) for row, v in values.items()]


_SHORT_YEAR = re.compile(r"^(\d{1,2}/\d{1,2}/)(\d{2})$")
_LATE_DAY_TEXT = r"^(1[3-9]|2\d|3[01])/\d{1,2}/(\d{2}|\d{4})$"  # text dd/mm with a day > 12: never read as a date
MIXED_DATES = ("een datum zoals de rest van de kolom: deze kolom mengt echte datumcellen met tekstdatums met een dag "
               "na de 12de, het teken van een rekenblad dat dag en maand omwisselde")


def _parse_dates(values: pd.Series) -> pd.Series:
    """dd/mm/jjjj, dd/mm/jj (as 20jj, as a Dutch LibreOffice saves dates), else jjjj-mm-dd, as datetime64 (NaT
    when blank or invalid)."""
    values = values.str.replace(_SHORT_YEAR, r"\g<1>20\g<2>", regex=True)
    parsed = pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")
    rest = parsed.isna() & (values != "")
    if rest.any():  # only the cells that are not dd/mm/jjjj get the second format
        parsed[rest] = pd.to_datetime(values[rest], format="%Y-%m-%d", errors="coerce")
    return parsed


def _objects(values: list, index: pd.Index) -> pd.Series:
    """A Series that keeps Python values and None as they are (no NaN, no numpy scalars)."""
    return pd.Series(values, index=index, dtype=object)


def _as_dates(parsed: pd.Series) -> pd.Series:
    """datetime64 -> object Series of datetime.date or None."""
    dates = parsed.dt.date.astype(object)
    return dates.where(parsed.notna(), None)


def _mixed_dates(frame: pd.DataFrame, date_cells: pd.DataFrame | None, parsed: dict[str, pd.Series]
                 ) -> list[ImportProblem]:
    """A spreadsheet's real date cells in a column that also holds valid text dates with a day > 12 (which a
    month-first spreadsheet could not read as dates, and so left alone): the cells it did read are suspect."""
    problems = []
    for col in DATE_COLUMNS if date_cells is not None else ():
        if col not in date_cells.columns:
            continue
        cells = frame[col][date_cells[col].astype(bool)]
        if len(cells) and (frame[col].str.match(_LATE_DAY_TEXT) & parsed[col].notna()).any():
            problems += [ImportProblem(int(row), col, value, MIXED_DATES, IMPOSSIBLE_DATE)
                         for row, value in cells.items()]
    return problems


def _validate(frame: pd.DataFrame, date_cells: pd.DataFrame | None = None
              ) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Check every cell column by column; return the typed frame and every problem found."""
    frame = frame.reindex(columns=COLUMNS, fill_value="")
    problems: list[ImportProblem] = []
    blank = frame == ""
    for col in REQUIRED:
        problems += _problems(frame, col, blank[col], EXPECT_REQUIRED)
    for col in ID_COLUMNS:
        problems += _problems(frame, col, frame[col].str.len() > ID_MAX_LENGTH, EXPECT_ID)
    problems += _problems(frame, "opvang_naam", frame["opvang_naam"].str.len() > NAME_MAX_LENGTH, EXPECT_NAME)

    typed = pd.DataFrame(index=frame.index)
    for col in ID_COLUMNS:
        typed[col] = _objects(frame[col].tolist(), frame.index)
    typed["opvang_naam"] = _objects([n or None for n in frame["opvang_naam"]], frame.index)

    parsed_dates = {}
    for col in DATE_COLUMNS:
        parsed = parsed_dates[col] = _parse_dates(frame[col])
        problems += _problems(frame, col, ~blank[col] & parsed.isna(), EXPECT_DATE)
        typed[col] = _as_dates(parsed)
    problems += _mixed_dates(frame, date_cells, parsed_dates)
    received = parsed_dates["datum_aanvraag"]
    for col in ("datum_status", "datum_antwoord"):  # impossible: a status or an answer before the request
        before = parsed_dates[col] < received
        problems += [ImportProblem(int(row), col, frame.at[row, col],
                                   f"een datum op of na de datum_aanvraag ({_nl_date(received[row].date())})",
                                   IMPOSSIBLE_DATE) for row in before[before].index]

    status = frame["status"].map(statuses.normalize)
    problems += _problems(frame, "status", ~blank["status"] & ~status.isin(statuses.ALL), EXPECT_STATUS)
    typed["status"] = _objects(status.tolist(), frame.index)

    flag = frame["kwetsbaar_gezin"].str.lower()
    truthy, falsy = flag.isin(dutch.YES), flag.isin(dutch.NO)
    problems += _problems(frame, "kwetsbaar_gezin", ~blank["kwetsbaar_gezin"] & ~truthy & ~falsy, EXPECT_BOOL)
    typed["kwetsbaar_gezin"] = _objects([True if t else False if f else None for t, f in zip(truthy, falsy)], frame.index)

    days = pd.to_numeric(frame["dagen_per_week"].str.replace(",", ".", regex=False), errors="coerce")
    days_ok = days.between(DAYS_MIN, DAYS_MAX)
    problems += _problems(frame, "dagen_per_week", ~blank["dagen_per_week"] & ~days_ok, EXPECT_DAYS)
    typed["dagen_per_week"] = _objects([float(d) if ok else None for d, ok in zip(days, days_ok)], frame.index)

    order = {c: i for i, c in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 99)))
    return typed[list(COLUMNS)], problems


def parse(data: bytes, file_name: str, sheet: list[list] | None = None) -> ParsedFile:
    """Read and validate an Opvang.Vlaanderen export; never touches the database. `sheet`: the rows of a workbook's
    first sheet when they were already read (spreadsheets.read_sheets), as the upload's own process does."""
    try:
        if not data or not data.strip():
            raise FileFault(MSG_EMPTY)
        kind = spreadsheets.kind_of(data)
        if kind == spreadsheets.XLS:
            raise FileFault(spreadsheets.MSG_XLS)
        if kind == spreadsheets.CSV:
            raw, first_row, raw_dates = _read_csv(data)
        else:
            raw, first_row, raw_dates = _read_workbook(data, sheet)
        if raw.empty or (raw.astype(str).apply(lambda c: c.str.strip()) == "").all().all():
            raise FileFault(MSG_EMPTY)
        frame, skipped, date_cells = _canonical(raw, first_row, raw_dates)
        _check_file(frame, [str(h).strip() for h in raw.iloc[0]])
    except FileFault as fault:
        return refused(fault)
    notices = messages.skipped_columns(skipped)
    typed, problems = _validate(frame, date_cells)
    if problems:
        return ParsedFile(_empty_frame(), _explained(problems), notices, checked=typed)
    return ParsedFile(typed, [], notices)


IMPOSSIBLE_DATE = "impossible_date"
DATES_NOT_AFTER_AS_OF = ("datum_aanvraag", "datum_status", "datum_antwoord")


def impossible_dates(parsed: ParsedFile, as_of: dt.date) -> ParsedFile:
    """The parsed file refused when a datum_aanvraag, datum_status or datum_antwoord lies after the snapshot's
    as-of date (a problem per cell, explained with the file's other impossible dates); else the file as it was."""
    rows = parsed.frame if not parsed.problems else parsed.checked
    if rows is None:  # refused for the file as a whole: no rows to look at
        return parsed
    problems = []
    for col in DATES_NOT_AFTER_AS_OF:
        values = rows[col]
        after = values.map(lambda d: d is not None and d > as_of)
        problems += [ImportProblem(int(row), col, _nl_date(values[row]),
                                   f"een datum op of vóór de momentopname ({_nl_date(as_of)})", IMPOSSIBLE_DATE)
                     for row in after[after].index]
    if not problems:
        return parsed
    problems += [p for p in parsed.problems if p.row is not None]  # the cells already refused (explanation anew)
    problems = list(dict.fromkeys(problems))  # checked twice (the page, then the import): each problem once
    order = {c: i for i, c in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 99)))
    return ParsedFile(_empty_frame(), _explained(problems, as_of), parsed.notices, checked=rows)


def _explained(problems: list[ImportProblem], as_of: dt.date | None = None) -> list[ImportProblem]:
    """With impossible dates among the problems, one explanation first: what probably happened and how to fix it."""
    rows = sorted({p.row for p in problems if p.kind == IMPOSSIBLE_DATE})
    if not rows:
        return problems
    which = "rij heeft" if len(rows) == 1 else "rijen hebben"
    snapshot = f" van {_nl_date(as_of)}" if as_of else ""
    text = (f"{dutch.whole(len(rows))} {which} een onmogelijke datum ({'rij' if len(rows) == 1 else 'rijen'} "
            f"{_nl_list([str(r) for r in rows], limit=5)}): "
            f"een datum na de momentopname{snapshot}, een status- of antwoorddatum vóór de aanvraag, of een echte "
            "datumcel in een kolom met tekstdatums die geen rekenblad als datum las. Waarschijnlijk "
            "werd het bestand geopend en opgeslagen in een rekenblad in een andere taal (bv. Engels), dat bij elke "
            "datum met een dag tot 12 dag en maand omwisselt. Importeer de export zoals ze uit Opvang.Vlaanderen "
            "kwam, zonder ze eerst op te slaan, of zet de taal van het rekenblad op Nederlands (België) voor u het "
            "bestand opent." + (" Of klopt de datum van de momentopname niet? Kies dan de dag waarop de export "
                                "gedownload werd." if as_of else ""))
    return [ImportProblem(None, None, None, text, IMPOSSIBLE_DATE), *problems]


# --- writing -----------------------------------------------------------------------------------


def _insert(engine_or_conn):
    """The dialect's INSERT construct that has on_conflict_do_update."""
    name = engine_or_conn.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:  # pragma: no cover
        raise NotImplementedError(f"import not supported on {name}")
    return insert


def _id_filter(conn, column, ids: list[str]):
    """A WHERE clause that selects `ids` in one statement: one array parameter on PostgreSQL, one JSON
    array unpacked by json_each on SQLite (many chunked IN lists cost ~0.15 s per 25,000 ids)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(String)))
    ids_json = func.json_each(bindparam("ids_json", json.dumps(ids)))
    return column.in_(select(literal_column("value")).select_from(ids_json))


def _request_rows(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The file as rows of the requests table (import_run_id still to be filled in)."""
    rows = pd.DataFrame({
        "id": frame["aanvraag_id"],
        "child_id": frame["kind_id"],
        "provider_id": frame["opvang_id"],
        "received": frame["datum_aanvraag"],
        "desired_start": frame["gewenste_startdatum"],
        "status": frame["status"],
        "status_date": frame["datum_status"],
        "answer_date_reported": frame["datum_antwoord"],
        "vulnerable": frame["kwetsbaar_gezin"],
        "days_per_week": frame["dagen_per_week"],
    })
    rows["answer_date"] = None  # R2: see _answer_dates
    rows["snapshot_date"] = as_of
    rows["import_run_id"] = None
    return rows


def _existing_requests(conn, ids: list[str]) -> pd.DataFrame:
    """Current state of the given request ids (one SELECT), indexed by id."""
    table = Request.__table__
    cols = [table.c.id, table.c.snapshot_date, table.c.answer_date] + [table.c[c] for c in COMPARED]
    found = conn.execute(select(*cols).where(_id_filter(conn, table.c.id, ids))).all()
    names = ["id", "snapshot_date", "answer_date", *COMPARED]
    return pd.DataFrame([tuple(r) for r in found], columns=names, dtype=object).set_index("id")


def _existing_history(conn, ids: list[str]) -> set[tuple]:
    """(request_id, status, status_date) already in the history for the given ids."""
    table = StatusChange.__table__
    query = select(table.c.request_id, table.c.status, table.c.status_date).where(_id_filter(conn, table.c.request_id, ids))
    return {tuple(r) for r in conn.execute(query)}


@dataclass
class _Counts:
    total: int
    new: int
    updated: int
    unchanged: int
    status_changes: int


def _count(rows: pd.DataFrame, existing: pd.DataFrame, history: set[tuple], as_of: dt.date) -> _Counts:
    """New / updated / unchanged requests and newly seen statuses, before anything is written."""
    known = rows["id"].isin(existing.index)
    old = existing.reindex(rows["id"]).set_axis(rows.index)
    differs = pd.Series(False, index=rows.index)
    for col in COMPARED:
        same = (rows[col] == old[col]) | (rows[col].isna() & old[col].isna())
        differs |= ~same
    applies = known & old["snapshot_date"].where(known, dt.date.max).le(as_of)
    updated = int((applies & differs).sum())
    new = int((~known).sum())
    keys = zip(rows["id"], rows["status"], rows["status_date"])
    status_changes = sum(1 for key in keys if key not in history)
    return _Counts(len(rows), new, updated, len(rows) - new - updated, status_changes)


def _checksum(data: bytes) -> str:
    """What identifies a file among the earlier imports."""
    return hashlib.sha256(data).hexdigest()


def _already_imported(conn, checksum: str, as_of: dt.date):
    """(imported_at, as_of) of an earlier run of these bytes for this as-of date, or None."""
    table = ImportRun.__table__
    query = (select(table.c.imported_at, table.c.as_of)
             .where(table.c.checksum == checksum, table.c.as_of == as_of)
             .order_by(table.c.imported_at).limit(1))
    return conn.execute(query).first()


def _already_text(earlier) -> str:
    return (f"Dit bestand werd al geïmporteerd op {_nl_date(_local_day(earlier.imported_at))} "
            f"als momentopname van {_nl_date(earlier.as_of)}")


def already_imported(engine: Engine, data: bytes, as_of: dt.date) -> str | None:
    """A Dutch sentence when these bytes were already imported for this as-of date (before the button is
    pressed), else None. The import itself checks again, inside its transaction."""
    with engine.connect() as conn:
        earlier = _already_imported(conn, _checksum(data), as_of)
    return None if earlier is None else _already_text(earlier) + ": opnieuw importeren verandert niets."


# What the Import page says about each column, in the order of COLUMNS.
COLUMN_HELP = {
    "aanvraag_id": "id van de aanvraag (één kind bij één opvang)",
    "kind_id": "gepseudonimiseerd id van het kind, hetzelfde bij elke opvang",
    "opvang_id": "dossiernummer van de opvang",
    "opvang_naam": "naam van de opvang",
    "datum_aanvraag": "datum waarop de aanvraag binnenkwam",
    "gewenste_startdatum": "gewenste startdatum",
    "status": "een status van Opvang.Vlaanderen (bv. in behandeling)",
    "datum_status": "datum van de huidige status",
    "datum_antwoord": "datum van het antwoord; leeg: afgeleid uit de momentopnames",
    "kwetsbaar_gezin": "ja/nee (of j/n, 1/0)",
    "dagen_per_week": "gevraagde dagen per week (0,5 tot 7)",
}

EXAMPLE_CSV = (
    "aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;"
    "datum_antwoord;kwetsbaar_gezin;dagen_per_week\r\n"
    "A-0001;K-0001;KO-100001;Kinderdagverblijf Voorbeeld;03/11/2026;01/03/2027;in behandeling;10/11/2026;"
    "10/11/2026;nee;4\r\n"
    "A-0002;K-0002;KO-100001;Kinderdagverblijf Voorbeeld;05/11/2026;01/02/2027;nieuw;05/11/2026;;ja;2,5\r\n"
)


def _local_day(moment: dt.datetime) -> dt.date:
    """The Belgian calendar day of a stored UTC moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ).date()


def _upsert_providers(conn, frame: pd.DataFrame, update_names: bool) -> None:
    """New providers get the file's name or their id; existing names change only when the file names them."""
    table = Provider.__table__
    insert = _insert(conn)
    names = frame.groupby("opvang_id", sort=False)["opvang_naam"].first()
    now = dt.datetime.now(dt.timezone.utc)
    named = [{"id": pid, "name": name, "created_at": now} for pid, name in names.items() if isinstance(name, str)]
    unnamed = [{"id": pid, "name": pid, "created_at": now} for pid, name in names.items() if not isinstance(name, str)]
    if named:
        stmt = insert(table)
        if update_names:
            stmt = stmt.on_conflict_do_update(index_elements=[table.c.id], set_={"name": stmt.excluded.name})
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=[table.c.id])
        conn.execute(stmt, named)
    if unnamed:
        conn.execute(insert(table).on_conflict_do_nothing(index_elements=[table.c.id]), unnamed)


def _iso_dates(column: list) -> list:
    """A column of dates as ISO text (as SQLAlchemy stores dates on SQLite); any other column as it is."""
    first = next((v for v in column if v is not None), None)
    if isinstance(first, dt.date):
        return [None if v is None else v.isoformat() for v in column]
    return column


def _upsert(conn, table: str, frame: pd.DataFrame, on_conflict: str) -> None:
    """INSERT every row of frame into table with this ON CONFLICT clause, in one statement per table.

    PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT. SQLite: one executemany handed
    straight to the driver, dates as ISO text as SQLAlchemy stores them. (SQLAlchemy's per-parameter
    processing cost ~3x the database's own work at 25,000 rows.)
    """
    columns = list(frame.columns)
    names = ", ".join(columns)
    values = [frame[c].tolist() for c in columns]
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute(f"CREATE TEMPORARY TABLE import_{table} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY import_{table} ({names}) FROM STDIN") as copy:
            for row in zip(*values):
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM import_{table} {on_conflict}")
        return
    values = [_iso_dates(col) for col in values]
    marks = ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks}) {on_conflict}", list(zip(*values)))


def _upsert_requests(conn, rows: pd.DataFrame) -> None:
    """Insert or overwrite requests; an existing row is overwritten only by a snapshot at least as new."""
    changing = ", ".join(f"{c} = excluded.{c}" for c in rows.columns if c != "id")
    _upsert(conn, "requests", rows, f"ON CONFLICT (id) DO UPDATE SET {changing} "
                                     "WHERE requests.snapshot_date <= excluded.snapshot_date")


def _insert_history(conn, rows: pd.DataFrame, as_of: dt.date, run_id: int) -> None:
    """Record every observed status; a known one keeps the earliest snapshot that showed it."""
    history = pd.DataFrame({"request_id": rows["id"], "status": rows["status"], "status_date": rows["status_date"]})
    history["snapshot_date"] = as_of
    history["import_run_id"] = run_id
    _upsert(conn, "status_history", history, (
        "ON CONFLICT (request_id, status, status_date) DO UPDATE SET snapshot_date = excluded.snapshot_date, "
        "import_run_id = excluded.import_run_id WHERE excluded.snapshot_date < status_history.snapshot_date"))


def _answer_dates(rows: pd.DataFrame, existing: pd.DataFrame, history: set[tuple], as_of: dt.date):
    """R2 before anything is written: answer_date = the reported datum_antwoord of the latest snapshot, else
    the earliest answer status in the history as this import leaves it.

    Returns the answer date of every row of the file (as the upsert writes it), and the (id, answer_date)
    of requests this older snapshot does not overwrite whose answer date it still moves (rare).
    """
    seen = pd.DataFrame(list(history), columns=["id", "status", "status_date"], dtype=object)
    earliest = rules.first_answers(pd.concat([seen, rows[["id", "status", "status_date"]]]))
    old = existing.reindex(rows["id"]).set_axis(rows.index)
    overwritten = ~rows["id"].isin(existing.index) | old["snapshot_date"].where(old["snapshot_date"].notna(),
                                                                                 dt.date.min).le(as_of)
    reported = rows["answer_date_reported"].where(overwritten, old["answer_date_reported"])
    answer = reported.where(reported.notna(), rows["id"].map(earliest)).astype(object)
    answer = answer.where(answer.notna(), None)
    moved = ~overwritten & (answer != old["answer_date"])
    return answer, list(zip(answer[moved], rows.loc[moved, "id"]))


def _update_answer_dates(conn, moved: list[tuple]) -> None:
    if moved:
        stmt = text("UPDATE requests SET answer_date = :answer WHERE id = :id").bindparams(
            bindparam("answer", type_=Date))
        conn.execute(stmt, [{"answer": answer, "id": rid} for answer, rid in moved])


def _latest_as_of(conn) -> dt.date | None:
    return conn.execute(select(func.max(ImportRun.__table__.c.as_of))).scalar()


def _refuse(engine: Engine, actor: str, file_name: str, as_of: dt.date, problems: list[ImportProblem]) -> ImportResult:
    """Audit the refusal in a small transaction of its own and report the problems."""
    with transaction(engine) as session:
        audit.record(session, actor, "import_refused", file=file_name, as_of=as_of, problems=len(problems))
    return ImportResult(ok=False, problems=problems, run_id=None)


class _AlreadyImported(Exception):
    def __init__(self, problem: ImportProblem):
        super().__init__(problem.expected)
        self.problem = problem


def _write(session, frame: pd.DataFrame, file_name: str, checksum: str, as_of: dt.date, actor: str) -> ImportResult:
    """All writes of one import, inside the caller's transaction."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # One import at a time (SQLite's BEGIN IMMEDIATE does the same): the state read below, down to "was
        # this file imported already", decides what is written. Readers are not blocked.
        conn.execute(text("LOCK TABLE requests IN SHARE ROW EXCLUSIVE MODE"))
    earlier = _already_imported(conn, checksum, as_of)
    if earlier is not None:
        raise _AlreadyImported(ImportProblem(None, None, None, _already_text(earlier) + "; er is niets gewijzigd."))
    ids = frame["aanvraag_id"].tolist()
    rows = _request_rows(frame, as_of)
    existing, history = _existing_requests(conn, ids), _existing_history(conn, ids)
    counts = _count(rows, existing, history, as_of)
    rows["answer_date"], moved_answers = _answer_dates(rows, existing, history, as_of)
    latest = _latest_as_of(conn)

    run = ImportRun(
        file_name=file_name[:255], checksum=checksum, as_of=as_of, imported_by=actor,
        rows_total=counts.total, rows_new=counts.new, rows_updated=counts.updated,
        status_changes=counts.status_changes,
    )
    session.add(run)
    session.flush()
    rows["import_run_id"] = run.id

    _upsert_providers(conn, frame, update_names=latest is None or as_of >= latest)
    _upsert_requests(conn, rows)
    _insert_history(conn, rows, as_of, run.id)
    _update_answer_dates(conn, moved_answers)
    sql_rules.refresh_summary(conn)
    audit.record(session, actor, "import", file=file_name, as_of=as_of, rows=counts.total,
                 new=counts.new, updated=counts.updated, status_changes=counts.status_changes)
    return ImportResult(
        ok=True, problems=[], run_id=run.id, rows_total=counts.total, rows_new=counts.new,
        rows_updated=counts.updated, rows_unchanged=counts.unchanged, status_changes=counts.status_changes,
    )


@retry_when_busy
def import_file(engine: Engine, data: bytes, file_name: str, as_of: dt.date, actor: str,
                parsed: ParsedFile | None = None) -> ImportResult:
    """Validate and import one snapshot in one transaction; a refused file changes nothing.

    `parsed` is parse(data, file_name) when the caller has it already (the Import page parsed the upload in a
    process of its own). A database error propagates after the rollback (nothing written).
    """
    parsed = impossible_dates(parse(data, file_name) if parsed is None else parsed, as_of)
    if parsed.problems:
        result = _refuse(engine, actor, file_name, as_of, parsed.problems)
    else:
        try:
            with transaction(engine) as session:
                result = _write(session, parsed.frame, file_name, _checksum(data), as_of, actor)
        except _AlreadyImported as refused:
            result = _refuse(engine, actor, file_name, as_of, [refused.problem])
    result.notices = parsed.notices
    return result
