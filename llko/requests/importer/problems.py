"""Why an export is refused (a problem per cell, or one for the file) and what an import did, in Dutch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from llko import dutch
from llko.files import caps, messages
from llko.requests.importer.columns import COLUMNS

MSG_UNREADABLE = (
    "Het bestand kon niet gelezen worden: het is geen CSV-bestand, geen Excel-werkmap (.xlsx) en geen "
    "OpenDocument-rekenblad (.ods). Exporteer de aanvragen opnieuw uit Opvang.Vlaanderen als CSV of als "
    "Excel-bestand."
)


MSG_EMPTY = "Het bestand is leeg."


def too_big() -> FileFault:
    return FileFault(f"Het bestand heeft meer dan {dutch.whole(caps.MAX_ROWS)} rijen of {caps.MAX_COLUMNS} kolommen; "
                     "een export van Opvang.Vlaanderen is veel kleiner. Controleer of u het juiste bestand koos.")


def too_many_cells() -> FileFault:
    return FileFault(f"Het bestand heeft meer dan {dutch.whole(caps.MAX_CELLS)} cellen (rijen maal kolommen); een "
                     "export van Opvang.Vlaanderen is veel kleiner. Exporteer alleen de nodige kolommen of een "
                     "kortere periode, of splits het bestand in delen.")


def unpacks_too_big() -> FileFault:
    return FileFault(f"Het Excel-bestand is uitgepakt groter dan {caps.MAX_XML_MB} MB; een export van "
                     "Opvang.Vlaanderen is veel kleiner. Exporteer een kortere periode of splits de export in "
                     "delen, of exporteer als CSV.")


def packed_too_tight() -> FileFault:
    return FileFault(f"Het Excel-bestand is ongewoon sterk gecomprimeerd: uitgepakt is het meer dan {caps.MAX_RATIO} "
                     "keer zo groot. Een export van Opvang.Vlaanderen is dat nooit; exporteer de aanvragen opnieuw "
                     "uit Opvang.Vlaanderen, of kies het juiste bestand.")


MSG_HEADER_ONLY = "Het bestand bevat alleen een kopregel en geen aanvragen."


def nl_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def nl_list(items: list[str], limit: int = 10) -> str:
    """'a', 'a en b', 'a, b en c'; past `limit` items: 'a, b, … en nog 12 andere'."""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" en nog {len(items) - limit} andere"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


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
    return ParsedFile(empty_frame(), [fault.problem])


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


IMPOSSIBLE_DATE = "impossible_date"
