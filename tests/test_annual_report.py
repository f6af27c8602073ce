"""The LOK's yearly report (`python -m llko annual-report --year Y --pdf FILE --xlsx FILE`, DESIGN.md "The figures
contract" and R11) over the hand-built town of test_compliance_cli, widened for the year 2026:

- a request received on 20/12/2025 (outside the year; approved on 05/01/2026, inside it);
- deelgemeenten and places: P1 Okegem 18, P2 Okegem 6, P3 Denderwindeke 12 (stopped 30/06/2026), P4 Voorde 10,
  P5 'De Kleine Wereld' (no deelgemeente, 5 places, since 2020), P6 'Het Nieuwe Nest' (Okegem, 20 places, starts
  01/02/2027); population Okegem 2026: 160, Voorde 2025: 80 and 2027: 999 (after the year: not used);
- a LOK meeting on 01/12/2025 (outside the year); free places reported on 31/12/2025 (outside) and 31/12/2026;
  P5 signs the agreement on 05/01/2027 (after the year);
- enforcement files: P1 opened 01/11/2025, closed 05/01/2027 (open on 31/12); P2 opened 01/03/2026 and closed
  01/09/2026; P3 opened 01/10/2026; P4 opened and closed in 2025 (not in the report).

The PDF is read back with pypdf and the workbook with openpyxl; their numbers are held against
figures(engine, 1/1/2026, 31/12/2026) and the compliance contract of the same period, and a few against values
worked out by hand from DESIGN.md (in the comments). No request or child id may appear anywhere in either file.
"""

import io
import re
from datetime import date, datetime

import openpyxl
import pypdf
import pytest
from sqlalchemy import text

from llko import dutch
from llko.cli import main
from llko.compliance import service as compliance_service
from llko.compliance.queries import compliance
from llko.compliance.rules import CATEGORY, CATEGORY_LABELS, LABELS, OBLIGATIONS, VERDICT_LABELS, WITH_SHARE
from llko.registers.workbook import import_register
from llko.reporting import annual
from llko.reporting.annual import (OUTCOMES, SECTIONS, SHEETS, annual_report, report_pdf, report_xlsx)
from llko.reporting.figures import REQUEST_KEYS, figures
from llko.requests.importer import import_file
from test_compliance_cli import HEADER, town, xlsx  # noqa: F401 - town is a fixture
from test_compliance_documents import structure_elements
from tests.helpers import in_process, words

YEAR = 2026
F, T = date(YEAR, 1, 1), date(YEAR, 12, 31)
LATER = date(2027, 1, 10)  # 'today' for the enforcement steps (the last one is dated 05/01/2027)

BEFORE_THE_YEAR = HEADER + """
A001;K001;P1;Het Zonnetje;20/12/2025;;goedgekeurd;05/01/2026;;ja
"""

MORE = {
    "opvang": [["opvang_id", "naam", "deelgemeente", "vergunde_plaatsen", "gestart", "gestopt"],
               ["P1", "Het Zonnetje", "Okegem", 18, "", ""], ["P2", "Het Nest", "Okegem", 6, "", ""],
               ["P3", "De Kapoen", "Denderwindeke", 12, "01/01/2015", "30/06/2026"],
               ["P4", "De Vlinder", "Voorde", 10, "", ""], ["P5", "De Kleine Wereld", "", 5, "01/01/2020", ""],
               ["P6", "Het Nieuwe Nest", "Okegem", 20, "01/02/2027", ""]],
    "bevolking": [["deelgemeente", "jaar", "kinderen_onder_3"], ["Okegem", 2026, 160], ["Voorde", 2025, 80],
                  ["Voorde", 2027, 999]],
    "lok": [["datum", "onderwerp", "aanwezig"], ["01/12/2025", "Kennismaking", "P1"]],
    "overeenkomst": [["opvang_id", "ondertekend_op"], ["P5", "05/01/2027"]],  # after the year: not signed on 31/12
    "vrije_plaatsen": [["opvang_id", "vanaf", "gemeld_op", "dagen", "plaatsen"],
                       ["P4", "05/01/2026", "31/12/2025", "ma", 4], ["P4", "05/01/2027", "31/12/2026", "ma,di", 2]],
}
NAMES = {"P1": "Het Zonnetje", "P2": "Het Nest", "P3": "De Kapoen", "P4": "De Vlinder", "P5": "De Kleine Wereld",
         "P6": "Het Nieuwe Nest"}


