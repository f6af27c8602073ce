"""A workbook is refused by what it claims before anything is expanded (issue 22, item 4), by both importers: the
export import (upload.parse_bounded, as the Import page runs it, and importer.parse, as the command line does) and
the register workbook (import_register, as the page and `python -m llko import-register` run it). Both read an XLSX
or ODS in a process of their own, whose address space is capped and whose answer comes on a file of its own.

Measured before (2 cores), in the app's own process: the register import of a 1.9 KB XLSX claiming A1:XFD50000
(50,000 empty rows, each padded to 16,384 columns) ran 17 s and took 3.6 GB before the 4 GB set for the measurement
ended it; a 0.8 KB ODS with a cell repeated 16,384 times in a row repeated 50,000 times was still being read after
120 s (10 GB allowed); a CSV with 40,000 column names took 42 s in the export import, 14 s in the register's (a
quadratic duplicate check). Now each is refused in well under a second, the reading process staying under 50 MB.
"""

import io
import logging
import resource
import time
import zipfile

import pytest

from llko.registers import workbook
from llko.registers.workbook import import_register
from llko.files import bounded, caps, spreadsheets
from llko.requests import importer, upload

from test_upload_bounds import PARTS as UPLOAD_PARTS

EXPORT_TOO_BIG = ("Het bestand heeft meer dan 300.000 rijen of 100 kolommen; een export van Opvang.Vlaanderen is veel "
                  "kleiner. Controleer of u het juiste bestand koos.")
EXPORT_TOO_MANY_CELLS = ("Het bestand heeft meer dan 5.000.000 cellen (rijen maal kolommen); een export van "
                         "Opvang.Vlaanderen is veel kleiner. Exporteer alleen de nodige kolommen of een kortere "
                         "periode, of splits het bestand in delen.")
REGISTER_TOO_WIDE = ("Blad 'opvang' heeft meer dan 100 kolommen; een registerblad heeft er veel minder. Controleer "
                     "of u het juiste bestand koos.")
REGISTER_TOO_LONG = "Blad 'opvang' heeft meer dan 50.000 rijen."
HEADER = ["aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "status", "datum_status"]
ROW = ["A1", "K1", "P1", "Zon", "01/10/2026", "nieuw", "02/10/2026"]

# --- the files ----------------------------------------------------------------------------------------------

# the least openpyxl opens as a workbook (test_upload_bounds), its one sheet called opvang as the register names it
PARTS = {**UPLOAD_PARTS, "xl/workbook.xml": UPLOAD_PARTS["xl/workbook.xml"].replace('name="Blad1"', 'name="opvang"')}


def xlsx(sheet: str) -> bytes:
    """A minimal XLSX whose one sheet holds this XML (a dimension, sheetData)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, part in PARTS.items():
            book.writestr(name, part)
        book.writestr("xl/worksheets/sheet1.xml", '<worksheet xmlns="http://schemas.openxmlformats.org/'
                      f'spreadsheetml/2006/main">{sheet}</worksheet>')
    return buffer.getvalue()


def xlsx_row(number: int, cells: dict[str, str] | list[str]) -> str:
    """A <row>: cells by reference, or a list of values from column A on."""
    if isinstance(cells, list):
        cells = {f"{column}{number}": value for column, value in zip("ABCDEFGHIJ", cells)}
    return f'<row r="{number}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
                                            for ref, value in cells.items()) + "</row>"


def ods(table: str) -> bytes:
    """A minimal ODS (what pandas' reader needed too: a manifest) whose one sheet, opvang, holds these rows."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="opvang">{table}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        book.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_row(*cells: str, repeat: int = 1) -> str:
    """A row of cells: text, or '' for an empty cell; 'x*n' for a text cell x repeated n times, '*n' for n empty."""
    xml = []
    for cell in cells:
        text, _, times = cell.partition("*")
        repeated = f' table:number-columns-repeated="{times}"' if times else ""
        xml.append(f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p>'
                   "</table:table-cell>" if text else f"<table:table-cell{repeated}/>")
    rows = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rows}>{''.join(xml)}</table:table-row>"


# The attacks: ~1 KB each, claiming 16,384 columns of 50,000 rows.
CLAIMS_A1_XFD50000 = xlsx('<dimension ref="A1:XFD50000"/><sheetData>'
                          + xlsx_row(1, {"A1": "opvang_id", "B1": "naam"}) + "<row/>" * 49_999 + "</sheetData>")
REPEATS_16384_BY_50000 = ods(ods_row("x*16384", repeat=50_000))


# --- measuring ----------------------------------------------------------------------------------------------


@pytest.fixture
def peaks(caplog):
    """The peak memory (MB) of each process that read a file, as it reported it (VmHWM: the process alone, not the
    test's own size at the moment it started the process)."""
    caplog.set_level(logging.INFO, logger="llko.files.bounded")
    return lambda: [record.peak_mb for record in caplog.records if hasattr(record, "peak_mb")]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def export_messages(parsed: importer.ParsedFile) -> list[str]:
    return [p.message for p in parsed.problems]


def register_refusal(engine, name: str, data: bytes) -> tuple[list[str], float]:
    result, seconds = timed(import_register, engine, [(name, data)], "coord")
    assert not result.ok
    return result.problems, seconds


# --- the attacks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, size", [("claims.xlsx", CLAIMS_A1_XFD50000, 2_000),  # 16384 columns x 50000
                                              ("repeats.ods", REPEATS_16384_BY_50000, 1_000)])  # rows, claimed
