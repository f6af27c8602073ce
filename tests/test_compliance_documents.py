"""The compliance documents (llko.compliance.documents): the signal to Opgroeien Regie and the advice of the local
government as PDF/UA letters, the Excel annex and the chart of the shares.

The PDFs are read back with pypdf (text, catalog, metadata) and the workbook with openpyxl. Every expected text is
worked out by hand from DESIGN.md (R9, R11), the agreement (§4) and the verdicts below, and written literally.
Period F = 01/06/2026 .. T = 01/11/2026; the letter is written on 05/11/2026, in Aalst unless a test says otherwise.
"""

import io
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pandas as pd
import pypdf
import pytest

from llko.compliance import documents
from llko.compliance.documents import Letter, Override, Step, advice_pdf, evidence_xlsx, signal_pdf
from llko.compliance.rules import IN_ORDER, NOT_APPLICABLE, SHORTCOMING, UNKNOWN, Verdict, provider_verdicts
from llko.settings import Settings
from tests.helpers import words

F, T, WRITTEN = date(2026, 6, 1), date(2026, 11, 1), date(2026, 11, 5)


def by_hand() -> dict[str, Verdict]:
    """Every obligation with a verdict and its details, as llko.compliance.rules would give them."""
    return {
        # 4 requests counted, 2 in time: 50% < 90%. A3 unanswered with its deadline on T, A5 answered a day late.
        "answering": Verdict("answering", SHORTCOMING, ["A3", "A5"], 0.5, {
            "counted": 4, "in_time": 2, "late": 2, "late_requests": [
                {"id": "A3", "received": date(2026, 10, 18), "deadline": date(2026, 11, 1), "answered_on": None,
                 "days_late": 0},
                {"id": "A5", "received": date(2026, 7, 1), "deadline": date(2026, 7, 15),
                 "answered_on": date(2026, 7, 16), "days_late": 1}]}),
        "infopagina": Verdict("infopagina", SHORTCOMING, ["foto_logo", "tarief"], None, {
            "checked_on": date(2026, 9, 1), "age_days": 61,
            "missing_since": {"foto_logo": date(2026, 3, 1), "tarief": date(2026, 9, 1)}}),
        "local_policy": Verdict("local_policy", SHORTCOMING, ["2026-09-15"], None, {"meetings": 1, "attended": 0}),
        # trap 3: 1 of 5 children from a vulnerable family, 20% < 30%
        "plus_share": Verdict("plus_share", SHORTCOMING, [], 0.2, {"children": 5, "vulnerable": 1}),
        "statuses": Verdict("statuses", SHORTCOMING, ["A7", "A8", "A9"], None, {
            "direct_cancellations": ["A7"], "lingering": ["A8", "A9"],
            "status_dates": {"A7": date(2026, 8, 1), "A8": date(2026, 6, 1), "A9": date(2026, 6, 2)}}),
        "vacancies": Verdict("vacancies", IN_ORDER, ["A12"], None, {
            "approvals": 3, "uncovered": 1,
            "uncovered_requests": [{"id": "A12", "approved_on": date(2026, 7, 1), "start": date(2026, 9, 1)}]}),
        "agreement": Verdict("agreement", SHORTCOMING, [], None, {"signed_on": None}),
    }


STEPS = (Step(date(2026, 9, 20), "Contact (telefoon)", "Herinnerd aan de termijn van 14 dagen", "Eline"),
         Step(date(2026, 10, 10), "Gesprek met het loket", "Afspraken gemaakt; opvolging in november.", "Eline"))
MOTIVATION = "Nieuwe verantwoordelijke sinds oktober; de achterstand is weggewerkt."
OVERRIDE = Override(False, MOTIVATION, "Jan Peeters", datetime(2026, 11, 4, 14, 30))  # stored in UTC: 15:30 here


def make_letter(**changes) -> Letter:
    letter = Letter(
        municipality="Aalst", provider_id="P123", provider_name="Crèche ‘De Zoë’",
        provider_address="Kerkstraat 12, 9300 Aalst", subsidy_level="3", date_from=F, date_to=T, written_on=WRITTEN,
        author="Eline Coördinator", verdicts=by_hand(), settings=Settings(municipality="Aalst"), steps=STEPS)
    return replace(letter, **changes)


@pytest.fixture(scope="module")
def signal() -> bytes:
    return signal_pdf(make_letter(overrides={"negative_advice": OVERRIDE}))


