"""An uploaded export parsed in a process of its own (llko.files.bounded: bounded in time and in memory), so that
one file can neither stall the pages of the other users nor take the server's memory. A workbook whose zip directory
already refuses it is refused at once, without a process. The command line's export import parses in its own process
anyway and uses importer.parse.

This module loads no pandas: the process imports it first and reads a workbook within the caps
(llko.files.spreadsheets) before it loads the importer, so a file past a cap is refused in a fraction of a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llko.files import bounded, caps, spreadsheets

if TYPE_CHECKING:
    from llko.requests.importer import FileFault, ParsedFile

MSG_FAILED = ("Het bestand kon niet gelezen worden: het lezen werd afgebroken (een beschadigd bestand, of te "
              "weinig geheugen). Exporteer de aanvragen opnieuw uit Opvang.Vlaanderen, als CSV of als Excel-bestand.")


def _too_slow() -> FileFault:
    from llko.requests.importer import FileFault

    return FileFault(f"Het bestand kon niet binnen {bounded.seconds_text()} gelezen worden; een export van "
                     "Opvang.Vlaanderen gaat veel sneller. Exporteer een kortere periode of splits de export in delen.")


def _too_much_memory() -> FileFault:
    from llko.requests.importer import FileFault

    return FileFault(f"Het bestand vraagt meer dan {bounded.MAX_MEMORY_MB} MB geheugen om gelezen te worden; een export van "
                     "Opvang.Vlaanderen is veel kleiner. Exporteer een kortere periode of splits de export in delen, "
                     "of exporteer als CSV.")


# A CSV this small is parsed in the app's own process: a CSV's work grows with its bytes alone (no packed parts
# that unpack to more), and a town's export (25,000 rows, 2.4 MB) takes 0.34 s here against 1.3 s for starting a
# process that loads pandas. Workbooks, and larger CSVs, always get a process of their own.
IN_PROCESS_CSV_BYTES = 3 * 1024 * 1024


def parse_bounded(data: bytes, file_name: str) -> ParsedFile:
    """importer.parse(data, file_name) in a process of its own (bounded.run_bounded); refused when it gives no answer.
    A CSV of at most IN_PROCESS_CSV_BYTES is parsed here, at once."""
    from llko.requests import importer

    if len(data) <= IN_PROCESS_CSV_BYTES and spreadsheets.kind_of(data) == spreadsheets.CSV:
        return importer.parse(data, file_name)
    try:
        importer.check_workbook_size(data)
        handed = {name: getattr(caps, name) for name in caps.NAMES}
        return bounded.run_bounded("llko.requests.upload:parse_here", data, file_name, handed)
    except (spreadsheets.OverLimit, spreadsheets.Unreadable) as error:
        return importer.refused(importer.workbook_fault(error))
    except importer.FileFault as fault:
        return importer.refused(fault)
    except bounded.Unfinished as unfinished:
        fault = {bounded.SLOW: _too_slow, bounded.MEMORY: _too_much_memory}.get(unfinished.reason)
        return importer.refused(fault() if fault else importer.FileFault(MSG_FAILED))


def parse_here(data: bytes, file_name: str, handed: dict) -> ParsedFile:
    """What the process of parse_bounded runs: a workbook's first sheet read within the caps before pandas is
    loaded (a file past a cap raises spreadsheets.OverLimit at once), then importer.parse with the caps as set in
    the app."""
    sheet = None
    if spreadsheets.kind_of(data) in (spreadsheets.XLSX, spreadsheets.ODS):
        limits = spreadsheets.Limits(handed["MAX_ROWS"] + 1, handed["MAX_COLUMNS"], handed["MAX_CELLS"])
        sheet = next(iter(spreadsheets.read_sheets(data, limits, first_only=True).values()), [])
    from llko.requests import importer

    for name, value in handed.items():
        setattr(caps, name, value)
    return importer.parse(data, file_name, sheet)
