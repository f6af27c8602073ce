"""R10 (issue 15): the agreement and LOK services by hand-made expectations (every refusal in Dutch, a file judged by
its content, nothing written on a refusal, nothing replaced unless asked, every write audited) and the page
Overeenkomst en LOK on a small town written by hand."""

import io
import zipfile
from datetime import date

import pytest

from apptest import errors, page, read_csv, table
from llko import audit
from llko.agreements import queries, service
from llko.files import documents
from llko.providers import service as providers
from llko.registers.export import columns
from test_attachments import real_pdf
from tests.helpers import audited, described, labelled, rows, town_of

T = date(2026, 11, 2)  # the app's 'today' in these tests
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status
A1;K1;P1;Het Zonnetje;01/10/2026;nieuw;01/10/2026
A2;K2;P2;Het Nest;05/10/2026;nieuw;05/10/2026
A3;K3;P3;De Regenboog;06/10/2026;nieuw;06/10/2026
"""
PDF = real_pdf()  # a file is judged by its structure: a real PDF
FAKE_PDF = b"PK\x03\x04 dit is een zip-bestand met een PDF-naam"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"})
ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


@pytest.fixture
def town(db_url, app_env, engine):
    app_env(db_url)
    return town_of(engine, EXPORT, T, ("zon", "Zon", "P1"))


def written(engine):
    """Everything R10's services could write."""
    return {table_: rows(engine, f"SELECT count(*) FROM {table_}")[0][0] for table_ in
            ("agreements", "lok_meetings", "lok_attendance", "procedure_evaluations")} | {
        "audit": rows(engine, "SELECT count(*) FROM audit_log WHERE action NOT IN ('import', 'user_created')")[0][0]}


NOTHING = {"agreements": 0, "lok_meetings": 0, "lok_attendance": 0, "procedure_evaluations": 0, "audit": 0}


# --- files judged by their content --------------------------------------------------------------------------


def test_a_file_is_judged_by_its_content_not_its_name():
    assert [documents.kind_of(d) for d in (PDF, DOCX, ODT, ODS, XLSX, FAKE_PDF, b"", b"%PDF")] == [
        "pdf", "docx", "odt", None, None, None, None, None]
    assert documents.check_scan(PDF) == "pdf"
    assert documents.check_minutes(DOCX) == "docx" and documents.check_minutes(ODT) == "odt"
    for data in (DOCX, FAKE_PDF, b"Beste, hierbij de scan"):
        with pytest.raises(documents.FileRefused) as refused:
            documents.check_scan(data)
        assert str(refused.value) == ("Dit bestand is geen PDF (de inhoud is geen PDF-document, wat de naam ook zegt); "
                                      "scan de ondertekende overeenkomst als PDF.")
    with pytest.raises(documents.FileRefused, match="^Dit bestand is geen PDF-, Word- \\(DOCX\\) of OpenDocument-tekst"):
        documents.check_minutes(XLSX)
    with pytest.raises(documents.FileRefused, match="^Het bestand is leeg.$"):
        documents.check_scan(b"")
    documents.check_scan(PDF + b"0" * (documents.MAX_BYTES - len(PDF)))  # exactly 10 MB: accepted
    with pytest.raises(documents.FileRefused, match="^Het bestand is 10,0 MB; hoogstens 10 MB.$"):
        documents.check_scan(PDF + b"0" * (documents.MAX_BYTES - len(PDF) + 1))
    assert documents.file_name("C:\\scans\\overeenkomst zonnetje.PDF", "pdf") == "overeenkomst zonnetje.pdf"
    assert documents.file_name("verslag.doc", "pdf") == "verslag.pdf"
    assert documents.file_name("", "odt") == "document.odt"


# --- the agreement ------------------------------------------------------------------------------------------