@pytest.fixture(scope="module")
def signal_text(signal) -> str:
    return words(signal)


# --- the signal --------------------------------------------------------------------------------------------------

def test_the_signal_names_sender_provider_and_period(signal_text):
    for expected in ("Signaal aan Opgroeien Regie",
                     "Van Lokaal Loket Kinderopvang Aalst Aan Opgroeien Regie Datum 05/11/2026 "
                     "Opgesteld door Eline Coördinator",
                     "Naam Crèche ‘De Zoë’ Dossiernummer P123 Adres Kerkstraat 12, 9300 Aalst Subsidietrap 3",
                     "Van 01/06/2026 tot en met 01/11/2026, beide dagen inbegrepen.",
                     "Opgemaakt op 05/11/2026 door Eline Coördinator, Lokaal Loket Kinderopvang Aalst."):
        assert expected in signal_text
    assert "Ninove" not in signal_text  # the municipality comes from the letter, never a default


def test_the_signal_gives_each_verdict_with_its_category_and_summary(signal_text):
    rows = [
        "Aanvragen tijdig beantwoorden minimale verplichting tekort 2 van 4 aanvragen tijdig beantwoord (50%); "
        "minimum 90%.",
        "Infopagina volledig minimale verplichting tekort Laatste controle door het loket op 01/09/2026: ontbreekt "
        "foto of logo, tarief (inkomensgerelateerd of vaste prijs per dag).",
        "Lokaal beleid (LOK bijwonen) minimale verplichting tekort 0 van 1 LOK-vergadering bijgewoond.",
        "Plussubsidie: kinderen uit kwetsbare gezinnen minimale verplichting tekort 1 van 5 kinderen uit een "
        "kwetsbaar gezin (20%); minimum 30%.",
        "Statussen correct gebruiken verdere afspraak tekort 1 rechtstreekse annulering en 2 aanvragen langer dan "
        "60 dagen ‘in behandeling’; toegestaan: 2.",
        "Elke vrije plaats melden verdere afspraak in orde 1 van 3 goedkeuringen zonder een vooraf gemelde vrije "
        "plaats; toegestaan: 2.",
        "Samenwerkingsovereenkomst ondertekend verdere afspraak tekort Niet ondertekend op of vóór het einde van de "
        "periode.",
    ]
    for row in rows:
        assert row in signal_text
    # the loket's reading of which obligations are minimum stands beside the verdicts (R11)
    assert "Lezing van het loket: minimale verplichtingen uit de regelgeving" in signal_text


def test_the_signal_lists_every_piece_of_evidence(signal_text):
    rows = [
        "Aanvragen tijdig beantwoorden A3 ontvangen 18/10/2026, termijn 01/11/2026, niet beantwoord op de laatste dag "
        "van de termijn",
        "Aanvragen tijdig beantwoorden A5 ontvangen 01/07/2026, termijn 15/07/2026, beantwoord op 16/07/2026: 1 dag "
        "te laat",
        "Infopagina volledig foto of logo ontbreekt sinds de controle van 01/03/2026",
        "Infopagina volledig tarief (inkomensgerelateerd of vaste prijs per dag) ontbreekt sinds de controle van "
        "01/09/2026",
        "Lokaal beleid (LOK bijwonen) 15/09/2026 LOK-vergadering niet bijgewoond",
        "Statussen correct gebruiken A7 ‘geannuleerd door opvang’ op 01/08/2026 zonder eerder antwoord",
        "Statussen correct gebruiken A8 ‘in behandeling’ sinds 01/06/2026, langer dan toegestaan",
        "Statussen correct gebruiken A9 ‘in behandeling’ sinds 02/06/2026, langer dan toegestaan",
        "Elke vrije plaats melden A12 goedgekeurd op 01/07/2026, start 01/09/2026: geen vrije plaats gemeld die deze "
        "start dekt",
    ]
    for row in rows:
        assert row in signal_text


def test_the_signal_shows_the_thresholds_in_force(signal_text):
    for row in ("Termijn om te antwoorden 14 dagen", "Minimum tijdig beantwoord 90%",
                "Hoogste leeftijd van een controle van de infopagina 365 dagen",
                "Plussubsidie: minimum kinderen uit kwetsbare gezinnen 30%",
                "Plussubsidie: minimum aantal kinderen voor een oordeel 5", "Statussen: toegestane fouten 2",
                "Statussen: te lang ‘in behandeling’ na 60 dagen",
                "Vrije plaatsen: toegestane goedkeuringen zonder gemelde plaats 2",
                "Vrije plaatsen: venster rond de startdatum 30 dagen"):
        assert row in signal_text


