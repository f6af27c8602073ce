"""What kind of file an upload is, judged by its content (never its name), and the reading of a workbook (XLSX, or
ODS: LibreOffice's own format) into rows of cells, for both importers (requests and the register workbook).

The reading holds its limits before anything is expanded: what a sheet declares (an XLSX's dimension, an ODS's
repeated rows and columns) is checked before a row is padded or a repeat written out, so a file of 1 KB that claims
16,384 columns of 50,000 rows is refused in milliseconds. This module loads no pandas: the upload's own process
(llko.requests.upload) reads with it first, and loads the rest only for a file within the limits.
"""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

CSV, XLSX, ODS, XLS = "csv", "xlsx", "ods", "xls"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Excel 97-2003 (.xls) and other old Office files
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

MSG_XLS = ("Dit is een Excel 97-2003-bestand (.xls), een ouder formaat dat de import niet leest. Open het in Excel "
           "of LibreOffice en bewaar het als Excel-werkmap (.xlsx), als OpenDocument-rekenblad (.ods) of als CSV, "
           "en kies dan dat bestand.")
UPLOAD_TYPES = ["csv", "txt", "xlsx", "ods", "xls"]  # what the pages let a user pick (.xls to explain the refusal)
ROWS, COLUMNS, CELLS = "rows", "columns", "cells"  # what OverLimit says was exceeded


@dataclass(frozen=True)
class Limits:
    """How large a workbook may be: rows of one sheet (its header and empty rows between included), filled columns
    of one row, and filled cells of all sheets together."""

    rows: int
    columns: int
    cells: int


class Unreadable(ValueError):
    """The data cannot be read as the spreadsheet its content says it is."""


class OverLimit(ValueError):
    """A sheet is larger than a limit: `what` is ROWS, COLUMNS or CELLS, `sheet` the sheet's name."""

    def __init__(self, what: str, sheet: str):
        super().__init__(what, sheet)
        self.what, self.sheet = what, sheet


def kind_of(data: bytes) -> str:
    """csv, xlsx, ods or xls as the content shows it (a zip that is no spreadsheet counts as xlsx, whose reader
    then says it cannot read it)."""
    if data.startswith(_OLE2):
        return XLS
    if data[:2] != b"PK":
        return CSV
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "mimetype" in archive.namelist():
                with archive.open("mimetype") as entry:
                    if entry.read(len(_ODS_MIMETYPE) + 1).strip() == _ODS_MIMETYPE:
                        return ODS
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        pass
    return XLSX


def read_sheets(data: bytes, limits: Limits, first_only: bool = False) -> dict[str, list[list]]:
    """{sheet name: rows of cell values} of an XLSX or ODS (as its content shows): dates as datetime, times as time,
    numbers as int/float, text as str, empty cells None; each row without its trailing empty cells, each sheet
    without its trailing empty rows. Raises OverLimit past a limit, Unreadable for a file that is no such
    spreadsheet."""
    if kind_of(data) == ODS:
        return _ods_sheets(data, limits, first_only)
    return _xlsx_sheets(data, limits, first_only)


class Sheets:
    """Sheets as they are read (also a CSV's one sheet): every row checked against the limits before it is added."""

    def __init__(self, limits: Limits):
        self.limits, self.sheets, self.cells = limits, {}, 0
        self.name, self.rows, self.empty_rows = "", [], 0

    def start(self, name: str) -> None:
        """A new sheet."""
        self.name, self.rows, self.empty_rows = name, [], 0
        self.sheets[name] = self.rows

    def check_width(self, width: int) -> None:
        """A row of `width` cells, the trailing empty ones left out."""
        if width > self.limits.columns:
            raise OverLimit(COLUMNS, self.name)

    def check_height(self) -> None:
        """The rows read so far, empty ones at the end included (an XLSX row numbered far below yields them all)."""
        if len(self.rows) + self.empty_rows > self.limits.rows:
            raise OverLimit(ROWS, self.name)

    def add(self, cells: list, repeat: int = 1) -> None:
        """A row of cells (without trailing empty ones), `repeat` times; empty rows are only written when a filled
        row follows them."""
        if not cells:
            self.empty_rows += repeat
            return
        self.check_width(len(cells))
        if len(self.rows) + self.empty_rows + repeat > self.limits.rows:
            raise OverLimit(ROWS, self.name)
        self.cells += len(cells) * repeat
        if self.cells > self.limits.cells:
            raise OverLimit(CELLS, self.name)
        self.rows.extend([] for _ in range(self.empty_rows))
        self.rows.extend(list(cells) for _ in range(repeat))
        self.empty_rows = 0