def test_a_signature_is_recorded_with_its_scan_and_audited(town):
    agreement_id = service.record_signature(town, "coord", "P1", date(2026, 2, 1), " An Peeters ", "verantwoordelijke",
                                            T, PDF, "scan zonnetje.pdf")
    listed = queries.signatures(town)
    assert listed[["id", "provider_id", "signed_on", "signatory", "function", "scan_name", "has_scan"]].values.tolist() \
        == [[agreement_id, "P1", date(2026, 2, 1), "An Peeters", "verantwoordelijke", "scan zonnetje.pdf", True]]
    assert queries.scan(town, agreement_id) == ("scan zonnetje.pdf", PDF)
    assert described(town, "agreement_signed") == [
        "opvang P1, ondertekend op 01/02/2026 door An Peeters (verantwoordelijke), scan scan zonnetje.pdf"]
    assert audit.ACTION_LABELS["agreement_signed"] == "Ondertekende overeenkomst vastgelegd"
    latest = queries.latest_signatures(town).set_index("provider_id")
    assert latest.loc["P1", "signed_on"] == date(2026, 2, 1) and bool(latest.loc["P1", "has_scan"])
    assert latest.loc["P2", "signed_on"] is None and not latest.loc["P2", "has_scan"]


def test_a_fake_pdf_is_refused_by_its_content_and_nothing_is_written(town):
    with pytest.raises(service.Refused) as refused:
        service.record_signature(town, "coord", "P1", date(2026, 2, 1), "An", "verantwoordelijke", T, FAKE_PDF,
                                 "overeenkomst.pdf")
    assert refused.value.problems == {"scan": "Scan: Dit bestand is geen PDF (de inhoud is geen PDF-document, wat de "
                                              "naam ook zegt); scan de ondertekende overeenkomst als PDF."}
    with pytest.raises(service.Refused) as too_big:
        service.record_signature(town, "coord", "P1", date(2026, 2, 1), "An", "verantwoordelijke", T,
                                 PDF + b" " * documents.MAX_BYTES, "groot.pdf")
    assert too_big.value.problems == {"scan": "Scan: Het bestand is 10,0 MB; hoogstens 10 MB."}
    assert written(town) == NOTHING


def test_every_missing_or_wrong_field_is_named_and_nothing_is_written(town):
    with pytest.raises(service.Refused) as refused:
        service.record_signature(town, "coord", "P1", date(2026, 11, 3), " ", "x" * 121, T)
    assert refused.value.problems == {
        "signed_on": "Ondertekend op: 03/11/2026 ligt in de toekomst.",
        "signatory": "Ondertekenaar: vul in wie de overeenkomst ondertekende.",
        "function": "Functie: hoogstens 120 tekens.",
    }
    with pytest.raises(ValueError, match="^Onbekende opvang 'P9'.$"):
        service.record_signature(town, "coord", "P9", T, "An", "directeur", T)
    assert written(town) == NOTHING


def test_nothing_is_replaced_silently(town):
    first = service.record_signature(town, "coord", "P1", date(2026, 2, 1), "An", "verantwoordelijke", T)
    with pytest.raises(service.Refused) as twice:
        service.record_signature(town, "coord", "P1", date(2026, 2, 1), "Bert", "directeur", T, PDF, "b.pdf")
    assert twice.value.problems == {"signed_on": "Ondertekend op: voor Het Zonnetje is al een handtekening van "
                                                 "01/02/2026 vastgelegd; er is niets gewijzigd. Voeg er zo nodig de "
                                                 "scan aan toe."}
    assert rows(town, "SELECT signatory, scan_name FROM agreements") == [("An", None)]
    service.attach_scan(town, "coord", first, PDF, "eerste.pdf")
    with pytest.raises(ValueError) as again:
        service.attach_scan(town, "coord", first, PDF + b"%v2", "tweede.pdf")
    assert str(again.value) == ("Deze handtekening heeft al een scan (eerste.pdf); er is niets gewijzigd. Kies "
                                "‘bestaande scan vervangen’ om ze te vervangen.")
    with pytest.raises(documents.FileRefused):
        service.attach_scan(town, "coord", first, FAKE_PDF, "nep.pdf", replace=True)
    assert queries.scan(town, first) == ("eerste.pdf", PDF)
    service.attach_scan(town, "coord", first, PDF + b"%v2", "tweede.pdf", replace=True)
    assert queries.scan(town, first) == ("tweede.pdf", PDF + b"%v2")
    assert described(town, "agreement_scan_added") == [
        "opvang P1, handtekening van 01/02/2026: scan eerste.pdf",
        "opvang P1, handtekening van 01/02/2026: scan tweede.pdf (vervangt eerste.pdf)"]
    # A later signature is added beside the first; the latest counts.
    service.record_signature(town, "coord", "P1", date(2026, 10, 1), "Bert", "directeur", T)
    assert len(queries.signatures(town, ("P1",))) == 2
    assert queries.latest_signatures(town).set_index("provider_id").loc["P1", "signatory"] == "Bert"


