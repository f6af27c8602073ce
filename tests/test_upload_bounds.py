"""Uploads are bounded: an import reads at most MAX_ROWS rows, MAX_CELLS cells and MAX_XML_MB of unpacked XLSX,
refuses a 'zip bomb' from its zip directory before reading it, and the Import page parses in a process of its
own that is killed after PARSE_SECONDS (its memory capped at MAX_MEMORY_MB), so that a hostile file neither stalls
nor slows the other users' pages. What a workbook claims (its dimension, an ODS's repeats) is bounded before it is
expanded: test_bounded_workbooks.py.

Measured before (2 cores): a 144 KB XLSX of a million one-cell rows took 34 s and 240 MB to be refused, in the
app's own process; 200,000 rows of 100 cells (1 GB of XML, inside the old caps) ran over 300 s and 730 MB.
"""

import io
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from datetime import date

import pytest
import streamlit as st
from openpyxl import Workbook
from sqlalchemy import text

from apptest import errors, page
from conftest import ROOT
from llko.accounts.auth import create_user
from llko.db import make_engine
from llko import config
from llko.files import bounded, caps
from llko.requests import importer, upload
from llko.requests.importer import import_file

HEADER = ["aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "status", "datum_status"]
RATIO = ("Het Excel-bestand is ongewoon sterk gecomprimeerd: uitgepakt is het meer dan 100 keer zo groot. Een "
         "export van Opvang.Vlaanderen is dat nooit; exporteer de aanvragen opnieuw uit Opvang.Vlaanderen, of kies "
         "het juiste bestand.")
PARTS = {  # the least openpyxl opens as a workbook: what an attacker's file holds besides its sheet
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
}


def sheet_file(rows: bytes, level: int = 9, head: bytes = b"") -> bytes:
    """A minimal XLSX whose one sheet holds these <row> elements (after `head`, such as a dimension)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        for name, part in PARTS.items():
            book.writestr(name, part)
        book.writestr("xl/worksheets/sheet1.xml", b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main">' + head + b"<sheetData>" + rows + b"</sheetData></worksheet>")
    return buffer.getvalue()


def cell(value: str) -> bytes:
    return b'<c t="inlineStr"><is><t>%s</t></is></c>' % value.encode()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The attack: a million one-cell rows, 144 KB packed, 49 MB unpacked."""
    data = sheet_file((b"<row>" + cell("x") + b"</row>") * 1_000_000)
    assert len(data) < 150_000
    return data


def export_xlsx(rows: int, columns: int = len(HEADER)) -> bytes:
    """A valid export of `rows` requests as Excel writes it (openpyxl), `columns` wide."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append((HEADER + [f"extra{i}" for i in range(columns)])[:columns])
    for i in range(rows):
        line = [f"A{i}", f"K{i}", "KO-1", "Zonnetje", date(2026, 10, 1), "nieuw", date(2026, 10, 2)]
        sheet.append((line + ["x"] * columns)[:columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(parsed) -> list[str]:
    return [p.message for p in parsed.problems]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


# --- the caps -----------------------------------------------------------------------------------------------


def test_the_zip_bomb_is_refused_from_its_directory_in_milliseconds(bomb):
    parsed, seconds = timed(importer.parse, bomb, "bom.xlsx")
    assert messages(parsed) == [RATIO] and parsed.frame.empty
    assert seconds < 2
    in_process, seconds = timed(upload.parse_bounded, bomb, "bom.xlsx")
    assert messages(in_process) == [RATIO] and seconds < 2  # without starting a process


def test_the_zip_bomb_through_the_import_writes_nothing(engine, bomb):
    result, seconds = timed(import_file, engine, bomb, "bom.xlsx", date(2026, 11, 2), "coordinator")
    assert not result.ok and result.messages == [RATIO] and seconds < 5
    with engine.connect() as conn:
        assert [conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("providers", "requests", "status_history", "import_runs")] == [0, 0, 0, 0]


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused_before_it_is_read(monkeypatch):
    """A valid export of 6,000 requests, 2 MB unpacked (packed like a real one, far below MAX_RATIO to 1): refused
    at once under a cap of 1 MB, accepted under a cap of 3 MB."""
    rows = b"<row>" + b"".join(cell(h) for h in HEADER) + b"</row>" + b"".join(
        b"<row>" + b"".join(cell(v) for v in (f"A{i}", f"K{i}", f"KO-{i % 50}", f"Opvang {i % 50}", "2026-10-01",
                                                "nieuw", "2026-10-02")) + b"</row>" for i in range(6_000))
    data = sheet_file(rows)
    [(unpacked, packed)] = [(p.file_size, p.compress_size) for p in zipfile.ZipFile(io.BytesIO(data)).infolist()
                            if p.filename == "xl/worksheets/sheet1.xml"]
    assert 1.5 * 2**20 < unpacked < 3 * 2**20 and unpacked < caps.MAX_RATIO * packed
    monkeypatch.setattr(caps, "MAX_XML_MB", 1)
    expected = ["Het Excel-bestand is uitgepakt groter dan 1 MB; een export van Opvang.Vlaanderen is veel kleiner. "
                "Exporteer een kortere periode of splits de export in delen, of exporteer als CSV."]
    for parse in (importer.parse, upload.parse_bounded):
        parsed, seconds = timed(parse, data, "groot.xlsx")
        assert messages(parsed) == expected and seconds < 2
    monkeypatch.setattr(caps, "MAX_XML_MB", 3)
    parsed = upload.parse_bounded(data, "groot.xlsx")
    assert parsed.problems == [] and len(parsed.frame) == 6_000


def test_the_cell_cap_counts_rows_times_columns_in_the_process_too(monkeypatch):
    """Caps lowered here hold in the parse process as well (it gets them from the app, not from the environment)."""
    monkeypatch.setattr(caps, "MAX_CELLS", 9 * 7)  # a header and 8 rows of 7 columns
    expected = ["Het bestand heeft meer dan 63 cellen (rijen maal kolommen); een export van Opvang.Vlaanderen is "
                "veel kleiner. Exporteer alleen de nodige kolommen of een kortere periode, of splits het bestand in "
                "delen."]
    csv = "\n".join([";".join(HEADER)] + [f"A{i};K{i};KO-1;Zon;01/10/2026;nieuw;02/10/2026" for i in range(9)])
    assert messages(importer.parse(csv.encode(), "x.csv")) == expected
    assert messages(importer.parse("\n".join(csv.split("\n")[:9]).encode(), "x.csv")) == []
    assert messages(upload.parse_bounded(export_xlsx(9), "x.xlsx")) == expected
    assert len(upload.parse_bounded(export_xlsx(8), "x.xlsx").frame) == 8
    assert messages(importer.parse(export_xlsx(6, columns=12), "x.xlsx")) == expected  # 7 x 12 = 84 cells


def test_the_row_cap_holds_without_a_dimension_and_with_one(monkeypatch):
    monkeypatch.setattr(caps, "MAX_ROWS", 5)
    too_big = ["Het bestand heeft meer dan 5 rijen of 100 kolommen; een export van Opvang.Vlaanderen is veel "
               "kleiner. Controleer of u het juiste bestand koos."]
    rows = b"<row>" + b"".join(cell(h) for h in HEADER) + b"</row>" + b"".join(
        b"<row>" + b"".join(cell(v) for v in (f"A{i}", f"K{i}", "KO-1", "Zon", "2026-10-01", "nieuw",
                                                "2026-10-02")) + b"</row>" for i in range(6))
    assert messages(upload.parse_bounded(sheet_file(rows), "x.xlsx")) == too_big
    five = rows[: rows.rindex(b"<row>")]
    assert len(upload.parse_bounded(sheet_file(five), "x.xlsx").frame) == 5
    claims = sheet_file(five, head=b'<dimension ref="A1:G1000000"/>')  # a million rows, it says
    assert messages(importer.parse(claims, "x.xlsx")) == too_big


def test_the_default_caps_comfortably_admit_a_whole_regions_export():
    """A region exports ~200,000 rows of 12 columns: 90 MB of sheet XML and 8 MB of strings, packed 8 to 1
    (measured on such a file written by xlsxwriter)."""
    assert caps.MAX_ROWS >= 250_000
    assert caps.MAX_CELLS >= 2 * 200_000 * 12
    assert caps.MAX_XML_MB >= 2 * 100
    assert caps.MAX_RATIO >= 5 * 8
    assert bounded.PARSE_SECONDS >= 2 * 45  # such a file took 45 s to parse on 2 busy cores
    assert bounded.MAX_MEMORY_MB >= 2 * 800  # and 0.8 GB of address space (1.1 GB at the cell cap)


def test_an_installation_sets_the_caps_in_the_environment():
    code = ("from llko.files import bounded, caps; "
            "print(caps.MAX_ROWS, caps.MAX_CELLS, caps.MAX_XML_MB, bounded.PARSE_SECONDS, "
            "bounded.MAX_MEMORY_MB)")
    env = {**os.environ, "LLKO_IMPORT_MAX_ROWS": "1000", "LLKO_IMPORT_MAX_CELLS": "20000",
           "LLKO_IMPORT_MAX_XML_MB": "7", "LLKO_IMPORT_PARSE_SECONDS": "9", "LLKO_IMPORT_MAX_MEMORY_MB": "700"}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.stdout.split() == ["1000", "20000", "7", "9", "700"], run.stderr
    env["LLKO_IMPORT_MAX_ROWS"] = "veel"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "LLKO_IMPORT_MAX_ROWS moet een positief geheel getal zijn, niet 'veel'" in run.stderr


# --- the process and its time bound --------------------------------------------------------------------------


def test_a_legal_file_parses_in_the_process_as_in_the_app():
    data = export_xlsx(300)
    in_process, direct = upload.parse_bounded(data, "x.xlsx"), importer.parse(data, "x.xlsx")
    assert in_process.problems == [] and len(in_process.frame) == 300
    assert in_process.frame.equals(direct.frame)


def test_a_parse_past_the_time_bound_is_killed_and_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(upload, "IN_PROCESS_CSV_BYTES", 0)  # this CSV, too, in a process of its own
    pid_file = tmp_path / "pid"
    monkeypatch.setattr(bounded, "PARSE_SECONDS", 2)
    monkeypatch.setattr(bounded, "WORKER", f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); "
                                          "time.sleep(60)")
    parsed, seconds = timed(upload.parse_bounded, b"aanvraag_id\nA1\n", "traag.csv")
    assert messages(parsed) == ["Het bestand kon niet binnen 2 seconden gelezen worden; een export van "
                                "Opvang.Vlaanderen gaat veel sneller. Exporteer een kortere periode of splits de "
                                "export in delen."]
    assert 2 <= seconds < 10
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left sleeping
        os.kill(int(pid_file.read_text()), 0)


def test_a_parse_process_that_dies_refuses_the_file(monkeypatch):
    monkeypatch.setattr(upload, "IN_PROCESS_CSV_BYTES", 0)  # this CSV, too, in a process of its own
    monkeypatch.setattr(bounded, "WORKER", "import sys; sys.exit(3)")
    assert messages(upload.parse_bounded(b"aanvraag_id\nA1\n", "x.csv")) == [upload.MSG_FAILED]


def test_a_small_csv_is_checked_at_once_in_the_app_and_a_larger_one_in_a_process(monkeypatch):
    """A town's CSV export is checked in the app's own process (a CSV's work grows with its bytes alone; starting a
    process that loads pandas took 1.3 s for 40 KB); a CSV past IN_PROCESS_CSV_BYTES, as a workbook, in a process."""
    data = ("\r\n".join([";".join(HEADER)] + [f"A{i};K{i};KO-1;Zonnetje;01/10/2026;nieuw;02/10/2026"
                                               for i in range(1, 4)])).encode()
    started = []
    real = bounded.run_bounded
    monkeypatch.setattr(bounded, "run_bounded", lambda *args: started.append(args[0]) or real(*args))
    parsed, seconds = timed(upload.parse_bounded, data, "klein.csv")
    assert parsed.problems == [] and len(parsed.frame) == 3 and started == [] and seconds < 0.5
    monkeypatch.setattr(upload, "IN_PROCESS_CSV_BYTES", len(data) - 1)
    parsed = upload.parse_bounded(data, "groter.csv")
    assert parsed.problems == [] and len(parsed.frame) == 3 and started == ["llko.requests.upload:parse_here"]


def test_another_sessions_page_stays_fast_while_a_bomb_is_parsed(demo_url, app_env, monkeypatch):
    """A bomb packed loosely enough to pass the zip checks (a million numbered rows) is read until the time bound
    ends it, in its own process: the app's thread that waits for it uses no CPU, and a page of another user
    renders meanwhile as fast as ever (parsed in the app's own thread, that page took 36 s instead of 2)."""
    app_env(demo_url)
    rows = b"".join(b'<row r="%d">' % (i + 1) + cell("x") + b"</row>" for i in range(1_000_000))
    heavy = sheet_file(rows, level=1)
    importer.check_workbook_size(heavy)  # passes the quick checks: only reading it would refuse it
    monkeypatch.setattr(caps, "MAX_ROWS", 10_000_000)  # only the time bound ends it, however fast the machine
    monkeypatch.setattr(bounded, "PARSE_SECONDS", 8)
    outcome = {}

    def parse_in_background():
        cpu = time.thread_time()
        outcome["parsed"] = upload.parse_bounded(heavy, "bom.xlsx")
        outcome["cpu"] = time.thread_time() - cpu

    worker = threading.Thread(target=parse_in_background)
    worker.start()
    try:
        time.sleep(1)  # the parse process is reading by now
        at, seconds = timed(page("views/cijfers.py", "beleid").run)
        assert not at.exception and at.title[0].value == "Cijfers"
        assert seconds < 5
        assert worker.is_alive()  # the page rendered while the bomb was being read
    finally:
        worker.join()
    assert messages(outcome["parsed"]) == ["Het bestand kon niet binnen 8 seconden gelezen worden; een export van "
                                           "Opvang.Vlaanderen gaat veel sneller. Exporteer een kortere periode of "
                                           "splits de export in delen."]
    assert outcome["cpu"] < 1  # the reading was done in the other process


# --- the Import page ----------------------------------------------------------------------------------------


@pytest.fixture
def coordinator(db_url, app_env):
    app_env(db_url)
    engine = make_engine(db_url)
    create_user(engine, "test", "coord", "Coördinator", "coordinator", "lang-genoeg-wachtwoord")
    st.cache_data.clear()
    yield engine
    engine.dispose()


def test_the_import_page_refuses_the_bomb_at_once_and_parses_an_upload_once(coordinator, bomb, monkeypatch):
    at = page("views/importeren.py", "coord").run()
    at.file_uploader[0].upload("bom.xlsx", bomb, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at, seconds = timed(at.run)
    assert errors(at)[0] == "bom.xlsx kan niet geïmporteerd worden: 1 probleem. Er is niets gewijzigd."
    assert errors(at)[1:] == [RATIO]
    assert seconds < 5

    calls = []
    real = upload.parse_bounded
    monkeypatch.setattr(upload, "parse_bounded", lambda data, name: calls.append(name) or real(data, name))
    monkeypatch.setattr(importer, "parse", lambda data, name: pytest.fail("parsed in the app's own thread"))
    good = export_xlsx(3)
    at.file_uploader[0].upload("goed.xlsx", good, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    assert at.success[0].value == "3 rijen zijn in orde."
    at.run()  # a rerun reads the cache
    [button] = [b for b in at.button if b.label == "Importeren"]
    button.click().run()  # the import writes what was parsed, without parsing again
    assert calls == ["goed.xlsx"]
    with coordinator.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM requests")).scalar() == 3


def test_the_readme_lists_every_limit_with_its_default():
    """A town's IT reads the limits in the README: the table there names each variable and the default in force."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `(LLKO_IMPORT_\w+)` \| (\d+) \|", readme, re.M))
    assert listed == {"LLKO_IMPORT_MAX_ROWS": "300000", "LLKO_IMPORT_MAX_CELLS": "5000000",
                      "LLKO_IMPORT_MAX_XML_MB": "300", "LLKO_IMPORT_PARSE_SECONDS": "120",
                      "LLKO_IMPORT_MAX_MEMORY_MB": "2048"}
    assert {name: str(default) for name, default in config.IMPORT_LIMITS.items()} == listed
