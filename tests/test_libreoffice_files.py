"""Files written by a real LibreOffice 7.4 (tests/fixtures/libreoffice, made by scripts/libreoffice_fixtures.py; its
MANIFEST.md says how and what each holds): the export and the register workbook opened and saved in a Dutch (nl-BE)
and an English (en-US) LibreOffice, as XLSX, ODS and CSV. Each imports exactly like the source or is refused with
the explanation of the swap; the rows with an impossible date are those MANIFEST.md lists, found by hand."""

from datetime import date

import pytest
from sqlalchemy import text

from conftest import ROOT
from llko.registers import workbook
from llko.requests import importer

FIXTURES = ROOT / "tests" / "fixtures" / "libreoffice"
AS_OF = date(2026, 11, 2)
# en-US, CSV opened with "detect special numbers" (MANIFEST.md): 29 rows got a swapped date (a real date cell; the
# dates with a day > 12 stayed text dd/mm/jjjj). 13 of them are impossible (after 02/11/2026 in rows 5, 18, 20, 22,
# 34, 36, 39; before the request in 4, 8, 9, 10, 31, 36, 37); all 29 hold a date cell among text dates, and so does
# row 11 (its datum_antwoord 11/11: day = month, a swap that changes nothing but shows the same way).
SWAPPED_ROWS = {2, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18, 20, 21, 22, 24, 26, 29, 31, 32, 34, 35, 36, 37, 38,
                39, 40}
SUSPECT_ROWS = SWAPPED_ROWS | {11}
EXACT = [
    "export-nl-BE-from-csv.xlsx", "export-nl-BE-from-csv.ods", "export-nl-BE-from-csv.csv",
    "export-nl-BE-from-csv-cp1252.xlsx", "export-nl-BE-from-csv-cp1252.ods", "export-nl-BE-from-csv-cp1252.csv",
    "export-nl-BE-from-csv-nodetect.xlsx", "export-en-US-from-csv-nodetect.xlsx",
    "export-nl-BE-from-xlsx.xlsx", "export-nl-BE-from-xlsx.ods", "export-nl-BE-from-xlsx.csv",
    "export-en-US-from-xlsx.xlsx", "export-en-US-from-xlsx.ods", "export-en-US-from-xlsx.csv",
    "export-en-US-from-csv.csv", "export-en-US-from-csv-cp1252.csv",  # mm/dd/yy written back: the swaps cancel out
    "export-source-cp1252.csv", "export-source.xlsx",
]
SWAPPED = ["export-en-US-from-csv.xlsx", "export-en-US-from-csv.ods", "export-en-US-from-csv-cp1252.xlsx",
           "export-en-US-from-csv-cp1252.ods"]


def checked(name: str) -> importer.ParsedFile:
    return importer.impossible_dates(importer.parse((FIXTURES / name).read_bytes(), name), AS_OF)


def records(found: importer.ParsedFile) -> list[dict]:
    return found.frame.reset_index().to_dict("records")


@pytest.fixture(scope="module")
def source() -> list[dict]:
    found = checked("export-source.csv")
    assert found.problems == [] and len(found.frame) == 40
    return records(found)


@pytest.mark.parametrize("name", EXACT)
def test_a_file_saved_by_libreoffice_imports_exactly_like_the_source(name, source):
    found = checked(name)
    assert found.problems == [], found.summary
    assert records(found) == source


@pytest.mark.parametrize("name", SWAPPED)
def test_swapped_dates_refuse_the_file_with_a_short_explanation(name):
    found = checked(name)
    assert {p.row for p in found.problems if p.row is not None} == SUSPECT_ROWS
    lines = found.summary
    assert lines[0].startswith("30 rijen hebben een onmogelijke datum (rijen 2, 4, 5, 6, 7 en nog 25 andere): een "
                               "datum na de momentopname van 02/11/2026, een status- of antwoorddatum vóór de "
                               "aanvraag, of een echte datumcel in een kolom met tekstdatums die geen rekenblad als "
                               "datum las. Waarschijnlijk werd het bestand geopend en opgeslagen in een rekenblad in "
                               "een andere taal (bv. Engels), dat bij elke datum met een dag tot 12 dag en maand "
                               "omwisselt.")
    # 61 date cells among text dates: one line per date column, not 61
    mixed = [line for line in lines if "mengt echte datumcellen" in line]
    assert [line.split(":")[0] for line in mixed] == ["Kolom datum_aanvraag", "Kolom gewenste_startdatum",
                                                      "Kolom datum_status", "Kolom datum_antwoord"]
    assert mixed[0].startswith("Kolom datum_aanvraag: 17 cellen met hetzelfde probleem (rijen 2, 5, 6, 7, 10 en nog "
                               "12 andere)")
    assert len(lines) < 30


def test_a_refused_libreoffice_file_changes_nothing(engine):
    name = "export-en-US-from-csv.xlsx"
    result = importer.import_file(engine, (FIXTURES / name).read_bytes(), name, AS_OF, "test")
    assert not result.ok
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM requests")).scalar_one() == 0
    good = "export-nl-BE-from-csv.ods"
    assert importer.import_file(engine, (FIXTURES / good).read_bytes(), good, AS_OF, "test").rows_new == 40


def test_the_xls_libreoffice_writes_is_refused_with_the_fix():
    found = importer.parse((FIXTURES / "export-source.xls").read_bytes(), "export-source.xls")
    assert [p.message for p in found.problems] == [
        "Dit is een Excel 97-2003-bestand (.xls), een ouder formaat dat de import niet leest. Open het in Excel of "
        "LibreOffice en bewaar het als Excel-werkmap (.xlsx), als OpenDocument-rekenblad (.ods) of als CSV, en kies "
        "dan dat bestand."]


def register_rows(files: list[tuple[str, bytes]]) -> dict:
    typed, result = workbook.parse(files, set())
    assert result.ok, result.problems
    return {name: [row.values for row in rows] for name, rows in typed.items()}


@pytest.mark.parametrize("locale", ["nl-BE", "en-US"])
def test_the_register_workbook_survives_libreoffice_in_both_locales(locale):
    source = register_rows([("register-source.xlsx", (FIXTURES / "register-source.xlsx").read_bytes())])
    assert source["vrije_plaatsen"] and source["opvang"]
    for suffix in ("xlsx", "ods"):
        name = f"register-{locale}-from-xlsx.{suffix}"
        assert register_rows([(name, (FIXTURES / name).read_bytes())]) == source, name
    per_sheet = [(f"{sheet}.csv", (FIXTURES / f"register-{locale}-from-xlsx-{sheet}.csv").read_bytes())
                 for sheet in ("opvang", "vrije_plaatsen")]
    assert register_rows(per_sheet) == source