# --- the LOK ------------------------------------------------------------------------------------------------


def test_a_meeting_with_attendance_and_minutes_is_recorded_and_audited(town):
    meeting_id = service.add_meeting(town, "coord", date(2026, 3, 10), " Evaluatie procedure ", ["P2", "P1", "P1"], T,
                                     DOCX, "verslag LOK.docx")
    [meeting] = queries.meetings(town)
    assert meeting == queries.Meeting(id=meeting_id, held_on=date(2026, 3, 10), subject="Evaluatie procedure",
                                      attending=("P1", "P2"), minutes_name="verslag LOK.docx")
    assert queries.minutes(town, meeting_id) == ("verslag LOK.docx", DOCX)
    assert described(town, "lok_meeting_added") == [
        "10/03/2026, Evaluatie procedure; aanwezig: P1, P2; verslag verslag LOK.docx"]
    service.set_attendance(town, "coord", meeting_id, ["P2", "P3"])
    assert queries.meetings(town)[0].attending == ("P2", "P3")
    assert service.set_attendance(town, "coord", meeting_id, ["P3", "P2"]) == ([], [])  # no change: no entry
    assert described(town, "lok_attendance_changed") == ["10/03/2026: erbij P3, eraf P1"]
    service.attach_minutes(town, "coord", meeting_id, ODT, "verslag.odt", replace=True)
    assert queries.minutes(town, meeting_id) == ("verslag.odt", ODT)
    assert described(town, "lok_minutes_added") == ["10/03/2026: verslag verslag.odt (vervangt verslag LOK.docx)"]


def test_a_bad_meeting_is_refused_field_by_field_and_nothing_is_written(town):
    with pytest.raises(service.Refused) as refused:
        service.add_meeting(town, "coord", date(2026, 11, 3), "", ["P1", "P9"], T, XLSX, "verslag.docx")
    assert refused.value.problems == {
        "held_on": "Datum: 03/11/2026 ligt in de toekomst; leg een vergadering vast nadat ze plaatsvond.",
        "subject": "Onderwerp: vul het onderwerp van de vergadering in.",
        "attending": "Aanwezig: onbekende opvang P9.",
        "minutes": "Verslag: Dit bestand is geen PDF-, Word- (DOCX) of OpenDocument-tekst (ODT); de inhoud telt, niet "
                   "de naam. Bewaar het verslag in een van die vormen.",
    }
    assert written(town) == NOTHING
    service.add_meeting(town, "coord", date(2026, 3, 10), "Procedure", ["P1"], T)
    before = written(town)
    with pytest.raises(service.Refused) as same_day:
        service.add_meeting(town, "coord", date(2026, 3, 10), "Nog een", ["P2"], T)
    assert same_day.value.problems == {"held_on": "Datum: op 10/03/2026 is al een LOK-vergadering vastgelegd; pas die "
                                                  "aan in plaats van een nieuwe te maken."}
    meeting_id = queries.meetings(town)[0].id
    with pytest.raises(service.Refused, match="Aanwezig: onbekende opvang P9."):
        service.set_attendance(town, "coord", meeting_id, ["P9"])
    service.attach_minutes(town, "coord", meeting_id, PDF, "v.pdf")
    with pytest.raises(ValueError, match="^Deze vergadering heeft al een verslag \\(v.pdf\\); er is niets gewijzigd."):
        service.attach_minutes(town, "coord", meeting_id, DOCX, "w.docx")
    assert written(town) == {**before, "audit": before["audit"] + 1}  # the minutes only
    assert queries.meetings(town)[0].attending == ("P1",)


