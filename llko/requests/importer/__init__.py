"""Import of Opvang.Vlaanderen exports (CSV, XLSX or ODS snapshots of the town's requests), in four steps:
`reading` (the file into a frame of strings, its columns mapped by `columns`), `validation` (every cell checked and
typed), then `writing` in one transaction. `parse` reads and validates and never touches the database;
`import_file` writes a valid file whole, or refuses it with a Dutch message per bad cell (`problems`) or one for a
file-level fault, and writes nothing then."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from llko import audit
from llko.clock import typed_day_problem
from llko.db import retry_when_busy, transaction
from llko.files import messages
from llko.requests.importer.columns import (
    ALIASES,
    COLUMN_HELP,
    COLUMNS,
    DATE_COLUMNS,
    EXAMPLE_CSV,
    REQUIRED,
    normalize_header,
)
from llko.requests.importer.problems import FileFault, ImportProblem, ImportResult, ParsedFile, empty_frame, refused
from llko.requests.importer.reading import check_workbook_size, limits, read, workbook_fault
from llko.requests.importer.validation import explained, impossible_dates, validate
from llko.requests.importer.writing import AlreadyImported, already_text, checksum, earlier_import, write

# What the pages, the command line and the tests use; the rest lives in the modules named above.
__all__ = [
    "ALIASES", "COLUMN_HELP", "COLUMNS", "DATE_COLUMNS", "EXAMPLE_CSV", "REQUIRED", "FileFault", "ImportProblem",
    "ImportResult", "ParsedFile", "already_imported", "as_of_problem", "check_workbook_size", "import_file", "impossible_dates",
    "limits", "normalize_header", "parse", "refused", "workbook_fault",
]


def parse(data: bytes, file_name: str, sheet: list[list] | None = None) -> ParsedFile:
    """Read and validate an Opvang.Vlaanderen export; never touches the database. `sheet`: the rows of a workbook's
    first sheet when they were already read (spreadsheets.read_sheets), as the upload's own process does."""
    try:
        frame, skipped, date_cells = read(data, sheet)
    except FileFault as fault:
        return refused(fault)
    notices = messages.skipped_columns(skipped)
    typed, problems = validate(frame, date_cells)
    if problems:
        return ParsedFile(empty_frame(), explained(problems), notices, checked=typed)
    return ParsedFile(typed, [], notices)


def as_of_problem(as_of: dt.date, today: dt.date) -> str | None:
    """What is wrong with the snapshot date a person typed on the Import page (Dutch, naming the field), or None: it
    is the day the export was downloaded, so never in the future (a later snapshot always wins over an earlier one)."""
    return typed_day_problem("Datum van de momentopname", as_of, today,
                             not_yet="kies de dag waarop de export gedownload werd")


def already_imported(engine: Engine, data: bytes, as_of: dt.date) -> str | None:
    """A Dutch sentence when these bytes were already imported for this as-of date (before the button is
    pressed), else None. The import itself checks again, inside its transaction."""
    with engine.connect() as conn:
        earlier = earlier_import(conn, checksum(data), as_of)
    return None if earlier is None else already_text(earlier) + ": opnieuw importeren verandert niets."


def _refuse(engine: Engine, actor: str, file_name: str, as_of: dt.date, problems: list[ImportProblem]) -> ImportResult:
    """Audit the refusal in a small transaction of its own and report the problems."""
    with transaction(engine) as session:
        audit.record(session, actor, "import_refused", file=file_name, as_of=as_of, problems=len(problems))
    return ImportResult(ok=False, problems=problems, run_id=None)


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
                result = write(session, parsed.frame, file_name, checksum(data), as_of, actor)
        except AlreadyImported as already:
            result = _refuse(engine, actor, file_name, as_of, [already.problem])
    result.notices = parsed.notices
    return result