def test_a_workbook_claiming_16384_columns_of_50000_rows_is_refused_at_once_by_both_importers(engine, peaks, name,
                                                                                               data, size):
    assert len(data) < size
    parsed, seconds = timed(upload.parse_bounded, data, name)
    assert export_messages(parsed) == [EXPORT_TOO_BIG] and seconds < 1
    assert export_messages(importer.parse(data, name)) == [EXPORT_TOO_BIG]
    problems, seconds = register_refusal(engine, name.replace(name.split(".")[0], "registers"), data)
    assert problems == [REGISTER_TOO_WIDE] and seconds < 1
    assert len(peaks()) == 2 and max(peaks()) < 300


def test_the_peak_a_process_reports_is_its_own():
    """The process reports VmHWM: getrusage would also count the size of the program that started it (this test)."""
    ballast = bytearray(400 * 1024 * 1024)  # the starting program's size, which a fork copies for a moment
    ballast[::4096] = b"x" * len(ballast[::4096])
    assert bounded.run_bounded("resource:getrusage", resource.RUSAGE_SELF).ru_maxrss > 400 * 1024  # KB
    assert bounded.run_bounded("llko.files.bounded:_peak_mb") < 100


def test_a_row_of_the_register_as_wide_as_the_claim_is_refused_before_it_is_padded(engine, peaks):
    """Cells far to the right (XFD: column 16,384) in 20,000 rows: refused at the first."""
    data = xlsx("<sheetData>" + xlsx_row(1, {"A1": "opvang_id", "B1": "naam"}) + "".join(
        xlsx_row(i, {f"A{i}": f"P{i}", f"XFD{i}": "x"}) for i in range(2, 20_002)) + "</sheetData>")
    problems, seconds = register_refusal(engine, "registers.xlsx", data)
    assert problems == [REGISTER_TOO_WIDE] and seconds < 2
    assert export_messages(upload.parse_bounded(data, "x.xlsx")) == [EXPORT_TOO_BIG]
    assert max(peaks()) < 300


def test_an_empty_cell_far_to_the_right_is_no_column():
    """A formatted empty cell at XFD (as a spreadsheet may keep one) does not make the row wide."""
    data = xlsx("<sheetData>" + xlsx_row(1, HEADER) + xlsx_row(2, ROW)
                + '<row r="3"><c r="XFD3"/></row></sheetData>')
    parsed = upload.parse_bounded(data, "x.xlsx")
    assert parsed.problems == [] and len(parsed.frame) == 1


