"""Every download button, opened and read as a Belgian Excel user would: CSV (BOM, semicolons, dd/mm/jjjj,
decimal comma, status labels as on screen, column order, formula-safe text) and XLSX (a named sheet, real
dates and numbers, the header row frozen). The expected files are written out by hand for a five-request town.
"""

import io
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest
import streamlit as st

from apptest import page
from llko.accounts import auth
from llko.reporting import export
from llko.db import make_engine
from llko.requests.importer import import_file

T = date(2026, 11, 2)
# Two providers; P1's name and K3's child id start like a formula (names and ids come from an export).
#   A1 P1 approved, answered 10/10 (deadline 15/10): in time      A2 P1 niet mogelijk, answered 20/10: late
#   A3 P1 nieuw since 10/10: deadline 24/10, 9 days late on 02/11   A6 P1 approved, answered 05/10: in time
#   (so that P1's Tekort (1) and Goedgekeurd (2) differ: a swap of those columns shows)
#   A4 P2 in behandeling, answered 27/10 (deadline 08/11): open   A5 P2 vraag ontvangen 31/10: open, deadline 13/11
# Tijdig beantwoord (90 dagen): deadlines in (04/08, 02/11]: P1 A1 A6 in time, A2 A3 late -> 2/4 = 50%; P2 none
# had to be answered yet -> blank.
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord;dagen_per_week
A1;K1;P1;=1+1 Zonnetje;01/10/2026;goedgekeurd;10/10/2026;10/10/2026;4
A2;K2;P1;=1+1 Zonnetje;01/10/2026;opvangplan niet mogelijk;20/10/2026;20/10/2026;2,5
A3;+K3;P1;=1+1 Zonnetje;10/10/2026;nieuw;10/10/2026;;
A6;K6;P1;=1+1 Zonnetje;01/10/2026;goedgekeurd;05/10/2026;05/10/2026;3
A4;K4;P2;Het Nest;25/10/2026;in behandeling;27/10/2026;27/10/2026;
A5;K5;P2;Het Nest;30/10/2026;vraag ontvangen;31/10/2026;;
"""
STAMP = f"{T:%Y%m%d}"


@pytest.fixture
def town(db_url, app_env, monkeypatch):
    app_env(db_url)
    monkeypatch.setenv("LLKO_TODAY", T.isoformat())
    engine = make_engine(db_url)
    assert import_file(engine, EXPORT.encode(), "export.csv", T, "coordinator").ok
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", "een-lang-wachtwoord")
    auth.create_user(engine, "test", "nest", "Het Nest", "provider", "een-lang-wachtwoord", ("P2",))
    auth.create_user(engine, "test", "raad", "Raad", "policy", "een-lang-wachtwoord")
    st.cache_data.clear()
    yield engine
    engine.dispose()


def csv_text(data: bytes) -> list[str]:
    """The lines of a downloaded CSV, after checking it starts with the UTF-8 BOM Excel needs for accents."""
    assert data[:3] == b"\xef\xbb\xbf"
    return data[3:].decode("utf-8").splitlines()


def xlsx_rows(data: bytes, sheet: str):
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [sheet]
    sheet_ = book[sheet]
    assert sheet_.freeze_panes == "A2"  # the header stays visible
    return sheet_, [list(row) for row in sheet_.iter_rows(values_only=True)]


PER_PROVIDER_HEADER = ("Opvang;Soort;Open;Te laat;Beantwoord;Tijdig beantwoord 90 dagen (%);Tekort (niet mogelijk);"
                       "Goedgekeurd;Elders goedgekeurd")


def test_aanvragen_per_provider_and_detail_downloads(town, downloads):
    page("views/aanvragen.py", "coord").run()
    assert downloads.names() == sorted([f"aanvragen-per-opvang-{STAMP}.csv", f"aanvragen-per-opvang-{STAMP}.xlsx",
                                        f"aanvragen-P1-{STAMP}.csv", f"aanvragen-P1-{STAMP}.xlsx"])
    assert csv_text(downloads[f"aanvragen-per-opvang-{STAMP}.csv"]) == [
        PER_PROVIDER_HEADER,
        "'=1+1 Zonnetje;;1;1;3;50;1;2;0",  # most late first
        "Het Nest;;2;0;1;;0;0;0",
    ]
    # The detail of the provider shown first (names sorted), newest first, with the statuses as on screen.
    assert csv_text(downloads[f"aanvragen-P1-{STAMP}.csv"]) == [
        "Aanvraag;Kind;Ontvangen;Antwoord uiterlijk;Status;Statusdatum;Antwoord op;Dagen te laat",
        "A3;'+K3;10/10/2026;24/10/2026;Nieuw;10/10/2026;;9",
        "A6;K6;01/10/2026;15/10/2026;Goedgekeurd;05/10/2026;05/10/2026;",
        "A2;K2;01/10/2026;15/10/2026;Opvangplan niet mogelijk;20/10/2026;20/10/2026;",
        "A1;K1;01/10/2026;15/10/2026;Goedgekeurd;10/10/2026;10/10/2026;",
    ]
    sheet, rows = xlsx_rows(downloads[f"aanvragen-P1-{STAMP}.xlsx"], "Aanvragen P1")
    assert rows[0] == ["Aanvraag", "Kind", "Ontvangen", "Antwoord uiterlijk", "Status", "Statusdatum", "Antwoord op",
                       "Dagen te laat"]
    assert rows[1] == ["A3", "+K3", datetime(2026, 10, 10), datetime(2026, 10, 24), "Nieuw", datetime(2026, 10, 10),
                       None, 9]
    assert rows[4][6] == datetime(2026, 10, 10)
    assert sheet["C2"].number_format == "dd/mm/yyyy" and sheet["B2"].data_type == "s"
    _, rows = xlsx_rows(downloads[f"aanvragen-per-opvang-{STAMP}.xlsx"], "Aanvragen per opvang")
    assert rows[1] == ["=1+1 Zonnetje", None, 1, 1, 3, 50, 1, 2, 0]  # text, not a formula; numbers as numbers


@pytest.mark.parametrize("username", ["coord", "raad"])
def test_cijfers_download_for_coordinator_and_policy_maker(town, downloads, username):
    page("views/cijfers.py", username).run()
    assert downloads.names() == [f"cijfers-per-opvang-{STAMP}.csv", f"cijfers-per-opvang-{STAMP}.xlsx"]
    assert csv_text(downloads[f"cijfers-per-opvang-{STAMP}.csv"]) == [
        "Opvang;Soort;Open;Te laat;Beantwoord;Tijdig beantwoord 90 dagen (%);Tekort (niet mogelijk);Goedgekeurd;"
        "Geannuleerd door opvang;Elders goedgekeurd",
        "'=1+1 Zonnetje;;1;1;3;50;1;2;0;0",
        "Het Nest;;2;0;1;;0;0;0;0",
    ]
    _, rows = xlsx_rows(downloads[f"cijfers-per-opvang-{STAMP}.xlsx"], "Cijfers per opvang")
    assert rows[2] == ["Het Nest", None, 2, 0, 1, None, 0, 0, 0, 0]


def test_a_providers_download_holds_only_its_own_requests(town, downloads):
    page("views/mijn_aanvragen.py", "nest").run()
    assert downloads.names() == [f"mijn-aanvragen-P2-{STAMP}.csv", f"mijn-aanvragen-P2-{STAMP}.xlsx"]
    assert csv_text(downloads[f"mijn-aanvragen-P2-{STAMP}.csv"]) == [
        "Aanvraag;Kind;Ontvangen;Antwoord uiterlijk;Status;Statusdatum;Antwoord op;Dagen te laat",
        "A5;K5;30/10/2026;13/11/2026;Vraag ontvangen;31/10/2026;;",
        "A4;K4;25/10/2026;08/11/2026;In behandeling;27/10/2026;27/10/2026;",
    ]
    _, rows = xlsx_rows(downloads[f"mijn-aanvragen-P2-{STAMP}.xlsx"], "Mijn aanvragen")
    assert [r[0] for r in rows[1:]] == ["A5", "A4"]


def test_audit_download(town, downloads):
    page("views/audit.py", "coord").run()
    lines = csv_text(downloads[f"audit-{STAMP}.csv"])
    assert lines[0] == "Wanneer;Wie;Actie;Details"
    import_line = next(line for line in lines if ";coordinator;" in line)
    when = import_line.split(";")[0]
    assert datetime.strptime(when, "%d/%m/%Y %H:%M:%S")  # local time, dd/mm/jjjj
    assert len(lines) == 1 + 4  # the import and the three accounts


def test_export_cells_by_hand():
    frame = __import__("pandas").DataFrame({
        "tekst": ["=SOM(A1)", "+32 54", "-5", "@x", "\tx", "gewoon", None],
        "getal": [2.5, 0.1, -3.0, 7, None, 1234.5, 0],
        "dag": __import__("pandas").to_datetime(["2026-01-31", None, "2026-12-01", None, None, None, "2026-02-03"]),
        "vlag": [True, False, None, True, False, True, False],
    })
    assert csv_text(export.to_csv(frame)) == [
        "tekst;getal;dag;vlag",
        "'=SOM(A1);2,5;31/01/2026;ja",
        "'+32 54;0,1;;nee",
        "'-5;-3;01/12/2026;",
        "'@x;7;;ja",
        "'\tx;;;nee",
        "gewoon;1234,5;;ja",
        ";0;03/02/2026;nee",
    ]
    sheet, rows = xlsx_rows(export.to_xlsx(frame, "Een: [rare] naam?"), "Een   rare  naam")
    assert rows[1] == ["=SOM(A1)", 2.5, datetime(2026, 1, 31), "ja"]
    assert sheet["A2"].data_type == "s"  # text, never a formula
    assert rows[2][2] is None and rows[7][1] == 0


# --- the files themselves (llko.reporting.export), by hand --------------------------------------------------------

BOM = b"\xef\xbb\xbf"


def sheet_of(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return book[book.sheetnames[0]]


def test_a_moment_keeps_its_time_in_csv_and_excel():
    """A naive timestamp with a time (an import moment) stays a moment: dd/mm/jjjj hh:mm in the CSV, a real
    date-time in Excel with that format. Midnight is a plain date. Kills _cells 11, _csv_text 9-12,
    to_xlsx 40-45 and 80-87."""
    frame = pd.DataFrame({"Wanneer": pd.to_datetime(["2026-11-02 14:05", "2026-11-03 00:00"])})
    assert export.to_csv(frame) == BOM + b"Wanneer\r\n02/11/2026 14:05\r\n03/11/2026\r\n"
    sheet = sheet_of(export.to_xlsx(frame, "Imports"))
    assert sheet["A2"].value == datetime(2026, 11, 2, 14, 5)
    assert sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A3"].value == datetime(2026, 11, 3) and sheet["A3"].number_format == "dd/mm/yyyy"


def test_no_is_nee_in_excel_too():
    """A False cell reads 'nee' in Excel, as in the CSV. Kills to_xlsx 69, 72, 73."""
    frame = pd.DataFrame({"Actief": [True, False]})
    sheet = sheet_of(export.to_xlsx(frame, "Gebruikers"))
    assert [sheet["A2"].value, sheet["A3"].value] == ["ja", "nee"]


def test_excel_header_is_bold_and_every_column_has_a_filter():
    """The header row is bold and carries the filter buttons over every column and every row.
    Kills to_xlsx 22, 23, 26, 51, 55, 158, 159, 165, 166."""
    frame = pd.DataFrame({"Aanvraag": ["A1", "A2"], "Opvang": ["P1", "P2"], "Dagen te laat": [3, 0]})
    sheet = sheet_of(export.to_xlsx(frame, "Aanvragen"))
    assert [sheet[c].font.b for c in ("A1", "B1", "C1")] == [True, True, True]
    assert not sheet["A2"].font.b
    assert sheet.auto_filter.ref == "A1:C3"


def test_an_empty_table_downloads_as_its_header():
    """No rows: the CSV still has the header line, the Excel file the header row. Kills to_csv 9-11; the exact
    bytes (Windows line ends, as Excel writes them) kill to_csv 15 and 18."""
    frame = pd.DataFrame({"Aanvraag": pd.Series([], dtype=object), "Ontvangen": pd.Series([], dtype="datetime64[ns]")})
    assert export.to_csv(frame) == BOM + b"Aanvraag;Ontvangen\r\n"
    sheet = sheet_of(export.to_xlsx(frame, "Aanvragen"))
    assert [c.value for c in sheet[1]] == ["Aanvraag", "Ontvangen"] and sheet.max_row == 1


def test_a_sheet_title_of_forbidden_characters_becomes_gegevens():
    """Excel refuses an empty sheet name: a title with only [ ] : * ? / \\ becomes 'Gegevens'.
    Kills sheet_name 3-5."""
    assert export.sheet_name("[]:*?/\\") == "Gegevens"
    assert export.sheet_name("") == "Gegevens"
    assert sheet_of(export.to_xlsx(pd.DataFrame({"a": [1]}), "??")).title == "Gegevens"


def test_numbers_in_a_mixed_column_stay_numbers_in_excel():
    """A table column that mixes numbers with a dash for 'nothing' holds numpy numbers as objects; Excel gets
    them as numbers, the dash as text. Kills _cells 16, 20-23."""
    frame = pd.DataFrame({"Dagen": pd.Series([np.int64(3), np.float64(2.5), "–"], dtype=object)})
    sheet = sheet_of(export.to_xlsx(frame, "Cijfers"))
    assert [sheet["A2"].value, sheet["A3"].value, sheet["A4"].value] == [3, 2.5, "–"]
    assert sheet["A2"].data_type == "n"
