"""One validation per register (issue 23): the register workbook refuses what the forms refuse, through the very
rules the forms use — a name, e-mail, trap or dates of a provider as the Opvang page judges them, a remark, signatory
or subject no longer than its form allows, dates only as DESIGN.md writes them — and carries the opvang sheet's
gestart, gestopt and herinneringen (DESIGN.md "The register workbook") there and back."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from llko.providers.models import Provider
from llko.registers import export
from llko.registers.workbook import import_register

OPVANG = "opvang_id;naam;email;gestart;gestopt;herinneringen\n"


def imported(engine, *files: tuple[str, str]):
    return import_register(engine, [(name, content.encode("utf-8")) for name, content in files], "coord")


def providers(engine) -> list[tuple]:
    """The providers as stored (typed by the model: SQLite keeps dates as text)."""
    with Session(engine) as session:
        return [(p.id, p.name, p.email, p.started_on, p.stopped_on, p.reminders)
                for p in session.execute(select(Provider).order_by(Provider.id)).scalars()]


@pytest.mark.parametrize("row, message", [
    ("P1;" + "N" * 300 + ";;;;", "Blad opvang, rij 2, kolom naam: Naam: hoogstens 200 tekens (nu 300)."),
    ("P1;" + "N" * 100_000 + ";;;;", "Blad opvang, rij 2, kolom naam: Naam: hoogstens 200 tekens (nu 100000)."),
    ("P1;Het Zonnetje;geen-adres;;;", "Blad opvang, rij 2, kolom email: E-mail: een e-mailadres bevat een @ (niet "
                                      "'geen-adres')."),
    ("P1;Het Zonnetje;;01/03/2020;01/02/2020;", "Blad opvang, rij 2, kolom gestopt: Gestopt op: 01/02/2020 ligt vóór "
                                                "de start (01/03/2020)."),
    ("P1;Het Zonnetje;;03-11-2026;;", "Blad opvang, rij 2, kolom gestart: '03-11-2026' is ongeldig; verwacht: een "
                                      "datum als dd/mm/jjjj."),
    ("P1;Het Zonnetje;;;;misschien", "Blad opvang, rij 2, kolom herinneringen: 'misschien' is ongeldig; verwacht: ja "
                                     "of nee (ook j/n of 1/0)."),
])
def test_the_opvang_sheet_refuses_what_the_opvang_page_refuses(engine, row, message):
    result = imported(engine, ("opvang.csv", OPVANG + row + "\n"))
    assert result.problems == [message]
    assert providers(engine) == []


@pytest.mark.parametrize("files, message", [
    ((("opvang.csv", "opvang_id;naam\nP1;Het Zonnetje\n"),
      ("vrije_plaatsen.csv", "opvang_id;vanaf;gemeld_op;dagen;plaatsen;opmerking\nP1;01/12/2026;01/11/2026;ma;1;"
                             + "x" * 600 + "\n")),
     "Blad vrije_plaatsen, rij 2, kolom opmerking: '" + "x" * 57 + "...' is ongeldig; verwacht: tekst van hoogstens "
     "500 tekens (nu 600)."),
    ((("opvang.csv", "opvang_id;naam\nP1;Het Zonnetje\n"),
      ("overeenkomst.csv", "opvang_id;ondertekend_op;ondertekenaar\nP1;01/02/2026;" + "A" * 121 + "\n")),
     "Blad overeenkomst, rij 2, kolom ondertekenaar: '" + "A" * 57 + "...' is ongeldig; verwacht: tekst van "
     "hoogstens 120 tekens (nu 121)."),
    ((("lok.csv", "datum;onderwerp\n20/10/2026;" + "O" * 301 + "\n"),),
     "Blad lok, rij 2, kolom onderwerp: '" + "O" * 57 + "...' is ongeldig; verwacht: tekst van hoogstens 300 tekens "
     "(nu 301)."),
])
def test_the_other_sheets_hold_no_longer_text_than_their_forms(engine, files, message):
    result = imported(engine, *files)
    assert result.problems == [message]
    assert providers(engine) == []


def test_gestart_gestopt_and_herinneringen_go_in_and_come_back_out(engine):
    result = imported(engine, ("opvang.csv", OPVANG + "P1;Het Zonnetje;info@zon.be;01/03/2015;;nee\n"
                                                      "P2;Het Nest;;2016-09-01;31/12/2026;\n"))
    assert result.ok, result.problems
    assert providers(engine) == [
        ("P1", "Het Zonnetje", "info@zon.be", date(2015, 3, 1), None, False),
        ("P2", "Het Nest", None, date(2016, 9, 1), date(2026, 12, 31), True)]  # a blank herinneringen: ja
    sheet = export.sheet(engine, "opvang")
    assert sheet[["opvang_id", "gestart", "gestopt", "herinneringen"]].values.tolist() == [
        ["P1", date(2015, 3, 1), None, False], ["P2", date(2016, 9, 1), date(2026, 12, 31), True]]
    assert "herinneringen" in export.columns("opvang")