def test_the_declared_size_counts_rows_and_cells_too(engine):
    too_many_cells = xlsx('<dimension ref="A1:CV60000"/><sheetData>' + xlsx_row(1, HEADER)
                          + "</sheetData>")  # 100 columns of 60,000 rows: 6 million cells
    assert export_messages(upload.parse_bounded(too_many_cells, "x.xlsx")) == [EXPORT_TOO_MANY_CELLS]
    problems, _ = register_refusal(engine, "registers.xlsx", too_many_cells)
    assert problems == [REGISTER_TOO_LONG]
    far_below = xlsx("<sheetData>" + xlsx_row(1, {"A1": "opvang_id", "B1": "naam"})
                     + xlsx_row(1_000_000, {"A1000000": "P1", "B1000000": "Zon"}) + "</sheetData>")
    (problems, seconds) = register_refusal(engine, "registers.xlsx", far_below)
    assert problems == [REGISTER_TOO_LONG] and seconds < 2
    assert export_messages(importer.parse(far_below, "x.xlsx")) == [EXPORT_TOO_BIG]


def test_repeated_rows_and_cells_of_an_ods_are_counted_before_they_are_written(engine):
    rows = ods(ods_row("opvang_id", "naam") + ods_row("P1", "Zon", repeat=60_000))
    problems, seconds = register_refusal(engine, "registers.ods", rows)
    assert problems == [REGISTER_TOO_LONG] and seconds < 1
    empty_rows_then_one = ods(ods_row("opvang_id", "naam") + ods_row(repeat=400_000) + ods_row("P1", "Zon"))
    assert export_messages(upload.parse_bounded(empty_rows_then_one, "x.ods")) == [EXPORT_TOO_BIG]
    empty_cells_then_one = ods(ods_row("opvang_id", "naam", "*16384", "x"))
    problems, _ = register_refusal(engine, "registers.ods", empty_cells_then_one)
    assert problems == [REGISTER_TOO_WIDE]
    one_cell_a_billion_times = ods(ods_row("opvang_id", "naam") + ods_row("P1", "x*1000000000"))  # 8 GB written out
    problems, seconds = register_refusal(engine, "registers.ods", one_cell_a_billion_times)
    assert problems == [REGISTER_TOO_WIDE] and seconds < 1


def test_what_libreoffice_repeats_at_the_end_of_a_sheet_is_no_row_and_no_column(engine):
    """LibreOffice ends a sheet with its empty rows (1,048,553 of them, repeated) and a row with its empty cells."""
    data = ods(ods_row(*HEADER, "*16377") + ods_row(*ROW, "*16377") + ods_row("*16384", repeat=1_048_574))
    assert spreadsheets.read_sheets(data, importer.limits()) == {"opvang": [HEADER, ROW]}
    parsed = upload.parse_bounded(data, "x.ods")
    assert parsed.problems == [] and len(parsed.frame) == 1


def test_the_cell_cap_holds_for_an_ods_in_the_process(monkeypatch):
    monkeypatch.setattr(caps, "MAX_CELLS", 20)
    expected = EXPORT_TOO_MANY_CELLS.replace("5.000.000", "20")
    data = ods(ods_row(*HEADER) + ods_row(*ROW, repeat=2))  # 21 cells
    assert export_messages(upload.parse_bounded(data, "x.ods")) == [expected]
    assert export_messages(upload.parse_bounded(ods(ods_row(*HEADER) + ods_row(*ROW)), "x.ods")) == []


# --- the CSV's columns ---------------------------------------------------------------------------------------


def test_a_csv_with_40000_column_names_is_refused_at_once_by_both_importers(engine):
    names = ";".join(["opvang_id", "naam"] + [f"kolom{i}" for i in range(40_000)])
    data = f"{names}\nP1;Zon\n".encode()
    problems, seconds = register_refusal(engine, "opvang.csv", data)
    assert problems == [REGISTER_TOO_WIDE] and seconds < 1
    parsed, seconds = timed(importer.parse, data.replace(b"opvang_id;naam", ";".join(HEADER).encode()), "x.csv")
    assert export_messages(parsed) == [EXPORT_TOO_BIG] and seconds < 1