def file(engine, provider_id, opened, obligations, closed=None):
    """An enforcement file with a note and an outcome that name requests (which the report must leave out)."""
    file_id = compliance_service.open_file(engine, "test", "Eline", provider_id, opened, obligations,
                                           "A202 en A203 te laat beantwoord", LATER)
    if closed:
        compliance_service.add_step(engine, "test", "Eline", file_id, "closed", closed, "Gesprek gehad over A202",
                                    LATER, outcome="Tekort weggewerkt (A203)")


@pytest.fixture
def year_town(town):
    assert import_file(town, BEFORE_THE_YEAR.encode(), "extra.csv", date(2026, 11, 16), "test").ok
    result = import_register(town, [("register.xlsx", xlsx(MORE))], "test")
    assert result.ok, result.problems
    file(town, "P1", date(2025, 11, 1), ["statuses"], closed=date(2027, 1, 5))
    file(town, "P2", date(2026, 3, 1), ["answering"], closed=date(2026, 9, 1))
    file(town, "P3", date(2026, 10, 1), ["local_policy", "agreement"])
    file(town, "P4", date(2025, 2, 1), ["infopagina"], closed=date(2025, 6, 1))
    return town


@pytest.fixture
def made(year_town):
    """The report of 2026, its PDF as folded text, its workbook, and the contracts it must repeat."""
    report = annual_report(year_town, YEAR, written_on=LATER)
    pdf = report_pdf(report)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    return {"report": report, "pdf": pdf, "text": words(pdf), "book": book,
            "figures": figures(year_town, F, T), "compliance": compliance(year_town, F, T),
            "ids": ids(year_town)}


def ids(engine) -> set[str]:
    """Every request id and child id in the database."""
    with engine.connect() as conn:
        return {v for row in conn.execute(text("SELECT id, child_id FROM requests")) for v in row}


def rows(book, sheet) -> list[tuple]:
    return list(book[sheet].iter_rows(values_only=True))


def line(*cells) -> str:
    return " ".join(str(c) for c in cells)


# --- the year read ------------------------------------------------------------------------------------------------

def test_the_report_holds_the_contracts_of_the_year_and_the_registers_on_31_december(made, year_town):
    report = made["report"]
    assert report.figures == made["figures"] and report.compliance == made["compliance"]
    assert report.figures["requests"]["received"] == 29  # A101-A112, A201-A216, A401; A001 came in 2025
    assert report.municipality == "Ninove" and report.title == "Jaarverslag Lokaal Loket Kinderopvang Ninove 2026"
    # working on 31/12/2026: not P3 (stopped 30/06), not P6 (starts 2027); by name
    assert report.working == ("P5", "P4", "P2", "P1")
    assert report.infopagina == {"P1": "controle te oud",  # 01/11/2025: 425 days before 31/12
                                 "P2": "onvolledig", "P4": "volledig", "P5": "nooit gecontroleerd"}
    assert report.signed_on == {"P1": date(2026, 1, 5), "P2": date(2026, 11, 5), "P4": date(2025, 12, 1), "P5": None}
    assert [m.held_on for m in report.meetings] == [date(2026, 3, 12), date(2026, 9, 15), date(2026, 10, 20)]
    assert [(f.provider_id, f.opened_on, f.closed_on) for f in report.files] == [
        ("P1", date(2025, 11, 1), None),  # closed on 05/01/2027: still open on 31/12
        ("P2", date(2026, 3, 1), date(2026, 9, 1)), ("P3", date(2026, 10, 1), None)]
    assert annual.enforcement_counts(report) == {"opened": 2, "closed": 1, "open": 2}


