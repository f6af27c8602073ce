"""The register workbook (DESIGN.md "The register workbook") and the vacancies contract, with a small town
written out by hand: every sheet, every kind of bad cell, all or nothing, idempotence and the round trip."""

import io
import json
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import text

from conftest import ROOT
from llko.registers import export
from llko.registers.workbook import import_register
from llko.requests.importer import import_file

T = date(2026, 11, 2)
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status
A1;K1;P1;Zonnetje;01/10/2026;nieuw;01/10/2026
"""
# P1 is known from an export; P2 and P3 come from the opvang sheet.
OPVANG = [["Opvang ID", "Naam", "Soort", "Subsidietrap", "Vergunde plaatsen", "Adres", "Deelgemeente", "Email",
           "Telefoon", "Contactpersoon", "Notities"],
          ["P1", "Het Zonnetje", "Groepsopvang", "2a", 18, "Markt 1", "Ninove", "zon@x.be", "054 11 22 33", "Ann", "x"],
          ["P2", "Het Nest", "gezinsopvang", 3, "4", "", "Okegem", "", "", "", ""],
          ["P3", "De Kapoen", "", "", "", "", "", "", "", "", ""]]
VRIJE_PLAATSEN = [["opvang_id", "vanaf", "gemeld_op", "tot", "dagen", "dagdeel", "plaatsen", "leeftijd", "soort",
                   "bevestigd_op", "afgesloten_op", "reden", "opmerking"],
                  ["P1", datetime(2026, 11, 1), "20/10/2026", "", "Ma, di ,WO", "", 2, "Baby", "", "", "", "", "na verhuis"],
                  ["P2", "2026-10-01", "01/10/26", "31/10/2026", "vr", "voormiddag", "1", "", "tijdelijk",
                   "15/10/2026", "", "", ""],
                  ["P1", "03/11/2026", "03/11/2026", "", "ma,di,wo,do,vr", "dag", 3, "alle", "vast", "", "02/11/2026",
                   "Ingevuld", ""]]
INFOPAGINA = [["opvang_id", "datum_controle", "bron", "openingsuren", "openingsdagen", "contact", "foto_logo",
               "tarief", "door"],
              ["P1", "01/09/2026", "loket", "ja", "J", 1, "nee", "n", "An"],
              ["P1", "15/10/2026", "Opvang", "ja", "ja", "ja", "ja", "ja", ""]]
OVEREENKOMST = [["opvang_id", "ondertekend_op", "ondertekenaar", "functie"],
                ["P1", "05/01/2026", "Ann Peeters", "verantwoordelijke"]]
LOK = [["datum", "onderwerp", "aanwezig"],
       ["12/03/2026", "Evaluatie procedure", "P2, P1"],
       ["10/10/2026", "Vrije plaatsen", ""]]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        page = book.create_sheet(name)
        for row in rows:
            page.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BEVOLKING = [["Deelgemeente", "Jaar", "Kinderen onder 3"], ["Okegem", 2026, 160], [" Ninove ", "2025", "900"]]
FULL = {"Opvang": OPVANG, "Vrije plaatsen": VRIJE_PLAATSEN, "infopagina": INFOPAGINA, "OVEREENKOMST": OVEREENKOMST,
        "lok": LOK, "Bevolking": BEVOLKING}


@pytest.fixture
def town(engine):
    assert import_file(engine, EXPORT.encode(), "e.csv", T, "test").ok
    return engine


def plain(value):
    """The same on SQLite and PostgreSQL: dates as jjjj-mm-dd, yes/no as 1/0."""
    if isinstance(value, date):
        return value.isoformat()
    return int(value) if isinstance(value, bool) else value


def rows(engine, sql):
    with engine.connect() as conn:
        return [tuple(plain(v) for v in r) for r in conn.execute(text(sql))]


def counts(engine) -> dict:
    tables = ("providers", "vacancies", "vacancy_history", "infopagina_checks", "agreements", "lok_meetings",
              "lok_attendance")
    return {t: rows(engine, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def test_a_full_workbook_fills_every_register(town):
    result = import_register(town, [("register.xlsx", xlsx(FULL))], "coord")
    assert result.ok, result.problems
    assert result.counts == {"opvang": {"new": 2, "updated": 1, "unchanged": 0},
                             "vrije_plaatsen": {"new": 3, "updated": 0, "unchanged": 0},
                             "infopagina": {"new": 2, "updated": 0, "unchanged": 0},
                             "overeenkomst": {"new": 1, "updated": 0, "unchanged": 0},
                             "lok": {"new": 2, "updated": 0, "unchanged": 0},
                             "bevolking": {"new": 2, "updated": 0, "unchanged": 0}}
    assert result.notices == ["Blad opvang: onbekende kolom(men) overgeslagen: notities."]
    assert rows(town, "SELECT id, name, kind, subsidy_level, licensed_places, address, district, email, phone, "
                      "contact_person FROM providers ORDER BY id") == [
        ("P1", "Het Zonnetje", "groepsopvang", "2A", 18, "Markt 1", "Ninove", "zon@x.be", "054 11 22 33", "Ann"),
        ("P2", "Het Nest", "gezinsopvang", "3", 4, None, "Okegem", None, None, None),
        ("P3", "De Kapoen", None, None, None, None, None, None, None, None)]
    assert rows(town, "SELECT checked_on, source, openingsuren, openingsdagen, contact, foto_logo, tarief, checked_by "
                      "FROM infopagina_checks ORDER BY checked_on") == [
        ("2026-09-01", "loket", 1, 1, 1, 0, 0, "An"), ("2026-10-15", "opvang", 1, 1, 1, 1, 1, "")]
    assert rows(town, "SELECT count(*) FROM lok_attendance") == [(2,)]


def test_the_vacancies_contract_by_hand(town):
    assert import_register(town, [("register.xlsx", xlsx(FULL))], "coord").ok
    from llko.vacancies.queries import contract

    # On 02/11: P1's baby place (from 01/11) is active; P1's 03/11 place was closed on 02/11 and starts later
    # anyway; P2's place ended on 31/10.
    assert contract(town, date(2026, 11, 2)) == {
        "as_of": "2026-11-02", "places": {"P1": 2, "P2": 0, "P3": 0},
        "active": [{"opvang_id": "P1", "vanaf": "2026-11-01", "gemeld_op": "2026-10-20", "tot": None,
                    "dagen": ["ma", "di", "wo"], "dagdeel": "dag", "plaatsen": 2, "leeftijd": "baby", "soort": "vast",
                    "bevestigd_op": "2026-10-20", "afgesloten_op": None, "reden": None, "opmerking": "na verhuis"}]}
    # On 31/10: P2's temporary place is active on its last day (tot), P1's baby place not yet.
    on_31 = contract(town, date(2026, 10, 31))
    assert on_31["places"] == {"P1": 0, "P2": 1, "P3": 0}
    assert on_31["active"][0]["bevestigd_op"] == "2026-10-15" and on_31["active"][0]["gemeld_op"] == "2026-10-01"


def test_the_vacancies_command_prints_the_contract(town, db_url, monkeypatch):
    assert import_register(town, [("register.xlsx", xlsx(FULL))], "coord").ok
    out = subprocess.run([sys.executable, "-m", "llko", "vacancies", "--as-of", "2026-10-31", "--json"], cwd=ROOT,
                         capture_output=True, text=True, env={**__import__("os").environ, "LLKO_DATABASE_URL": db_url})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["places"] == {"P1": 0, "P2": 1, "P3": 0}


def test_the_same_workbook_twice_changes_nothing(town):
    assert import_register(town, [("register.xlsx", xlsx(FULL))], "coord").ok
    before = counts(town)
    again = import_register(town, [("register.xlsx", xlsx(FULL))], "coord")
    assert again.ok
    assert all(n["new"] == 0 and n["updated"] == 0 for n in again.counts.values()), again.counts
    assert counts(town) == before


@pytest.mark.parametrize("sheet, row, column, value, message", [
    ("Vrije plaatsen", 1, 4, "ma,xx", "Blad vrije_plaatsen, rij 2, kolom dagen: 'ma,xx' is ongeldig; verwacht: "
                                      "weekdagen uit ma,di,wo,do,vr,za,zo, gescheiden door komma's."),
    ("Vrije plaatsen", 1, 6, 0, "Blad vrije_plaatsen, rij 2, kolom plaatsen: '0' is ongeldig; verwacht: een geheel "
                                "getal van minstens 1."),
    ("Vrije plaatsen", 1, 6, "1,5", "Blad vrije_plaatsen, rij 2, kolom plaatsen: '1,5' is ongeldig; verwacht: een "
                                    "geheel getal van minstens 1."),
    ("Vrije plaatsen", 1, 3, "31/10/2026", "Blad vrije_plaatsen, rij 2, kolom tot: 31/10/2026 ligt vóór vanaf "
                                           "(01/11/2026)."),
    ("Vrije plaatsen", 1, 11, "ingevuld", "Blad vrije_plaatsen, rij 2, kolom reden: een reden hoort bij een datum in "
                                          "afgesloten_op."),
    ("Vrije plaatsen", 3, 11, "", "Blad vrije_plaatsen, rij 4, kolom reden: geef een reden (ingevuld of ingetrokken) "
                                  "bij afgesloten_op."),
    ("Vrije plaatsen", 1, 7, "kleuter", "Blad vrije_plaatsen, rij 2, kolom leeftijd: 'kleuter' is ongeldig; verwacht: "
                                        "één van baby, peuter, alle."),
    ("Vrije plaatsen", 1, 1, "31/02/2026", "Blad vrije_plaatsen, rij 2, kolom vanaf: '31/02/2026' is ongeldig; "
                                           "verwacht: een datum als dd/mm/jjjj."),
    ("Vrije plaatsen", 1, 0, "P9", "Blad vrije_plaatsen, rij 2, kolom opvang_id: onbekende opvang P9; voeg ze toe in "
                                   "het blad opvang of importeer eerst een export waarin ze voorkomt."),
    ("Vrije plaatsen", 1, 4, "", "Blad vrije_plaatsen, rij 2, kolom dagen: leeg, maar verplicht."),
    # the opvang sheet is judged by the Opvang page's own rules, in the page's words
    ("Opvang", 2, 3, "4", "Blad opvang, rij 3, kolom subsidietrap: Subsidietrap: kies 0, 1, 2A, 2B of 3, of laat het "
                          "veld leeg (niet '4')."),
    ("Opvang", 2, 4, -1, "Blad opvang, rij 3, kolom vergunde_plaatsen: Vergunde plaatsen: een geheel getal van "
                         "minstens 0 (niet '-1')."),
    ("infopagina", 1, 3, "misschien", "Blad infopagina, rij 2, kolom openingsuren: 'misschien' is ongeldig; verwacht: "
                                      "ja of nee (ook j/n of 1/0)."),
    ("infopagina", 1, 2, "ouder", "Blad infopagina, rij 2, kolom bron: 'ouder' is ongeldig; verwacht: één van loket, "
                                  "opvang."),
    ("lok", 1, 2, "P1,P8", "Blad lok, rij 2, kolom aanwezig: onbekende opvang P8; voeg ze toe in het blad opvang of "
                           "importeer eerst een export waarin ze voorkomt."),
])
def test_a_bad_cell_refuses_the_whole_workbook_with_its_place(town, sheet, row, column, value, message):
    sheets = {name: [list(r) for r in content] for name, content in FULL.items()}
    sheets[sheet][row][column] = value
    before = counts(town)
    result = import_register(town, [("register.xlsx", xlsx(sheets))], "coord")
    assert result.problems == [message]
    assert counts(town) == before  # nothing written, not even the good sheets


def test_the_same_key_twice_refuses_the_file(town):
    sheets = dict(FULL, **{"Vrije plaatsen": VRIJE_PLAATSEN + [VRIJE_PLAATSEN[1][:3] + ["", "vr", "", 1]]})
    result = import_register(town, [("register.xlsx", xlsx(sheets))], "coord")
    assert result.problems == ["Blad vrije_plaatsen, rij 5: dezelfde sleutel (P1, 01/11/2026, 20/10/2026) als rij 2."]


def test_a_missing_required_column_and_an_empty_workbook_are_refused(town):
    result = import_register(town, [("r.xlsx", xlsx({"overeenkomst": [["opvang_id", "ondertekenaar"], ["P1", "x"]]}))],
                             "coord")
    assert result.problems == ["Blad overeenkomst: de verplichte kolom(men) ondertekend_op ontbreken."]
    result = import_register(town, [("r.xlsx", xlsx({"lok": [["datum"]], "Blad1": [["x"], ["y"]]}))], "coord")
    assert result.problems == ["De werkmap bevat geen gegevens: geen enkel registerblad heeft een ingevulde rij "
                               "(bladen: opvang, vrije_plaatsen, infopagina, overeenkomst, lok, bevolking)."]
    assert result.notices == ["Blad 'Blad1' is geen registerblad en werd overgeslagen (verwacht: opvang, "
                              "vrije_plaatsen, infopagina, overeenkomst, lok, bevolking)."]


def test_a_csv_per_sheet_in_either_date_style(town):
    csv_text = ("opvang_id;vanaf;gemeld_op;dagen;plaatsen\r\n"
                "P1;01/12/26;2026-11-20;\"Wo, vr\";1\r\n").encode("cp1252")
    result = import_register(town, [("Vrije plaatsen.csv", csv_text)], "coord")
    assert result.ok, result.problems
    assert rows(town, "SELECT start_date, reported_on, confirmed_on, weekdays, day_part, age_group, kind, remark "
                      "FROM vacancies") == [
        ("2026-12-01", "2026-11-20", "2026-11-20", "wo,vr", "dag", "alle", "vast", "")]


def test_an_update_changes_only_the_columns_the_sheet_has(town):
    assert import_register(town, [("register.xlsx", xlsx(FULL))], "coord").ok
    update = {"opvang": [["opvang_id", "naam", "telefoon"], ["P1", "Het Zonnetje vzw", ""]],
              "vrije_plaatsen": [["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen", "dagdeel", "bevestigd_op"],
                                 ["P2", "01/10/2026", "01/10/2026", "vr", 1, "", ""]]}
    result = import_register(town, [("update.xlsx", xlsx(update))], "coord")
    assert result.counts == {"opvang": {"new": 0, "updated": 1, "unchanged": 0},
                             "vrije_plaatsen": {"new": 0, "updated": 1, "unchanged": 0}}
    # name changed, phone cleared (blank cell), the rest left alone
    assert rows(town, "SELECT name, phone, address, subsidy_level FROM providers WHERE id = 'P1'") == [
        ("Het Zonnetje vzw", None, "Markt 1", "2A")]
    # blank dagdeel and bevestigd_op take their defaults (dag, gemeld_op); tot and soort, not in the sheet, stay
    assert rows(town, "SELECT day_part, confirmed_on, end_date, kind FROM vacancies WHERE provider_id = 'P2'") == [
        ("dag", "2026-10-01", "2026-10-31", "tijdelijk")]
    assert rows(town, "SELECT action FROM vacancy_history h JOIN vacancies v ON v.id = h.vacancy_id "
                      "WHERE v.provider_id = 'P2' ORDER BY h.id") == [("imported",), ("imported",)]


def test_what_the_registers_export_imports_back_unchanged(town):
    assert import_register(town, [("register.xlsx", xlsx(FULL))], "coord").ok
    before = counts(town)
    data = export.workbook(town)
    again = import_register(town, [("registers.xlsx", data)], "coord")
    assert again.ok, again.problems
    assert all(n["new"] == 0 and n["updated"] == 0 for n in again.counts.values()), again.counts
    assert counts(town) == before
    sheets = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert sheets == ["opvang", "vrije_plaatsen", "infopagina", "overeenkomst", "lok", "bevolking"]


def test_the_template_has_every_sheet_and_column_and_no_data(town):
    book = openpyxl.load_workbook(io.BytesIO(export.template()))
    assert [c.value for c in book["vrije_plaatsen"][1]] == [
        "opvang_id", "vanaf", "gemeld_op", "tot", "dagen", "dagdeel", "plaatsen", "leeftijd", "soort", "bevestigd_op",
        "afgesloten_op", "reden", "opmerking"]
    assert all(book[name].max_row == 1 for name in book.sheetnames)
    result = import_register(town, [("leeg.xlsx", export.template())], "coord")
    assert not result.ok and result.problems[0].startswith("De werkmap bevat geen gegevens")


def test_the_import_page_reads_a_workbook_and_refuses_a_bad_one_whole(town, db_url, app_env):
    from apptest import errors, page, table
    from llko.accounts import auth

    app_env(db_url)
    auth.create_user(town, "test", "coord", "Coord", "coordinator", "een-lang-wachtwoord")
    bad = {name: [list(r) for r in content] for name, content in FULL.items()}
    bad["lok"][1][2] = "P1,P8"
    before = counts(town)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at = page("views/importeren.py", "coord").run()
    at.file_uploader(key="register_upload_0").upload("registers.xlsx", xlsx(bad), mime).run()
    at.button(key="do_register_import").click().run()
    assert errors(at) == ["De registers zijn niet ingelezen: 1 probleem. Er is niets gewijzigd."]
    assert table(at, "Melding")["Melding"].tolist() == [
        "Blad lok, rij 2, kolom aanwezig: onbekende opvang P8; voeg ze toe in het blad opvang of importeer eerst een "
        "export waarin ze voorkomt."]
    assert counts(town) == before
    at = page("views/importeren.py", "coord").run()
    at.file_uploader(key="register_upload_0").upload("registers.xlsx", xlsx(FULL), mime).run()
    at.button(key="do_register_import").click().run()
    assert at.success[0].value == (
        "Registers ingelezen: opvang: 2 nieuw, 1 gewijzigd, 0 ongewijzigd; vrije plaatsen: 3 nieuw, 0 gewijzigd, "
        "0 ongewijzigd; infopagina: 2 nieuw, 0 gewijzigd, 0 ongewijzigd; overeenkomst: 1 nieuw, 0 gewijzigd, "
        "0 ongewijzigd; lok: 2 nieuw, 0 gewijzigd, 0 ongewijzigd; bevolking: 2 nieuw, 0 gewijzigd, 0 ongewijzigd. "
        "Blad opvang: onbekende kolom(men) overgeslagen: "
        "notities.")
    assert counts(town)["vacancies"] == 3


def test_a_confirmation_before_the_report_is_refused_with_the_swap_hint(engine):
    from llko.registers.workbook import import_register as run

    book = xlsx({"opvang": [["opvang_id", "naam"], ["P1", "Het Zonnetje"]],
                 "vrije_plaatsen": [["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen", "bevestigd_op"],
                                    ["P1", "01/10/2026", "09/05/2026", "ma", 1, "09/05/2026"],  # the same day: fine
                                    ["P1", "01/11/2026", "09/05/2026", "ma", 1, "05/09/2026"],  # 5 Sept: fine
                                    ["P1", "01/12/2026", "10/05/2026", "ma", 1, "09/05/2026"]]})  # the day before
    result = run(engine, [("r.xlsx", book)], "test")
    assert result.problems == [
        "Blad vrije_plaatsen, rij 4, kolom bevestigd_op: 09/05/2026 ligt vóór gemeld_op (10/05/2026): een plaats "
        "wordt pas bevestigd nadat ze gemeld is. Werden dag en maand omgewisseld door een rekenblad in een andere "
        "taal (bv. Engels)? Zet de taal op Nederlands (België) voor u de werkmap opent, of typ de datums als "
        "dd/mm/jjjj."]


def test_many_bad_cells_of_one_kind_make_one_line(engine):
    from llko.registers.workbook import import_register as run

    rows = [["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen"]]
    rows += [["P1", "01/10/2026", f"{d} mei 2026", "ma", 1] for d in range(1, 22)]
    result = run(engine, [("r.xlsx", xlsx({"opvang": [["opvang_id", "naam"], ["P1", "Zon"]],
                                          "vrije_plaatsen": rows}))], "test")
    assert len(result.problems) == 1
    assert result.problems[0].startswith("Blad vrije_plaatsen, kolom gemeld_op: 21 cellen met hetzelfde probleem "
                                         "(rijen 2, 3, 4, 5, 6 en nog 16 andere), bv. '1 mei 2026' — verwacht: ")


def test_a_register_in_ods_reads_like_the_xlsx_and_an_xls_is_refused(engine):
    import pandas as pd

    from llko.registers.workbook import import_register as run

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="odf") as writer:
        pd.DataFrame([["P1", "Het Zonnetje"]], columns=["opvang_id", "naam"]).to_excel(writer, sheet_name="opvang", index=False)
        pd.DataFrame([["P1", datetime(2026, 10, 1), "25/09/26", "ma, di", 2]],
                     columns=["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen"]).to_excel(
            writer, sheet_name="Vrije plaatsen", index=False)
    result = run(engine, [("registers.ods", out.getvalue())], "test")
    assert result.ok, result.problems
    assert result.counts == {"opvang": {"new": 1, "updated": 0, "unchanged": 0},
                             "vrije_plaatsen": {"new": 1, "updated": 0, "unchanged": 0}}
    refused = run(engine, [("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)], "test")
    assert refused.problems[0].startswith("'oud.xls': Dit is een Excel 97-2003-bestand (.xls)")


@pytest.mark.parametrize("sheet, header, first, second, table", [
    # rows that differ in one key column only are two entries, whichever key column it is
    ("vrije_plaatsen", ["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen"],
     ["P1", "01/11/2026", "20/10/2026", "ma", 1], ["P1", "01/11/2026", "21/10/2026", "ma", 1], "vacancies"),
    ("vrije_plaatsen", ["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen"],
     ["P1", "01/11/2026", "20/10/2026", "ma", 1], ["P1", "02/11/2026", "20/10/2026", "ma", 1], "vacancies"),
    ("vrije_plaatsen", ["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen"],
     ["P1", "01/11/2026", "20/10/2026", "ma", 1], ["P2", "01/11/2026", "20/10/2026", "ma", 1], "vacancies"),
    ("infopagina", ["opvang_id", "datum_controle", "bron", "openingsuren", "openingsdagen", "contact", "foto_logo",
                    "tarief"],
     ["P1", "01/09/2026", "loket", "ja", "ja", "ja", "ja", "ja"],
     ["P1", "01/09/2026", "opvang", "ja", "ja", "ja", "ja", "ja"], "infopagina_checks"),
    ("infopagina", ["opvang_id", "datum_controle", "bron", "openingsuren", "openingsdagen", "contact", "foto_logo",
                    "tarief"],
     ["P1", "01/09/2026", "loket", "ja", "ja", "ja", "ja", "ja"],
     ["P1", "02/09/2026", "loket", "ja", "ja", "ja", "ja", "ja"], "infopagina_checks"),
    ("overeenkomst", ["opvang_id", "ondertekend_op"], ["P1", "05/01/2026"], ["P2", "05/01/2026"], "agreements"),
    ("overeenkomst", ["opvang_id", "ondertekend_op"], ["P1", "05/01/2026"], ["P1", "06/01/2026"], "agreements"),
])
def test_two_rows_that_differ_in_one_key_column_stay_two_rows(town, sheet, header, first, second, table):
    result = import_register(town, [("register.xlsx", xlsx({"opvang": OPVANG[:3], sheet: [header, first, second]}))],
                             "coord")
    assert result.ok, result.problems
    assert result.counts[sheet] == {"new": 2, "updated": 0, "unchanged": 0}
    assert rows(town, f"SELECT COUNT(*) FROM {table}") == [(2,)]


def test_the_population_sheet_holds_children_under_3_per_deelgemeente_and_year(town):
    assert import_register(town, [("register.xlsx", xlsx(FULL))], "coord").ok
    assert rows(town, "SELECT district, year, children_under_3 FROM population ORDER BY district, year") == [
        ("Ninove", 2025, 900), ("Okegem", 2026, 160)]
    twice = [["deelgemeente", "jaar", "kinderen_onder_3"], ["Okegem", 2026, 160], ["Okegem", 2026, 170]]
    result = import_register(town, [("r.xlsx", xlsx({"bevolking": twice}))], "coord")
    assert result.problems == ["Blad bevolking, rij 3: dezelfde sleutel (Okegem, 2026) als rij 2."]
    bad = [["deelgemeente", "jaar", "kinderen_onder_3"], ["Okegem", 2026, -1]]
    result = import_register(town, [("r.xlsx", xlsx({"bevolking": bad}))], "coord")
    assert result.problems == ["Blad bevolking, rij 2, kolom kinderen_onder_3: '-1' is ongeldig; verwacht: een "
                               "geheel getal van minstens 0."]
