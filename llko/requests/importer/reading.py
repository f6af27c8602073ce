"""An export read into a frame of strings: CSV (one decoding and dialect, llko.files) or a workbook's first sheet,
within the caps; the header mapped onto the canonical columns; the file-level faults."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pandas as pd

from llko.files import archive, caps, messages, plaintext, spreadsheets
from llko.requests.importer.columns import ALIASES, REQUIRED, normalize_header
from llko.requests.importer.problems import (
    MSG_EMPTY,
    MSG_HEADER_ONLY,
    MSG_UNREADABLE,
    FileFault,
    nl_list,
    packed_too_tight,
    too_big,
    too_many_cells,
    unpacks_too_big,
)

_NEWLINE = re.compile(r"\r\n?|\n")


_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n?|\n))*")


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
        raise unpacks_too_big()
    if found == archive.RATIO:
        raise packed_too_tight()


def limits() -> spreadsheets.Limits:
    """The caps as the workbook reader takes them: a header and MAX_ROWS rows, MAX_COLUMNS, MAX_CELLS."""
    return spreadsheets.Limits(rows=caps.MAX_ROWS + 1, columns=caps.MAX_COLUMNS, cells=caps.MAX_CELLS)


def workbook_fault(error: ValueError) -> FileFault:
    """The Dutch explanation of a workbook the reader refused (spreadsheets.OverLimit or Unreadable)."""
    if isinstance(error, spreadsheets.OverLimit):
        return too_many_cells() if error.what == spreadsheets.CELLS else too_big()
    return FileFault(MSG_UNREADABLE)


def read_workbook(data: bytes, sheet: list[list] | None = None) -> tuple[pd.DataFrame, int, pd.DataFrame]:
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


def read_csv(data: bytes) -> tuple[pd.DataFrame, int, None]:
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
        raise too_big()
    header = _NEWLINE.split(body, maxsplit=1)[0]
    sep = plaintext.separator(header)
    if _width(header, sep) > caps.MAX_COLUMNS:  # before any work per column
        raise too_big()
    if (lines + 1) * (header.count(sep) + 1) > caps.MAX_CELLS:  # a row with more fields than the header is refused
        raise too_many_cells()
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


def canonical(raw: pd.DataFrame, first_row: int, raw_dates: pd.DataFrame | None = None
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


def check_file(frame: pd.DataFrame, headers: list[str]) -> None:
    """File-level faults after the header is known: no rows, missing columns, duplicate ids."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:  # before the empty check: a file whose columns are all unknown is not "header only"
        label = "Verplichte kolom ontbreekt" if len(missing) == 1 else "Verplichte kolommen ontbreken"
        found = nl_list([messages.short(h, 40) for h in headers if h], limit=20) if any(headers) else "geen"
        raise FileFault(
            f"{label}: {nl_list(missing)}. Gevonden kolommen: {found}.", column=", ".join(missing)
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
    parts = [f"{messages.short(str(rid), 40)} (rijen {nl_list([str(r) for r in rows], limit=5)})"
             for rid, rows in list(groups.items())[:10]]
    more = f" en nog {len(groups) - 10} andere" if len(groups) > 10 else ""
    if len(groups) == 1:
        return (f"Aanvraag {parts[0]} staat meer dan eens in het bestand; "
                "elke aanvraag mag maar één keer voorkomen.")
    return (f"Deze aanvragen staan meer dan eens in het bestand: {', '.join(parts)}{more}; "
            "elke aanvraag mag maar één keer voorkomen.")


def read(data: bytes, sheet: list[list] | None = None) -> tuple[pd.DataFrame, list[tuple[str, str]], pd.DataFrame | None]:
    """The export as a frame of its canonical columns (index = row number in the file), the columns left out, and
    for a workbook where its real date cells are; raises a FileFault for a file-level fault. `sheet`: the rows of a
    workbook's first sheet when they were already read (spreadsheets.read_sheets)."""
    if not data or not data.strip():
        raise FileFault(MSG_EMPTY)
    kind = spreadsheets.kind_of(data)
    if kind == spreadsheets.XLS:
        raise FileFault(spreadsheets.MSG_XLS)
    if kind == spreadsheets.CSV:
        raw, first_row, raw_dates = read_csv(data)
    else:
        raw, first_row, raw_dates = read_workbook(data, sheet)
    if raw.empty or (raw.astype(str).apply(lambda c: c.str.strip()) == "").all().all():
        raise FileFault(MSG_EMPTY)
    frame, skipped, date_cells = canonical(raw, first_row, raw_dates)
    check_file(frame, [str(h).strip() for h in raw.iloc[0]])
    return frame, skipped, date_cells