def test_the_yearly_evaluation_with_the_lok_advice(town):
    meeting_id = service.add_meeting(town, "coord", date(2026, 10, 20), "Evaluatie", ["P1"], T)
    assert service.record_evaluation(town, "coord", 2026, "Vlot, 2 opvang te laat", "Herinner sneller", T,
                                     meeting_id) is False
    [evaluation] = queries.evaluations(town).to_dict("records")
    assert {k: evaluation[k] for k in ("year", "meeting_id", "meeting_on", "findings", "advice", "recorded_by")} == {
        "year": 2026, "meeting_id": meeting_id, "meeting_on": date(2026, 10, 20), "findings": "Vlot, 2 opvang te laat",
        "advice": "Herinner sneller", "recorded_by": "coord"}
    with pytest.raises(service.Refused) as again:
        service.record_evaluation(town, "coord", 2026, "Anders", "Ander advies", T)
    assert again.value.problems == {"year": "Jaar: voor 2026 is al een evaluatie vastgelegd; er is niets gewijzigd. "
                                            "Kies ‘bestaande evaluatie vervangen’ om ze te herschrijven."}
    with pytest.raises(service.Refused) as bad:
        service.record_evaluation(town, "coord", 2027, " ", "", T)
    assert bad.value.problems == {
        "year": "Jaar: een jaar van 2000 tot en met 2026 (niet '2027').",
        "findings": "Evaluatie: beschrijf hoe de procedure dit jaar liep.",
        "advice": "Advies van het LOK: vul het advies in (of schrijf dat het LOK geen advies gaf)."}
    assert service.record_evaluation(town, "coord", 2026, "Anders", "Ander advies", T, replace=True) is True
    assert queries.evaluations(town)[["findings", "meeting_on"]].values.tolist() == [["Anders", None]]
    [(_, replaced)] = audited(town, "procedure_evaluation_replaced")
    assert replaced["vorige"] == {"evaluatie": "Vlot, 2 opvang te laat", "advies": "Herinner sneller"}
    assert described(town, "procedure_evaluated") == ["jaar 2026, advies van het LOK van 20/10/2026"]


# --- the page -----------------------------------------------------------------------------------------------


def test_the_unsigned_come_first_as_a_shortcoming(town):
    service.record_signature(town, "coord", "P1", date(2026, 2, 1), "An Peeters", "verantwoordelijke", T, PDF,
                             "zonnetje.pdf")
    providers.update_provider(town, "coord", "P3", stopped_on=date(2026, 6, 30))  # stopped: not expected to sign
    at = page("views/overeenkomsten.py", "coord").run()
    assert not errors(at)
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Ondertekend"], tiles["Niet ondertekend"]) == ("1 van 2", "1")
    assert at.warning[0].value == ("1 opvanginitiatief ondertekende de samenwerkingsovereenkomst niet: dat is op zich "
                                   "een tekortkoming.")
    assert table(at, "Contactpersoon")[["Opvang", "Dossiernummer"]].values.tolist() == [["Het Nest", "P2"]]
    signed = table(at, "Ondertekend op")
    assert signed[["Opvang", "Ondertekend op", "Ondertekenaar", "Functie", "Scan"]].values.tolist() == [
        ["Het Zonnetje", date(2026, 2, 1), "An Peeters", "verantwoordelijke", "zonnetje.pdf"]]
    # The form offers the unsigned first.
    assert labelled(at.selectbox, "Opvang").options == ["Het Nest (P2)", "Het Zonnetje (P1)"]