def test_changed_settings_change_the_thresholds_and_the_sentences():
    settings = Settings(municipality="Aalst", answering_min_share=0.8, deadline_days=10, plus_min_share=0.25)
    text = words(signal_pdf(make_letter(settings=settings)))
    for expected in ("Minimum tijdig beantwoord 80%", "Termijn om te antwoorden 10 dagen",
                     "Plussubsidie: minimum kinderen uit kwetsbare gezinnen 25%",
                     "2 van 4 aanvragen tijdig beantwoord (50%); minimum 80%.",
                     "Aanvragen tijdig beantwoorden: 50%, lager dan de drempel van 80%."):
        assert expected in text
    assert "Minimum tijdig beantwoord 90%" not in text


def test_the_signal_tells_the_follow_up_so_far(signal_text):
    assert ("Opvolging tot nu toe Datum Stap Notitie Door 20/09/2026 Contact (telefoon) Herinnerd aan de termijn van "
            "14 dagen Eline 10/10/2026 Gesprek met het loket Afspraken gemaakt; opvolging in november. Eline"
            ) in signal_text
    assert "Nog geen contacten of stappen geregistreerd." in words(signal_pdf(make_letter(steps=())))


def test_the_signal_gives_both_advices_with_the_override(signal_text):
    # negative advice: derived ja (answering, infopagina, LOK and plus are shortcomings), overridden to nee
    assert f"Negatief advies: nee (aangepast door de coördinator). Motivering: {MOTIVATION}" in signal_text
    assert ("Aangepast door Jan Peeters op 04/11/2026 om 15:30. Afgeleid uit de oordelen: negatief advies: "
            "ja.") in signal_text
    assert ("tekort bij: aanvragen tijdig beantwoorden; infopagina volledig; lokaal beleid (LOK bijwonen); "
            "plussubsidie: kinderen uit kwetsbare gezinnen") in signal_text
    # 0-score: derived ja (statuses, agreement), not overridden
    assert "0-score: ja (afgeleid uit de oordelen). De organisator komt afspraken na die verder gaan" in signal_text
    assert "tekort bij: statussen correct gebruiken; samenwerkingsovereenkomst ondertekend" in signal_text


def test_the_signal_has_page_numbers_and_the_municipality_in_the_header(signal):
    reader = pypdf.PdfReader(io.BytesIO(signal))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
    assert "Lokaal Loket Kinderopvang Aalst" in pages[1]  # the header of a following page


# --- PDF/UA ------------------------------------------------------------------------------------------------------

def structure_elements(node, found=None) -> list:
    """Every structure element under node (the tagged PDF's tree), depth first."""
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for kid in node:
            structure_elements(kid, found)
    elif isinstance(node, pypdf.generic.DictionaryObject) and "/S" in node:
        found.append(node)
        if "/K" in node:
            structure_elements(node["/K"], found)
    return found