def test_the_compliance_counts_are_those_of_the_contract(made):
    entries = made["compliance"]["providers"].values()
    counts = annual.verdict_counts(made["report"])
    for o in OBLIGATIONS:
        assert counts[o]["shortcoming"] == sum(1 for e in entries if e[o]["verdict"] == "shortcoming")
    # By hand: meetings in 2026 on 12/03 (P1, P2), 15/09 (P1), 20/10 (P4): P3, P5 and P6 attended none. Signed by
    # 31/12: P1, P2 (05/11), P4; not P3, P5, P6.
    assert counts["local_policy"] == {"in_order": 3, "shortcoming": 3, "unknown": 0, "not_applicable": 0}
    assert counts["agreement"]["shortcoming"] == 3
    assert annual.advice_counts(made["report"]) == {"negative_advice": sum(e["negative_advice"] for e in entries),
                                                    "zero_score": sum(e["zero_score"] for e in entries)}


# --- the PDF ------------------------------------------------------------------------------------------------------

def test_the_pdf_has_the_title_and_every_heading_in_dutch(made):
    said = made["text"]
    assert said.startswith("Lokaal Loket Kinderopvang Ninove · Jaarverslag 2026 Jaarverslag Lokaal Loket Kinderopvang "
                           "Ninove 2026 Periode 01/01/2026 tot en met 31/12/2026 · opgemaakt op 10/01/2027")
    positions = [said.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert "Samenwerkingsovereenkomst en LOK" in said and "Onvervulde nood" in said


def test_the_pdf_repeats_the_request_figures(made):
    said, f = made["text"], made["figures"]
    keys = ("received", *OUTCOMES)
    for month, counts in f["months"].items():
        assert line(dutch.month(month), *(counts[k] for k in keys)) in said
    assert line("Totaal", *(f["requests"][k] for k in keys)) in said
    assert line("jan 2026", *[0] * len(keys)) in said  # a month without requests, zeros included
    r, a = f["requests"], f["answer_days"]
    assert line("Beantwoord", r["answered"]) in said and line("Tijdig beantwoord", r["answered_in_time"]) in said
    assert line("Aandeel tijdig beantwoord", dutch.percent(r["answered_in_time"] / r["answered"])) in said
    assert line("Mediaan dagen tot antwoord", f"{a['median']:g}".replace(".", ",")) in said
    assert line("90% beantwoord binnen (dagen)", a["p90"]) in said
    for key, label in annual.CHILDREN_LABELS.items():
        assert line(label, f["children"][key]) in said
    assert line("Kinderen met onvervulde nood uit een kwetsbaar gezin", f["children"]["unmet_vulnerable"]) in said


def test_the_pdf_has_the_chart_and_its_words(made):
    reader = pypdf.PdfReader(io.BytesIO(made["pdf"]))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/K"]
    figures_ = [e for e in structure_elements(tree) if e["/S"] == "/Figure"]
    assert len(figures_) == 1 and figures_[0]["/Alt"].startswith("Gestapeld staafdiagram: per maand van ontvangst")
    assert "29 aanvragen in 2026; de meeste in" in made["text"]
    svg = annual.chart_svg(made["report"])
    assert '<title id="chart-title">Aanvragen per maand, naar waar ze staan</title>' in svg
    assert all(f">{m}<" in svg for m in ("jan", "mrt", "mei", "okt", "dec"))  # Dutch month labels


def test_the_pdf_gives_the_deelgemeenten_rounded_with_a_dutch_comma_and_the_norm(made):
    said, d = made["text"], made["figures"]["deelgemeenten"]
    # By hand: Okegem P1 18 + P2 6 (P6 starts in 2027), 160 children: 15,0; Voorde P4 10, 80 children (2025): 12,5;
    # Denderwindeke: P3 stopped, population unknown; P5 without deelgemeente: 'onbekend'.
    assert line("Okegem", d["Okegem"]["received"], d["Okegem"]["not_possible"], d["Okegem"]["approved"], 24, 160,
                "15,0") in said
    assert line("Voorde", d["Voorde"]["received"], d["Voorde"]["not_possible"], d["Voorde"]["approved"], 10, 80,
                "12,5") in said
    assert line("Denderwindeke", 0, 0, 0, 0, "onbekend onbekend") in said
    assert line("onbekend", d["onbekend"]["received"], d["onbekend"]["not_possible"], d["onbekend"]["approved"], 5,
                "onbekend onbekend") in said
    assert ("De norm van het lokaal bestuur is 33 plaatsen per 100 kinderen jonger dan 3; de Vlaamse doelstelling "
            "is 50.") in said
    assert "Onder de norm: Okegem (15,0), Voorde (12,5)." in said


def test_the_pdf_gives_the_free_places_the_registers_and_the_compliance(made):
    said, v = made["text"], made["figures"]["vacancies"]
    # By hand: 13/06 (2 places) and 20/06 (1) in June, 31/12/2026 (2); 31/12/2025 falls outside
    assert (v["reported"], v["places"]) == (3, 5)
    assert line("jun 2026", 2, 3) in said and line("dec 2026", 1, 2) in said and line("Totaal", 3, 5) in said
    for standing in ("volledig", "onvolledig", "controle te oud", "nooit gecontroleerd"):
        assert line(standing, 1) in said
    assert ("Van de 4 opvanginitiatieven die op 31/12/2026 werken, ondertekenden 3 de samenwerkingsovereenkomst; 1 "
            "niet (De Kleine Wereld).") in said
    assert "Het Lokaal Overleg Kinderopvang kwam in 2026 3 keer samen." in said
    assert line("12/03/2026 Evaluatie procedure", 2) in said and "Kennismaking" not in said  # the meeting of 2025
    assert line("Het Zonnetje 05/01/2026", "2 van 3") in said
    assert line("De Kleine Wereld niet ondertekend", "0 van 3") in said
    counts = annual.verdict_counts(made["report"])
    for o in OBLIGATIONS:
        c = counts[o]
        assert line(LABELS[o], CATEGORY_LABELS[CATEGORY[o]], c["in_order"], c["shortcoming"], c["unknown"],
                    c["not_applicable"]) in said
    advice = annual.advice_counts(made["report"])
    assert f"Negatief advies (een tekort op een minimale verplichting): {advice['negative_advice']} " in said
    for pid, entry in made["compliance"]["providers"].items():
        cells = []
        for o in OBLIGATIONS:
            cell = VERDICT_LABELS[entry[o]["verdict"]] if entry[o]["verdict"] != "not_applicable" else "n.v.t."
            if entry[o].get("share") is not None:
                cell += f" ({dutch.percent(entry[o]['share'])})"
            cells.append(cell)
        assert line(NAMES[pid], *cells, "ja" if entry["negative_advice"] else "nee",
                    "ja" if entry["zero_score"] else "nee") in said
    assert "In 2026 werden 2 handhavingsdossiers geopend en 1 afgesloten; op 31/12/2026 waren er 2 open." in said
    assert line("Het Nest aanvragen tijdig beantwoorden 01/03/2026 01/09/2026") in said
    assert line("Het Zonnetje statussen correct gebruiken 01/11/2025 nog open") in said
    assert "De Vlinder infopagina" not in said  # P4's file of 2025


def named_ids(said: str, known: set[str]) -> list[str]:
    """The request and child ids that occur in a text as words of their own."""
    return sorted(i for i in known if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", said))


def test_no_request_or_child_id_anywhere(made):
    assert {"A101", "A202", "K101", "A001"} <= made["ids"]
    assert named_ids("zie A202, K101.", made["ids"]) == ["A202", "K101"]  # the check bites
    assert named_ids(made["text"], made["ids"]) == []
    for sheet in made["book"]:
        for row in sheet.iter_rows(values_only=True):
            assert named_ids(" ".join(str(c) for c in row), made["ids"]) == [], sheet.title


def test_the_pdf_is_pdf_ua_a4_with_page_numbers_and_the_municipality_in_the_header(made):
    reader = pypdf.PdfReader(io.BytesIO(made["pdf"]))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl-BE"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data().decode()
    assert reader.metadata.title == "Jaarverslag Lokaal Loket Kinderopvang Ninove 2026"
    assert reader.metadata.author == "Lokaal Loket Kinderopvang Ninove"
    tags = {str(e["/S"]) for e in structure_elements(catalog["/StructTreeRoot"]["/K"])}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= tags
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert "Lokaal Loket Kinderopvang Ninove · Jaarverslag 2026" in page
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_municipality_follows_the_setting(year_town):
    from llko import services

    services.change_setting(year_town, "test", "municipality", "Aalst")
    services.change_setting(year_town, "test", "coverage_norm", "40,5")
    said = words(report_pdf(annual_report(year_town, YEAR)))
    assert said.startswith("Lokaal Loket Kinderopvang Aalst · Jaarverslag 2026 Jaarverslag Lokaal Loket Kinderopvang "
                           "Aalst 2026 Periode 01/01/2026 tot en met 31/12/2026 De cijfers")
    assert "De norm van het lokaal bestuur is 40,5 plaatsen per 100 kinderen" in said


# --- the workbook -------------------------------------------------------------------------------------------------

def test_the_workbook_has_a_named_sheet_per_section_with_real_numbers(made):
    book, f = made["book"], made["figures"]
    assert book.sheetnames == list(SHEETS)
    requests = rows(book, "Aanvragen per maand")
    assert requests[0][0] == "Maand" and requests[0][1:] == tuple(annual.REQUEST_LABELS[k] for k in REQUEST_KEYS)
    assert requests[1:] == [(dutch.month(m), *(c[k] for k in REQUEST_KEYS)) for m, c in f["months"].items()] + [
        ("Totaal", *(f["requests"][k] for k in REQUEST_KEYS))]
    assert rows(book, "Kinderen")[1:] == [(label, f["children"][k]) for k, label in annual.CHILDREN_LABELS.items()]
    r, a = f["requests"], f["answer_days"]
    assert rows(book, "Antwoordtermijn")[1:] == [
        ("Beantwoord", r["answered"]), ("Tijdig beantwoord", r["answered_in_time"]),
        ("Aandeel tijdig beantwoord", pytest.approx(r["answered_in_time"] / r["answered"])),
        ("Mediaan dagen tot antwoord", a["median"]), ("90% beantwoord binnen (dagen)", a["p90"]),
        ("Antwoordtermijn (dagen)", 14)]
    assert rows(book, "Deelgemeenten")[1:] == [
        (name, d["received"], d["not_possible"], d["approved"], d["places"], d["children_under_3"], d["places_per_100"])
        for name, d in f["deelgemeenten"].items()]
    by_name = {row[0]: row[4:] for row in rows(book, "Deelgemeenten")[1:]}
    assert by_name["Okegem"] == (24, 160, 15.0) and by_name["Voorde"] == (10, 80, 12.5)  # unrounded numbers
    assert by_name["Denderwindeke"] == (0, None, None) and by_name["onbekend"] == (5, None, None)
    assert rows(book, "Vrije plaatsen")[1:] == [(dutch.month(m), v["reported"], v["places"])
                                               for m, v in f["vacancies"]["months"].items()] + [("Totaal", 3, 5)]
    assert rows(book, "Infopagina") == [("Toestand op 31/12/2026", "Opvanginitiatieven"), ("volledig", 1),
                                        ("onvolledig", 1), ("controle te oud", 1), ("nooit gecontroleerd", 1)]


def test_the_workbook_gives_the_registers_and_the_compliance_per_provider(made):
    book = made["book"]
    assert rows(book, "Overeenkomst en LOK") == [
        ("Opvang", "Ondertekend", "Ondertekend op", "LOK 12/03/2026", "LOK 15/09/2026", "LOK 20/10/2026",
         "LOK bijgewoond"),
        ("De Kleine Wereld", "nee", None, "nee", "nee", "nee", 0),
        ("De Vlinder", "ja", datetime(2025, 12, 1), "nee", "nee", "ja", 1),
        ("Het Nest", "ja", datetime(2026, 11, 5), "ja", "nee", "nee", 1),
        ("Het Zonnetje", "ja", datetime(2026, 1, 5), "ja", "ja", "nee", 2)]
    found = rows(book, "Naleving per opvang")
    assert found[0] == ("Opvang", *(LABELS[o] for o in OBLIGATIONS), "Aandeel tijdig beantwoord",
                        "Aandeel kinderen uit kwetsbare gezinnen", "Negatief advies", "0-score")
    entries = made["compliance"]["providers"]
    expected = sorted(((NAMES[pid], *(VERDICT_LABELS[e[o]["verdict"]] for o in OBLIGATIONS),
                        *(None if e[o]["share"] is None else pytest.approx(e[o]["share"]) for o in WITH_SHARE),
                        "ja" if e["negative_advice"] else "nee", "ja" if e["zero_score"] else "nee")
                       for pid, e in entries.items()), key=lambda row: row[0].lower())
    assert found[1:] == expected
    assert rows(book, "Handhaving") == [
        ("Opvang", "Verplichtingen", "Geopend op", "Afgesloten op (tot en met 31/12/2026)"),
        ("Het Zonnetje", "Statussen correct gebruiken", datetime(2025, 11, 1), None),
        ("Het Nest", "Aanvragen tijdig beantwoorden", datetime(2026, 3, 1), datetime(2026, 9, 1)),
        ("De Kapoen", "Lokaal beleid (LOK bijwonen); Samenwerkingsovereenkomst ondertekend", datetime(2026, 10, 1),
         None)]
    assert book["Handhaving"]["C2"].number_format == "dd/mm/yyyy"


def test_an_empty_database_gives_a_report_of_zeros(engine):
    report = annual_report(engine, 2025)
    said = words(report_pdf(report))
    assert "In 2025 ontving het loket 0 aanvragen" in said and "In 2025 kwamen geen aanvragen binnen." in said
    assert "Het Lokaal Overleg Kinderopvang kwam in 2025 niet samen." in said
    assert openpyxl.load_workbook(io.BytesIO(report_xlsx(report))).sheetnames == list(SHEETS)


# --- the command line ---------------------------------------------------------------------------------------------

@pytest.fixture
def run(year_town, db_url, monkeypatch, capsys):
    """python -m llko ARGS in this process, against the town; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("LLKO_DATABASE_URL", db_url)
    monkeypatch.setenv("LLKO_TODAY", LATER.isoformat())
    return in_process(capsys)


def test_the_cli_writes_both_files(run, tmp_path, made):
    pdf, book = tmp_path / "jaarverslag.pdf", tmp_path / "jaarverslag.xlsx"
    code, out, err = run("annual-report", "--year", "2026", "--pdf", str(pdf), "--xlsx", str(book))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"Jaarverslag 2026 geschreven naar {pdf}.", f"Jaarverslag 2026 geschreven naar {book}."]
    assert words(pdf.read_bytes()) == made["text"]  # written on LLKO_TODAY, as the report made above
    assert [rows(openpyxl.load_workbook(book), s) for s in SHEETS] == [rows(made["book"], s) for s in SHEETS]


def test_the_cli_writes_one_file_when_asked_for_one(run, tmp_path):
    book = tmp_path / "cijfers.xlsx"
    code, out, err = run("annual-report", "--year", "2026", "--xlsx", str(book))
    assert code == 0 and book.exists() and out.strip() == f"Jaarverslag 2026 geschreven naar {book}."
    assert not (tmp_path / "jaarverslag.pdf").exists()


def test_the_cli_needs_a_file_and_a_year(run, capsys):
    code, out, err = run("annual-report", "--year", "2026")
    assert (code, out) == (2, "")
    assert err.strip() == "Geef --pdf BESTAND, --xlsx BESTAND of beide: waar moet het jaarverslag naartoe?"
    with pytest.raises(SystemExit) as stopped:
        main(["annual-report", "--year", "twintig", "--pdf", "x.pdf"])
    assert stopped.value.code == 2 and "ongeldig jaar 'twintig'" in capsys.readouterr().err


def test_the_cli_warns_for_a_year_that_is_not_over(run, tmp_path):
    code, out, err = run("annual-report", "--year", "2027", "--xlsx", str(tmp_path / "x.xlsx"))
    assert code == 0
    assert err.strip() == "Let op: 2027 is nog niet voorbij; het verslag telt met 31/12/2027 als ‘vandaag’."


def test_the_cli_says_when_it_cannot_write(run, tmp_path):
    code, out, err = run("annual-report", "--year", "2026", "--xlsx", str(tmp_path / "nergens" / "x.xlsx"))
    assert (code, out) == (2, "")
    assert err.startswith(f"Kan {tmp_path / 'nergens' / 'x.xlsx'} niet schrijven")