def test_a_signature_is_recorded_on_the_page_and_its_scan_downloads(town, downloads):
    at = page("views/overeenkomsten.py", "coord").run()
    labelled(at.selectbox, "Opvang").select("P2")
    labelled(at.date_input, "Ondertekend op").set_value(date(2026, 3, 5))
    labelled(at.text_input, "Ondertekenaar").input("Bart Claes")
    labelled(at.text_input, "Functie").input("zaakvoerder")
    at.file_uploader[0].upload("overeenkomst.pdf", FAKE_PDF, "application/pdf")
    labelled(at.button, "Handtekening bewaren").click().run()
    assert errors(at) == ["Scan: Dit bestand is geen PDF (de inhoud is geen PDF-document, wat de naam ook zegt); scan "
                          "de ondertekende overeenkomst als PDF."]
    assert written(town) == NOTHING
    at.file_uploader[0].upload("overeenkomst.pdf", PDF, "application/pdf")
    labelled(at.button, "Handtekening bewaren").click().run()
    assert not errors(at)
    assert at.success[0].value == "De handtekening van Het Nest van 05/03/2026 is vastgelegd met de scan."
    assert table(at, "Ondertekend op")[["Opvang", "Ondertekenaar", "Scan"]].values.tolist() == [
        ["Het Nest", "Bart Claes", "overeenkomst.pdf"]]
    assert downloads["overeenkomst.pdf"] == PDF
    sheet = read_csv(downloads["overeenkomst-20261102.csv"])
    assert list(sheet.columns) == columns("overeenkomst")
    assert sheet.values.tolist() == [["P2", "05/03/2026", "Bart Claes", "zaakvoerder"]]


def test_a_meeting_is_recorded_with_who_attended_and_who_did_not(town, downloads):
    at = page("views/overeenkomsten.py", "coord").run()
    assert "Geen LOK-vergadering in de voorbije 12 maanden" in at.warning[-1].value
    labelled(at.date_input, "Datum").set_value(date(2026, 10, 20))
    labelled(at.text_input, "Onderwerp").input("Evaluatie van de procedure")
    labelled(at.multiselect, "Aanwezig").set_value(["P1", "P3"])
    labelled(at.button, "Vergadering bewaren").click().run()
    assert not errors(at)
    assert at.success[0].value == "De LOK-vergadering van 20/10/2026 is vastgelegd (2 opvanginitiatieven aanwezig)."
    lok = table(at, "Afwezig")
    assert lok[["Datum", "Onderwerp", "Aantal aanwezig", "Aanwezig", "Afwezig", "Verslag"]].values.tolist() == [
        [date(2026, 10, 20), "Evaluatie van de procedure", 2, "De Regenboog, Het Zonnetje", "Het Nest", "geen"]]
    assert ("Op geen enkele vergadering van de voorbije 12 maanden (het lokale beleid kennen is een "
            "minimumverplichting): Het Nest.") in [m.value for m in at.markdown]
    sheet = read_csv(downloads["lok-20261102.csv"])
    assert list(sheet.columns) == columns("lok")
    assert sheet.values.tolist() == [["20/10/2026", "Evaluatie van de procedure", "P1,P3"]]
    # The same day again is refused, nothing written.
    labelled(at.date_input, "Datum").set_value(date(2026, 10, 20))
    labelled(at.text_input, "Onderwerp").input("Nog eens")
    labelled(at.button, "Vergadering bewaren").click().run()
    assert errors(at) == ["Datum: op 20/10/2026 is al een LOK-vergadering vastgelegd; pas die aan in plaats van een "
                          "nieuwe te maken."]
    assert rows(town, "SELECT count(*) FROM lok_meetings") == [(1,)]