def test_the_letters_are_pdf_ua_with_title_author_and_language(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = advice_pdf(make_letter(), "subsidie")
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl-BE"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data().decode()
    assert reader.metadata.title == ("Advies van het lokaal bestuur over de jaarlijkse subsidie van de stad – "
                                     "Crèche ‘De Zoë’ (P123)")
    assert reader.metadata.author == "Eline Coördinator"
    tags = [str(e["/S"]) for e in structure_elements(catalog["/StructTreeRoot"]["/K"])]
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= set(tags)
    figures = [e for e in structure_elements(catalog["/StructTreeRoot"]["/K"]) if e["/S"] == "/Figure"]
    assert figures[0]["/Alt"].startswith("Staafdiagram")


def test_the_html_has_language_title_and_scoped_headers():
    html = documents.signal_html(make_letter())
    assert '<html lang="nl-BE">' in html
    assert "<title>Signaal aan Opgroeien Regie – Crèche ‘De Zoë’ (P123)</title>" in html
    assert '<th scope="col">Verplichting</th>' in html and '<th scope="row">Dossiernummer</th>' in html
    assert '<img src="data:image/svg+xml;base64,' in html and 'alt="Staafdiagram' in html


# --- the advice letters ------------------------------------------------------------------------------------------

def test_the_advice_in_an_expansion_round_weighs_negative_advice_and_0_score():
    text = words(advice_pdf(make_letter(overrides={"negative_advice": OVERRIDE}), "uitbreidingsronde"))
    for expected in ("Advies van het lokaal bestuur in kader van een uitbreidingsronde",
                     "Van Lokaal bestuur Aalst, op voorstel van het Lokaal Loket Kinderopvang Aalst",
                     "Crèche ‘De Zoë’ (dossiernummer P123) · periode 01/06/2026 tot en met 01/11/2026",
                     "Het lokaal bestuur geeft geen negatief advies in kader van de uitbreidingsronde.",
                     f"Motivering: {MOTIVATION}",
                     "Aangepast door Jan Peeters op 04/11/2026 om 15:30. Afgeleid uit de oordelen: negatief "
                     "advies: ja.",
                     "De organisator krijgt een 0-score op het criterium ‘samenwerking met het Lokaal Loket "
                     "Kinderopvang’.",
                     "Aanvragen tijdig beantwoorden minimale verplichting tekort",
                     "Elke vrije plaats melden A12", "Minimum tijdig beantwoord 90%",
                     "20/09/2026 Contact (telefoon)",
                     "Opgemaakt op 05/11/2026 door Eline Coördinator, namens het lokaal bestuur van Aalst."):
        assert expected in text
    assert "Ninove" not in text


def test_the_advice_on_the_subsidy_is_only_about_the_minimum_obligations():
    text = words(advice_pdf(make_letter(), "subsidie"))
    for expected in ("Advies van het lokaal bestuur over de jaarlijkse subsidie van de stad",
                     "in kader van de subsidies die jaarlijks worden gegeven door de stad",
                     "Het lokaal bestuur geeft een negatief advies over de jaarlijkse subsidie van de stad.",
                     "Negatief advies: ja (afgeleid uit de oordelen).", "Lezing van het loket: minimale verplichtingen",
                     "Samenwerkingsovereenkomst ondertekend verdere afspraak tekort"):
        assert expected in text
    assert "0-score" not in text
    assert "uitbreidingsronde" not in text.replace("(uitbreidingsronde en jaarlijkse subsidie van de stad)", "")\
        .replace("in kader van een uitbreidingsronde en in kader van de subsidies", "")\
        .replace("(uitbreidingsronde, jaarlijkse subsidie van de stad, §4)", "")


def test_an_advice_in_order_is_no_negative_advice_and_no_0_score():
    in_order = {
        "answering": Verdict("answering", IN_ORDER, [], 1.0, {"counted": 3, "in_time": 3, "late_requests": []}),
        "infopagina": Verdict("infopagina", IN_ORDER, [], None, {"checked_on": date(2026, 9, 1), "age_days": 61,
                                                                  "missing_since": {}}),
        "local_policy": Verdict("local_policy", IN_ORDER, [], None, {"meetings": 1, "attended": 1}),
        "plus_share": Verdict("plus_share", NOT_APPLICABLE),
        "statuses": Verdict("statuses", IN_ORDER),
        "vacancies": Verdict("vacancies", IN_ORDER, [], None, {"approvals": 0}),
        "agreement": Verdict("agreement", IN_ORDER, [], None, {"signed_on": date(2026, 1, 10)}),
    }
    text = words(advice_pdf(make_letter(verdicts=in_order), "uitbreidingsronde"))
    assert "Het lokaal bestuur geeft geen negatief advies in kader van de uitbreidingsronde." in text
    assert "De organisator krijgt geen 0-score op het criterium" in text
    assert ("Negatief advies: nee (afgeleid uit de oordelen). De minimale verplichtingen inzake samenwerking met het Lokaal "
            "Loket Kinderopvang zijn nagekomen.") in text
    assert "Geen bewijsstukken" in text


def test_an_unknown_purpose_is_refused():
    with pytest.raises(ValueError, match="Onbekend doel"):
        advice_pdf(make_letter(), "premie")


def test_the_municipality_follows_the_letter():
    text = words(advice_pdf(make_letter(municipality="Ninove", provider_address=None, subsidy_level=None),
                            "subsidie"))
    assert "Lokaal bestuur Ninove, op voorstel van het Lokaal Loket Kinderopvang Ninove" in text
    assert "Aalst" not in text.replace("Kerkstraat 12, 9300 Aalst", "")
    assert "Adres" not in text and "Subsidietrap niet ingevuld" in text


# --- the chart ---------------------------------------------------------------------------------------------------

def test_the_chart_is_svg_with_a_dutch_title_and_says_the_same_in_words(signal_text):
    svg = documents.chart_svg(make_letter())
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Gemeten aandelen tegenover hun drempel"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Gemeten aandelen tegenover hun drempel" in texts
    assert {"Aanvragen tijdig beantwoorden", "Plussubsidie: kinderen uit kwetsbare gezinnen",
            "50% (drempel 90%)", "20% (drempel 30%)"} <= set(texts)
    spec = documents.chart_spec(make_letter())
    assert isinstance(spec, dict) and spec["title"]["text"] == "Gemeten aandelen tegenover hun drempel"
    assert ("Aandelen tegenover de drempels Aanvragen tijdig beantwoorden: 50%, lager dan de drempel van 90%. "
            "Plussubsidie: kinderen uit kwetsbare gezinnen: 20%, lager dan de drempel van 30%.") in signal_text


def test_without_a_share_there_is_no_chart_only_a_sentence():
    verdicts = {**by_hand(), "answering": Verdict("answering", IN_ORDER, [], None, {"counted": 0}),
                "plus_share": Verdict("plus_share", NOT_APPLICABLE)}
    letter = make_letter(verdicts=verdicts)
    assert documents.chart_spec(letter) is None and documents.chart_svg(letter) is None
    assert "<img" not in documents.signal_html(letter)
    assert "Geen aandelen te tonen" in words(signal_pdf(letter))


def test_a_share_without_a_verdict_is_shown_and_said_to_be_too_little():
    verdicts = {**by_hand(), "answering": Verdict("answering", IN_ORDER, [], 0.95, {"counted": 20, "in_time": 19}),
                "plus_share": Verdict("plus_share", UNKNOWN, [], 0.5, {"children": 2, "vulnerable": 1})}
    assert documents.chart_sentence(make_letter(verdicts=verdicts)) == (
        "Aanvragen tijdig beantwoorden: 95%, op of boven de drempel van 90%. Plussubsidie: kinderen uit kwetsbare "
        "gezinnen: 50%, op of boven de drempel van 30%. Te weinig kinderen voor een oordeel.")


# --- escaping and special characters -----------------------------------------------------------------------------

def test_evil_text_is_escaped_not_interpreted():
    evil = 'Zie <script>alert("x")</script> & <b>vet</b>'
    letter = make_letter(provider_name="Kinderopvang </title><h1>Vals</h1>", author='Eline "E" <Coördinator>',
                         overrides={"zero_score": Override(False, evil, "Jan & Piet", datetime(2026, 11, 4, 9, 5))},
                         steps=(Step(date(2026, 10, 1), "Contact (e-mail)", "<i>niet</i> cursief & zo"),))
    html = documents.advice_html(letter, "uitbreidingsronde")
    assert "<script>" not in html and "<b>vet</b>" not in html and "<h1>Vals</h1>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html
    text = words(advice_pdf(letter, "uitbreidingsronde"))
    assert f"Motivering: {evil}" in text
    assert "Aangepast door Jan & Piet op 04/11/2026 om 10:05." in text
    assert "Kinderopvang </title><h1>Vals</h1> (dossiernummer P123)" in text
    assert "<i>niet</i> cursief & zo" in text
    assert pypdf.PdfReader(io.BytesIO(advice_pdf(letter, "subsidie"))).metadata.author == 'Eline "E" <Coördinator>'


def test_dutch_characters_survive(signal_text):
    for expected in ("Crèche ‘De Zoë’", "Eline Coördinator", "‘in behandeling’", "op of vóór het einde",
                     "§4 van de samenwerkingsovereenkomst"):
        assert expected in signal_text


# --- a letter from real verdicts ---------------------------------------------------------------------------------

def test_a_letter_from_the_rules_verdicts():
    requests = pd.DataFrame([
        # deadline 15/07, answered (approved) 20/07: 5 days late; approved without a reported vacancy
        {"id": "A101", "child_id": "K1", "provider_id": "P9", "received": date(2026, 7, 1), "status": "goedgekeurd",
         "status_date": date(2026, 7, 20), "answer_date": date(2026, 7, 20), "desired_start": None,
         "vulnerable": None},
        # deadline 15/08, answered 05/08: in time
        {"id": "A102", "child_id": "K2", "provider_id": "P9", "received": date(2026, 8, 1),
         "status": "opvangplan niet mogelijk", "status_date": date(2026, 8, 5), "answer_date": date(2026, 8, 5),
         "desired_start": None, "vulnerable": None},
    ])
    verdicts = provider_verdicts("P9", None, requests, [], [], [date(2026, 1, 10)], [], F, T, Settings())
    letter = make_letter(municipality="Ninove", provider_id="P9", provider_name="Het Nest", verdicts=verdicts,
                         settings=Settings(), steps=())
    text = words(signal_pdf(letter))
    for expected in ("Lokaal Loket Kinderopvang Ninove", "Naam Het Nest Dossiernummer P9",
                     "Aanvragen tijdig beantwoorden minimale verplichting tekort 1 van 2 aanvragen tijdig beantwoord "
                     "(50%); minimum 90%.",
                     "Infopagina volledig minimale verplichting onbekend Het loket controleerde de infopagina nog "
                     "niet (op of vóór het einde van de periode).",
                     "Lokaal beleid (LOK bijwonen) minimale verplichting niet van toepassing Geen LOK-vergadering in "
                     "de periode.",
                     "Plussubsidie: kinderen uit kwetsbare gezinnen minimale verplichting niet van toepassing",
                     "Elke vrije plaats melden verdere afspraak in orde 1 van 1 goedkeuring zonder een vooraf gemelde "
                     "vrije plaats; toegestaan: 2.",
                     "Samenwerkingsovereenkomst ondertekend verdere afspraak in orde Ondertekend op 10/01/2026.",
                     "A101 ontvangen 01/07/2026, termijn 15/07/2026, beantwoord op 20/07/2026: 5 dagen te laat",
                     "A101 goedgekeurd op 20/07/2026, start 20/07/2026: geen vrije plaats gemeld die deze start dekt",
                     "Aanvragen tijdig beantwoorden: 50%, lager dan de drempel van 90%."):
        assert expected in text
    assert "A102" not in text  # answered in time: no evidence


# --- the Excel annex ---------------------------------------------------------------------------------------------

FORMULA_LIKE = '=HYPERLINK("x")'


@pytest.fixture(scope="module")
def annex():
    return openpyxl.load_workbook(io.BytesIO(evidence_xlsx(make_letter(provider_name=FORMULA_LIKE))))


def values(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_annex_has_its_sheets_with_bold_frozen_headers(annex):
    assert annex.sheetnames == ["Periode", "Oordelen", "Bewijs", "Drempels"]
    headers = {"Periode": ("Gegeven", "Waarde"),
               "Oordelen": ("Verplichting", "Categorie", "Oordeel", "Toelichting", "Aandeel"),
               "Bewijs": ("Verplichting", "Bewijs", "Toelichting"), "Drempels": ("Instelling", "Waarde")}
    for name, header in headers.items():
        sheet = annex[name]
        assert values(sheet)[0] == header
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.freeze_panes == "A2"


def test_the_annex_period_sheet_has_real_dates(annex):
    rows = values(annex["Periode"])
    assert rows[1:] == [("Gemeente", "Aalst"), ("Opvang", FORMULA_LIKE), ("Dossiernummer", "P123"),
                        ("Adres", "Kerkstraat 12, 9300 Aalst"), ("Subsidietrap", "3"),
                        ("Periode van", datetime(2026, 6, 1)), ("Periode tot en met", datetime(2026, 11, 1)),
                        ("Opgemaakt op", datetime(2026, 11, 5)), ("Opgemaakt door", "Eline Coördinator")]
    assert annex["Periode"]["B7"].is_date and annex["Periode"]["B7"].number_format == "dd/mm/yyyy"
    assert annex["Periode"]["B3"].data_type == "s"  # text that looks like a formula stays text


def test_the_annex_verdicts_evidence_and_thresholds(annex):
    verdicts = values(annex["Oordelen"])
    assert [r[:3] for r in verdicts[1:]] == [
        ("Aanvragen tijdig beantwoorden", "minimale verplichting", "tekort"),
        ("Infopagina volledig", "minimale verplichting", "tekort"),
        ("Lokaal beleid (LOK bijwonen)", "minimale verplichting", "tekort"),
        ("Plussubsidie: kinderen uit kwetsbare gezinnen", "minimale verplichting", "tekort"),
        ("Statussen correct gebruiken", "verdere afspraak", "tekort"),
        ("Elke vrije plaats melden", "verdere afspraak", "in orde"),
        ("Samenwerkingsovereenkomst ondertekend", "verdere afspraak", "tekort")]
    assert [r[4] for r in verdicts[1:]] == [0.5, None, None, 0.2, None, None, None]
    assert "%" in annex["Oordelen"]["E2"].number_format
    assert verdicts[1][3] == "2 van 4 aanvragen tijdig beantwoord (50%); minimum 90%."
    evidence = values(annex["Bewijs"])
    assert [r[1] for r in evidence[1:]] == ["A3", "A5", "foto of logo",
                                           "tarief (inkomensgerelateerd of vaste prijs per dag)",
                                           datetime(2026, 9, 15), "A7", "A8", "A9", "A12"]
    assert annex["Bewijs"]["B6"].is_date
    assert evidence[2] == ("Aanvragen tijdig beantwoorden", "A5",
                           "ontvangen 01/07/2026, termijn 15/07/2026, beantwoord op 16/07/2026: 1 dag te laat")
    thresholds = values(annex["Drempels"])
    assert ("Termijn om te antwoorden", "14 dagen") in thresholds
    assert ("Minimum tijdig beantwoord", "90%") in thresholds
    assert len(thresholds) == 10


# --- the input ---------------------------------------------------------------------------------------------------

def test_a_letter_refuses_a_bad_period_missing_verdicts_and_unknown_advice_keys():
    with pytest.raises(ValueError, match="Ongeldige periode"):
        make_letter(date_from=date(2026, 11, 2))
    verdicts = by_hand()
    del verdicts["agreement"]
    with pytest.raises(ValueError, match="agreement"):
        make_letter(verdicts=verdicts)
    with pytest.raises(ValueError, match="premie"):
        make_letter(overrides={"premie": OVERRIDE})


def test_the_templates_are_found_beside_the_module():
    assert re.search(r"llko/compliance/templates$", documents.TEMPLATES.as_posix())
    assert {"letter.html", "signal.html", "advice.html", "letter.css"} <= {
        p.name for p in documents.TEMPLATES.iterdir()}


def test_the_address_names_the_deelgemeente_once():
    from llko.compliance.letters import postal_address

    assert postal_address("Kerkstraat 1, 9400 Okegem", "Okegem") == "Kerkstraat 1, 9400 Okegem"
    assert postal_address("Kerkstraat 1, 9400 okegem", "Okegem") == "Kerkstraat 1, 9400 okegem"
    assert postal_address("Kerkstraat 1", "Okegem") == "Kerkstraat 1, Okegem"
    assert postal_address("", "Okegem") == "Okegem"
    assert postal_address(None, None) is None


def test_a_long_list_of_evidence_is_summed_up_in_the_letter_and_given_whole_in_an_annex():
    late = [{"id": f"A{n:03d}", "received": date(2026, 7, 1), "deadline": date(2026, 7, 15),
             "answered_on": date(2026, 7, 20), "days_late": 5} for n in range(100, 120)]
    verdicts = {**by_hand(), "answering": Verdict("answering", SHORTCOMING, [r["id"] for r in late], 0.5, {
        "counted": 40, "in_time": 20, "late": 20, "late_requests": late})}
    pdf = signal_pdf(make_letter(verdicts=verdicts))
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    text = " ".join(pages)
    # 20 late requests, 2 infopagina items, 1 LOK date, 3 statuses, 1 vacancy: 27 pieces, more than 12
    assert ("Aanvragen tijdig beantwoorden 20 A100, A101, A102, A103, A104 en 15 meer") in text
    assert "De volledige lijst met toelichting staat in de bijlage achteraan." in text
    annex = [p for p in pages if "Bijlage: bewijs" in p]
    assert annex and "Bijlage: bewijs" not in " ".join(pages[:pages.index(annex[0])])  # on pages of its own
    assert all(f"A{n:03d}" in " ".join(pages[pages.index(annex[0]):]) for n in range(100, 120))
    short = words(signal_pdf(make_letter()))  # 9 pieces: the table stays in the body
    assert "Bijlage: bewijs" not in short and "Eerste bewijsstukken" not in short
