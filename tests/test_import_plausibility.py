"""Issue 17: files that went through a spreadsheet program. Dates a person cannot have meant (after the snapshot, or
a status or answer before the request: the mark of day and month swapped) refuse the file with an explanation;
dd/mm/jj is read as 20jj; an OpenDocument spreadsheet reads like an Excel one; an old .xls gets the fix in its
message; many cells with one problem make one line; columns someone added are named, personal data explicitly.
Every expected text and row is written out by hand."""

import io
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import text

from llko.files import messages, spreadsheets
from llko.requests import importer

AS_OF = date(2026, 11, 2)
HEADER = "aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status;datum_antwoord"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def parsed(data: bytes, as_of: date | None = AS_OF) -> importer.ParsedFile:
    found = importer.parse(data, "x.csv")
    return importer.impossible_dates(found, as_of) if as_of else found


# --- the plausibility rules at their boundaries -------------------------------------------------------------------

def test_a_status_date_on_the_as_of_date_is_fine_one_day_later_is_not():
    assert parsed(csv("A1;K1;P1;01/10/2026;in behandeling;02/11/2026;02/11/2026")).problems == []
    refused = parsed(csv("A1;K1;P1;01/10/2026;in behandeling;03/11/2026;02/11/2026"))
    assert [p.message for p in refused.problems[1:]] == [
        "Rij 2, kolom datum_status: '03/11/2026' is ongeldig — verwacht een datum op of vóór de momentopname "
        "(02/11/2026)."]
    assert refused.problems[0].message.startswith("1 rij heeft een onmogelijke datum (rij 2): een datum na de "
                                                  "momentopname van 02/11/2026, een status- of antwoorddatum vóór")


def test_a_request_or_answer_after_the_as_of_date_is_refused_too():
    refused = parsed(csv("A1;K1;P1;03/11/2026;nieuw;03/11/2026;", "A2;K2;P1;01/10/2026;goedgekeurd;01/11/2026;"
                         "03/11/2026"))
    assert [(p.row, p.column) for p in refused.problems[1:]] == [(2, "datum_aanvraag"), (2, "datum_status"),
                                                                 (3, "datum_antwoord")]
    assert refused.problems[0].message.startswith("2 rijen hebben een onmogelijke datum (rijen 2 en 3)")


def test_a_status_or_answer_on_the_request_day_is_fine_one_day_before_is_not():
    assert parsed(csv("A1;K1;P1;01/10/2026;goedgekeurd;01/10/2026;01/10/2026")).problems == []
    refused = parsed(csv("A1;K1;P1;01/10/2026;goedgekeurd;30/09/2026;30/09/2026"), as_of=None)
    assert [p.message for p in refused.problems[1:]] == [
        "Rij 2, kolom datum_status: '30/09/2026' is ongeldig — verwacht een datum op of na de datum_aanvraag "
        "(01/10/2026).",
        "Rij 2, kolom datum_antwoord: '30/09/2026' is ongeldig — verwacht een datum op of na de datum_aanvraag "
        "(01/10/2026)."]
    explanation = refused.problems[0].message
    assert "dag en maand omwisselt" in explanation and "Nederlands (België)" in explanation
    assert "momentopname van" not in explanation  # no as-of date known yet


def test_an_impossible_date_refuses_the_import_and_writes_nothing(engine):
    result = importer.import_file(engine, csv("A1;K1;P1;01/10/2026;nieuw;05/11/2026;"), "x.csv", AS_OF, "test")
    assert not result.ok
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM requests")).scalar_one() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM import_runs")).scalar_one() == 0


# --- dates as spreadsheets write them ------------------------------------------------------------------------------

def test_two_digit_years_are_read_as_20jj():
    found = parsed(csv("A1;K1;P1;25/09/26;in behandeling;1/10/26;01/10/2026"))
    assert found.problems == []
    row = found.frame.iloc[0]
    assert (row["datum_aanvraag"], row["datum_status"], row["datum_antwoord"]) == (
        date(2026, 9, 25), date(2026, 10, 1), date(2026, 10, 1))