def test_attendance_is_corrected_and_the_minutes_download(town, downloads):
    meeting_id = service.add_meeting(town, "coord", date(2026, 10, 20), "Vrije plaatsen", ["P1"], T, ODT, "verslag.odt")
    at = page("views/overeenkomsten.py", "coord").run()
    assert downloads["verslag.odt"] == ODT
    at.multiselect(key=f"present_{meeting_id}").set_value(["P1", "P2"])
    labelled(at.button, "Aanwezigheden bewaren").click().run()
    assert at.success[0].value == "Aanwezigheden van 20/10/2026 bewaard: erbij Het Nest; eraf niemand."
    assert table(at, "Afwezig")[["Aanwezig", "Afwezig"]].values.tolist() == [["Het Nest, Het Zonnetje", "De Regenboog"]]


def test_a_scan_and_minutes_are_added_later_and_not_replaced_unasked(town, downloads):
    service.record_signature(town, "coord", "P1", date(2026, 2, 1), "An", "verantwoordelijke", T)
    meeting_id = service.add_meeting(town, "coord", date(2026, 10, 20), "Vrije plaatsen", ["P1"], T)
    at = page("views/overeenkomsten.py", "coord").run()
    # Uploaders: the new signature's, a scan for a recorded one, the minutes, the new meeting's.
    at.file_uploader[2].upload("verslag.pdf", FAKE_PDF, "application/pdf")
    labelled(at.button, "Verslag bewaren").click().run()
    assert errors(at) == ["Dit bestand is geen PDF-, Word- (DOCX) of OpenDocument-tekst (ODT); de inhoud telt, niet de "
                          "naam. Bewaar het verslag in een van die vormen."]
    assert queries.minutes(town, meeting_id) is None
    at.file_uploader[2].upload("verslag.docx", DOCX, "application/octet-stream")
    labelled(at.button, "Verslag bewaren").click().run()
    assert at.success[0].value == "Het verslag van 20/10/2026 is bewaard."
    assert table(at, "Afwezig")["Verslag"].tolist() == ["verslag.docx"] and downloads["verslag.docx"] == DOCX
    at.file_uploader[1].upload("getekend.pdf", PDF, "application/pdf")
    labelled(at.button, "Scan bewaren").click().run()
    assert at.success[0].value == "De scan bij de handtekening van Het Zonnetje is bewaard."
    assert table(at, "Ondertekend op")["Scan"].tolist() == ["getekend.pdf"]
    assert downloads["getekend.pdf"] == PDF
    at.file_uploader[1].upload("ander.pdf", PDF + b"%v2", "application/pdf")
    labelled(at.button, "Scan bewaren").click().run()
    assert errors(at) == ["Deze handtekening heeft al een scan (getekend.pdf); er is niets gewijzigd. Kies ‘bestaande "
                          "scan vervangen’ om ze te vervangen."]
    assert queries.scan(town, 1) == ("getekend.pdf", PDF)


def test_the_yearly_evaluation_is_recorded_on_the_page(town):
    service.add_meeting(town, "coord", date(2026, 10, 20), "Evaluatie", ["P1"], T)
    at = page("views/overeenkomsten.py", "coord").run()
    assert {m.label: m.value for m in at.metric}["Evaluatie 2026"] == "nog niet"
    labelled(at.selectbox, "LOK-vergadering die advies gaf (optioneel)").select_index(0)
    labelled(at.text_area, "Evaluatie van de procedure").input("Vlot verlopen")
    labelled(at.text_area, "Advies van het LOK").input("Sneller herinneren")
    labelled(at.button, "Evaluatie bewaren").click().run()
    assert not errors(at)
    assert at.success[0].value == "De evaluatie van 2026 is vastgelegd."
    assert table(at, "Advies van het LOK")[["Jaar", "LOK-vergadering", "Evaluatie", "Advies van het LOK"]].values.tolist() \
        == [["2026", date(2026, 10, 20), "Vlot verlopen", "Sneller herinneren"]]
    assert {m.label: m.value for m in at.metric}["Evaluatie 2026"] == "vastgelegd"


def test_a_provider_account_cannot_open_the_page(town):
    at = page("views/overeenkomsten.py", "zon").run()
    assert errors(at) == ["U hebt geen toegang tot deze pagina."]
    assert not at.dataframe and not at.get("download_button") and not at.get("file_uploader")