# --- XLSX ---------------------------------------------------------------------------------------------------


def _xlsx_sheets(data: bytes, limits: Limits, first_only: bool) -> dict[str, list[list]]:
    """The sheets of an XLSX, streamed (openpyxl's read-only mode): the dimension a sheet declares is checked first,
    then each row as it comes, never padded to that dimension."""
    from openpyxl import load_workbook

    sheets = Sheets(limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception as exc:  # a zip that is no workbook, a damaged file, ...
        raise Unreadable("unreadable XLSX") from exc
    try:
        for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
            sheets.start(sheet.title)
            _check_dimension(sheets, sheet.max_row or 0, sheet.max_column or 0)
            sheet.reset_dimensions()  # each row as wide as its last cell, not padded to the claimed dimension
            for row in sheet.iter_rows(values_only=True):
                sheets.add(_trimmed(row))
                sheets.check_height()
    except (OverLimit, MemoryError):
        raise
    except Exception as exc:
        raise Unreadable("unreadable XLSX") from exc
    finally:
        workbook.close()
    return sheets.sheets


def _check_dimension(sheets: Sheets, rows: int, columns: int) -> None:
    """The size a sheet claims (its <dimension>), refused past a limit before a row is read."""
    sheets.check_width(columns)
    if rows > sheets.limits.rows:
        raise OverLimit(ROWS, sheets.name)
    if rows * columns > sheets.limits.cells:
        raise OverLimit(CELLS, sheets.name)


def _trimmed(row: tuple) -> list:
    """A row without its trailing empty cells."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return list(row[:end])


# --- ODS ----------------------------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
_MAX_SPACES = 1_000  # <text:s text:c="..."/>: more spaces than this in one go is no cell of a register or export
_DURATION = re.compile(r"^PT(\d+)H(\d+)M(\d+)(?:\.\d+)?S$")


class _FirstSheetRead(Exception):
    """Ends the parse once the first sheet is read (when only that one is asked for)."""


def _ods_sheets(data: bytes, limits: Limits, first_only: bool) -> dict[str, list[list]]:
    """The sheets of an ODS, from a streaming parse of its content.xml: a repeated row or cell is counted, and
    checked against the limits, before it is written out; nothing else of the document is kept."""
    sheets = Sheets(limits)
    content = _OdsContent(sheets, first_only)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = content.start, content.end
    parser.CharacterDataHandler = content.text
    parser.StartDoctypeDeclHandler = _no_doctype  # no entities, so no 'billion laughs'
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _FirstSheetRead:
        pass
    except (OverLimit, MemoryError):
        raise
    except Exception as exc:  # no content.xml, damaged or encrypted, not XML, a value that is no number or date
        raise Unreadable("unreadable ODS") from exc
    return sheets.sheets


def _no_doctype(*_) -> None:
    raise Unreadable("an ODS has no DOCTYPE")


class _OdsContent:
    """The handlers of the parse of content.xml: sheets, rows and cells as pandas' ODS reader (odfpy) read them
    before, without expanding a repeat past the limits."""

    def __init__(self, sheets: Sheets, first_only: bool):
        self.sheets, self.first_only = sheets, first_only
        self.depth = 0  # of table:table elements: rows of a table inside a table are not rows of the sheet
        self.row: list | None = None  # the cells of the row being read
        self.row_repeat, self.empty_cells = 1, 0
        self.cell: dict | None = None  # the attributes of the cell being read
        self.cell_repeat, self.parts, self.chunks, self.notes = 1, [], [], 0

    def start(self, name: str, attributes: dict) -> None:
        if name == _TABLE + "table":
            self.depth += 1
            if self.depth == 1:
                self.sheets.start(attributes.get(_TABLE + "name", str(len(self.sheets.sheets))))
        elif self.depth != 1:
            return
        elif name == _TABLE + "table-row":
            self.row, self.empty_cells = [], 0
            self.row_repeat = _repeat(attributes.get(_TABLE + "number-rows-repeated"))
        elif name in _CELLS and self.row is not None:
            self.cell = attributes if name == _CELLS[0] else {}
            self.cell_repeat = _repeat(attributes.get(_TABLE + "number-columns-repeated"))
            self.parts, self.chunks, self.notes = [], [], 0
        elif self.cell is not None:
            self._flush()
            if name == _OFFICE + "annotation":
                self.notes += 1
            elif name == _TEXT + "s" and not self.notes:
                self.parts.append(" " * min(_repeat(attributes.get(_TEXT + "c")), _MAX_SPACES))

    def end(self, name: str) -> None:
        if name == _TABLE + "table":
            self.depth -= 1
            if self.depth == 0 and self.first_only:
                raise _FirstSheetRead
        elif self.depth != 1:
            return
        elif name in _CELLS and self.cell is not None:
            self._flush()
            self._add_cell(_ods_value(self.cell, "".join(self.parts)))
            self.cell = None
        elif name == _TABLE + "table-row" and self.row is not None:
            self.sheets.add(self.row, self.row_repeat)
            self.row = None
        elif self.cell is not None:
            self._flush()
            if name == _OFFICE + "annotation":
                self.notes -= 1

    def text(self, data: str) -> None:
        if self.cell is not None and not self.notes:
            self.chunks.append(data)

    def _flush(self) -> None:
        """The text read since the last tag, as one piece (odfpy's text node, without its line ends at either end)."""
        if self.chunks:
            self.parts.append("".join(self.chunks).strip("\n"))
            self.chunks = []

    def _add_cell(self, value) -> None:
        """A cell `cell_repeat` times; empty cells are only written when a filled cell follows them."""
        if value is None:
            self.empty_cells += self.cell_repeat
            return
        self.sheets.check_width(len(self.row) + self.empty_cells + self.cell_repeat)
        self.row.extend([None] * self.empty_cells + [value] * self.cell_repeat)
        self.empty_cells = 0


def _repeat(value: str | None) -> int:
    """A count attribute (number-rows-repeated, number-columns-repeated, text:c): 1 when absent."""
    if value is None:
        return 1
    count = int(value)
    if count < 1:
        raise ValueError(f"a count of {count}")
    return count


def _ods_value(attributes: dict, text: str):
    """A cell's value as pandas read it before: by its office:value-type; None for an empty cell, empty text and
    #N/A."""
    kind = attributes.get(_OFFICE + "value-type")
    if kind is None or text == "#N/A":
        return None
    if kind == "string":
        return text or None
    if kind == "float":
        number = float(attributes[_OFFICE + "value"])
        return int(number) if number.is_integer() else number
    if kind in ("percentage", "currency"):
        return float(attributes[_OFFICE + "value"])
    if kind == "date":
        return dt.datetime.fromisoformat(attributes[_OFFICE + "date-value"])
    if kind == "time":
        return _ods_time(attributes[_OFFICE + "time-value"], text)
    if kind == "boolean":
        return attributes.get(_OFFICE + "boolean-value") == "true"
    raise ValueError(f"unknown value type {kind}")


def _ods_time(value: str, text: str):
    """A time cell (PT13H45M00S) as a time of day; a duration of a day or more as the text it shows."""
    found = _DURATION.match(value)
    if not found:
        raise ValueError(f"no time: {value}")
    hours, minutes, seconds = (int(part) for part in found.groups())
    return dt.time(hours, minutes, seconds) if hours < 24 else text