def xlsx(rows: list[list], number_format: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("number_format", ["DD/MM/YYYY", "MM/DD/YY", "D MMMM YYYY", "YYYY-MM-DD", "General"])
def test_real_date_cells_are_read_whatever_their_display_format(number_format):
    data = xlsx([HEADER.split(";"), ["A1", "K1", "P1", datetime(2026, 9, 5), "nieuw", datetime(2026, 9, 5), None]],
                number_format)
    found = importer.parse(data, "x.xlsx")
    if number_format == "General":  # a date cell shown as a number is a number, not a date: refused, not guessed
        assert [(p.row, p.column) for p in found.problems] == [(2, "datum_aanvraag"), (2, "datum_status")]
    else:
        assert found.problems == []
        assert found.frame.iloc[0]["datum_aanvraag"] == date(2026, 9, 5)


# --- ODS and .xls -----------------------------------------------------------------------------------------------------

def ods(rows: list[list]) -> bytes:
    out = io.BytesIO()
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(out, engine="odf", index=False)
    return out.getvalue()


def test_an_ods_reads_like_an_xlsx_with_the_same_strictness():
    rows = [HEADER.split(";"), ["A1", "K1", "P1", "25/09/2026", "nieuw", datetime(2026, 9, 25), None],
            ["A2", "K2", "P1", "25/09/26", "in behandeling", datetime(2026, 10, 1), "01/10/2026"]]
    data = ods(rows)
    assert spreadsheets.kind_of(data) == spreadsheets.ODS
    found = importer.parse(data, "export.ods")
    assert found.problems == []
    assert found.frame["datum_aanvraag"].tolist() == [date(2026, 9, 25), date(2026, 9, 25)]
    bad = importer.parse(ods([*rows, ["A3", "K3", "P1", "31/09/2026", "wachtlijst", datetime(2026, 10, 1), None]]),
                         "e.ods")
    assert [(p.row, p.column, p.value) for p in bad.problems] == [(4, "datum_aanvraag", "31/09/2026"),
                                                                  (4, "status", "wachtlijst")]


def test_an_old_xls_is_refused_with_the_fix():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    found = importer.parse(data, "export.xls")
    assert [p.message for p in found.problems] == [
        "Dit is een Excel 97-2003-bestand (.xls), een ouder formaat dat de import niet leest. Open het in Excel of "
        "LibreOffice en bewaar het als Excel-werkmap (.xlsx), als OpenDocument-rekenblad (.ods) of als CSV, en kies "
        "dan dat bestand."]


# --- messages a person reads ----------------------------------------------------------------------------------------

def test_twenty_cells_with_one_problem_are_listed_twenty_one_make_one_line():
    rows = [f"A{i};K{i};P1;25-09-2026;nieuw;01/10/2026;" for i in range(1, 22)]
    twenty = parsed(csv(*rows[:20]), as_of=None)
    assert len(twenty.summary) == 20 and twenty.summary[0].startswith("Rij 2, kolom datum_aanvraag:")
    many = parsed(csv(*rows), as_of=None)
    assert many.summary == [
        "Kolom datum_aanvraag: 21 cellen met hetzelfde probleem (rijen 2, 3, 4, 5, 6 en nog 16 andere), bv. "
        "'25-09-2026' — verwacht een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd."]
    assert len(many.problems) == 21  # the full list stays, for the table to download


def test_swapped_dates_make_one_explanation_and_a_line_per_column():
    # 25 requests received on 09/05 whose status date 03/05 (was 05/03 swapped... as a US spreadsheet writes it)
    rows = [f"A{i};K{i};P1;09/05/2026;in behandeling;03/05/2026;" for i in range(1, 26)]
    lines = parsed(csv(*rows)).summary
    assert lines[0].startswith("25 rijen hebben een onmogelijke datum (rijen 2, 3, 4, 5, 6 en nog 20 andere)")
    assert lines[1:] == ["Kolom datum_status: 25 cellen met hetzelfde probleem (rijen 2, 3, 4, 5, 6 en nog 20 andere), "
                         "bv. '03/05/2026' — verwacht een datum op of na de datum_aanvraag."]


def test_columns_someone_added_are_skipped_and_personal_data_named():
    header = HEADER + ";Naam kind;Opmerking;Rijksregisternummer;GSM ouder;Adres;E-mail"
    found = parsed(csv("A1;K1;P1;01/10/2026;nieuw;01/10/2026;;Jan;bellen;00.01.01-123.45;0470;Straat 1;a@b.be",
                       header=header))
    assert found.problems == []
    assert found.notices == [
        "Kolom ‘Naam kind’ niet bewaard: ze lijkt een naam van een kind of ouder te bevatten, en het dashboard bewaart "
        "alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand.",
        "Kolom ‘Rijksregisternummer’ niet bewaard: ze lijkt een rijksregisternummer van een kind of ouder te bevatten, "
        "en het dashboard bewaart alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand.",
        "Kolom ‘GSM ouder’ niet bewaard: ze lijkt een telefoonnummer van een kind of ouder te bevatten, en het "
        "dashboard bewaart alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand.",
        "Kolom ‘Adres’ niet bewaard: ze lijkt een adres van een kind of ouder te bevatten, en het dashboard bewaart "
        "alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand.",
        "Kolom ‘E-mail’ niet bewaard: ze lijkt een e-mailadres van een kind of ouder te bevatten, en het dashboard "
        "bewaart alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand.",
        "Kolom ‘Opmerking’ niet bewaard: de import kent die niet.",
    ]
    assert set(found.frame.columns) == set(importer.COLUMNS)  # nothing of them is kept


def test_a_provider_name_column_is_no_personal_data():
    assert messages.personal_kind("opvang_naam") == "een naam"  # the pattern alone would say so ...
    header = HEADER + ";Naam opvang"
    assert parsed(csv("A1;K1;P1;01/10/2026;nieuw;01/10/2026;;Het Zonnetje", header=header)).notices == []  # ... known


def test_checking_twice_against_the_as_of_date_says_each_problem_once():
    once = parsed(csv("A1;K1;P1;01/10/2026;in behandeling;05/11/2026;30/09/2026"))
    twice = importer.impossible_dates(once, AS_OF)
    assert [p.message for p in twice.problems] == [p.message for p in once.problems]
    assert [(p.row, p.column) for p in once.problems[1:]] == [(2, "datum_status"), (2, "datum_antwoord")]


def test_real_date_cells_among_text_dates_a_month_first_reader_left_alone_are_suspect():
    # As an English spreadsheet leaves it: 05/09/2026 became a date cell (9 May), 25/09/2026 stayed text.
    rows = [HEADER.split(";"), ["A1", "K1", "P1", datetime(2026, 5, 9), "nieuw", "25/09/2026", None],
            ["A2", "K2", "P1", "25/09/2026", "nieuw", "25/09/2026", None]]
    found = importer.parse(ods(rows), "x.ods")
    assert [(p.row, p.column, p.value) for p in found.problems[1:]] == [(2, "datum_aanvraag", "2026-05-09")]
    assert found.problems[1].message == (
        "Rij 2, kolom datum_aanvraag: '2026-05-09' is ongeldig — verwacht een datum zoals de rest van de kolom: deze "
        "kolom mengt echte datumcellen met tekstdatums met een dag na de 12de, het teken van een rekenblad dat dag en "
        "maand omwisselde.")
    # date cells beside text dates with a day up to 12 only, or beside no text at all: nothing to suspect
    rows[2][3] = "12/09/2026"
    assert importer.parse(ods(rows), "x.ods").problems == []


def test_in_a_csv_iso_and_dd_mm_text_dates_may_mix():
    # DESIGN.md: dates as dd/mm/jjjj, dd/mm/jj or jjjj-mm-dd; a CSV holds text only, so no date cell to suspect
    found = parsed(csv("A1;K1;P1;2026-09-02;nieuw;2026-09-03;", "A2;K2;P1;13/09/2026;nieuw;25/09/2026;"))
    assert found.problems == []
    assert found.frame["datum_aanvraag"].tolist() == [date(2026, 9, 2), date(2026, 9, 13)]
