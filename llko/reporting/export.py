"""Tables as files a Belgian Excel opens cleanly: CSV (semicolon, UTF-8 with BOM, dd/mm/jjjj, decimal comma)
and XLSX (a named sheet, real dates and numbers, a frozen header row, sensible column widths).

Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a
leading apostrophe in the CSV; the XLSX stores every text as a text cell, which Excel never runs.
"""

import io
import math
from datetime import date, datetime

import pandas as pd
import xlsxwriter

from llko import dutch

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d/%m/%Y"
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def neutralise(value):
    """A text cell that would start a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_blank(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or (
        value is pd.NA)


def _cells(frame: pd.DataFrame) -> list[list]:
    """The frame's rows as Python values: blanks as None, timestamps as dates (or datetimes with a time)."""
    rows = []
    for record in frame.astype(object).itertuples(index=False, name=None):
        row = []
        for value in record:
            if _is_blank(value):
                value = None
            elif isinstance(value, pd.Timestamp):
                value = value.to_pydatetime()
                if value.tzinfo is None and value.time() == datetime.min.time():
                    value = value.date()
            elif hasattr(value, "item") and not isinstance(value, (str, bytes)):
                value = value.item()  # numpy scalars
            row.append(value)
        rows.append(row)
    return rows


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return dutch.yes_no(value)
    if isinstance(value, datetime):
        return value.strftime(DATE_FORMAT + " %H:%M")
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return str(neutralise(str(value)))


def to_csv(frame: pd.DataFrame) -> bytes:
    """Semicolon CSV in UTF-8 with a BOM: dates dd/mm/jjjj, decimal comma, blanks empty, formula-safe text."""
    body = pd.DataFrame([[_csv_text(v) for v in row] for row in _cells(frame)], columns=list(frame.columns))
    if body.empty:
        body = pd.DataFrame(columns=list(frame.columns))
    return body.to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8-sig")


def sheet_name(title: str) -> str:
    """A valid Excel sheet name from a title (no [ ] : * ? / \\, at most 31 characters)."""
    return (title.translate(_SHEET_FORBIDDEN).strip() or "Gegevens")[:SHEET_NAME_MAX]


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    """One named sheet: real dates (dd/mm/jjjj) and numbers, text as text, the header row frozen and bold."""
    return to_xlsx_book({sheet: frame})


def to_xlsx_book(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook of named sheets, each as to_xlsx writes one."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    for sheet, frame in sheets.items():
        _write_sheet(book, book.add_worksheet(sheet_name(sheet)), frame)
    book.close()
    return buffer.getvalue()


def _write_sheet(book, page, frame: pd.DataFrame) -> None:
    header = book.add_format({"bold": True, "bg_color": "#E6F1F2", "bottom": 1})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    widths = [len(str(c)) for c in frame.columns]
    for col, name in enumerate(frame.columns):
        page.write_string(0, col, str(name), header)
    for r, row in enumerate(_cells(frame), start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                text = dutch.yes_no(value)
                page.write_string(r, col, text)
            elif isinstance(value, datetime):
                page.write_datetime(r, col, value.replace(tzinfo=None), moment)
                text = "00/00/0000 00:00"
            elif isinstance(value, date):
                page.write_datetime(r, col, datetime.combine(value, datetime.min.time()), day)
                text = "00/00/0000"
            elif isinstance(value, (int, float)):
                page.write_number(r, col, value)
                text = str(value)
            else:
                text = str(value)
                page.write_string(r, col, text)  # a text cell, never a formula, whatever it starts with
            widths[col] = max(widths[col], len(text))
    for col, width in enumerate(widths):
        page.set_column(col, col, min(max(width, 6), 60) + 2)
    page.freeze_panes(1, 0)
    if len(frame.columns):
        page.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