def test_the_duplicate_column_check_of_the_register_is_linear(engine, monkeypatch):
    """40,000 columns admitted, two of them twice: named in a fraction of a second (the quadratic check took 14 s)."""
    monkeypatch.setattr(caps, "MAX_COLUMNS", 50_000)
    monkeypatch.setattr(caps, "MAX_CELLS", 10_000_000)
    names = ";".join(["opvang_id", "naam", "naam", "adres"] + [f"kolom{i}" for i in range(40_000)] + ["adres"])
    problems, seconds = register_refusal(engine, "opvang.csv", f"{names}\nP1;Zon\n".encode())
    assert problems == ["Blad opvang: de kolom(men) adres, naam staan er twee keer in."] and seconds < 1


# --- the process ---------------------------------------------------------------------------------------------


def test_what_the_process_prints_does_not_garble_its_answer():
    """The answer comes on a file of its own: 600 KB printed on standard output (more than a pipe holds), and a
    program it starts writing on standard output and error, leave it intact."""
    noisy = "[print('lawaai ' * 100_000), __import__('os').system('echo lawaai; echo lawaai >&2'), 42][-1]"
    assert bounded.run_bounded("builtins:eval", noisy) == 42


def test_the_process_has_a_memory_cap_and_a_file_past_it_is_refused_in_dutch(monkeypatch):
    limit = bounded.run_bounded("resource:getrlimit", resource.RLIMIT_AS)[0]
    assert limit == bounded.MAX_MEMORY_MB * 1024 * 1024
    with pytest.raises(bounded.Unfinished) as unfinished:
        bounded.run_bounded("builtins:bytearray", (bounded.MAX_MEMORY_MB + 1) * 1024 * 1024)
    assert unfinished.value.reason == bounded.MEMORY
    monkeypatch.setattr(upload, "IN_PROCESS_CSV_BYTES", 0)  # this CSV, too, in a process of its own
    monkeypatch.setattr(bounded, "WORKER", "import llko.requests.upload as u; "
                                          "u.parse_here = lambda *a: bytearray(2**40); "
                                          "from llko.files.bounded import _child; _child()")
    assert export_messages(upload.parse_bounded(b"aanvraag_id\nA1\n", "x.csv")) == [
        "Het bestand vraagt meer dan 2048 MB geheugen om gelezen te worden; een export van Opvang.Vlaanderen is veel "
        "kleiner. Exporteer een kortere periode of splits de export in delen, of exporteer als CSV."]
    monkeypatch.setattr(bounded, "WORKER", "import llko.files.spreadsheets as s; "
                                          "s.read_sheets = lambda *a: bytearray(2**40); "
                                          "from llko.files.bounded import _child; _child()")
    with pytest.raises(workbook._Refused) as refused:
        workbook.read_files([("registers.xlsx", CLAIMS_A1_XFD50000)])
    assert str(refused.value) == ("'registers.xlsx' vraagt meer dan 2048 MB geheugen om gelezen te worden; een "
                                  "registerwerkmap is veel kleiner. Controleer of u het juiste bestand koos.")


def test_a_register_workbook_past_the_time_bound_is_refused_in_dutch(monkeypatch):
    monkeypatch.setattr(bounded, "PARSE_SECONDS", 1)
    monkeypatch.setattr(bounded, "WORKER", "import time; time.sleep(30)")
    with pytest.raises(workbook._Refused) as refused:
        workbook.read_files([("registers.ods", REPEATS_16384_BY_50000)])
    assert str(refused.value) == ("'registers.ods' kon niet binnen 1 seconde gelezen worden; een registerwerkmap gaat "
                                  "veel sneller. Controleer of u het juiste bestand koos.")
