"""The providers' master data (issue 15): the service that changes it (a Dutch message naming each bad field, one
transaction with an audit entry, nothing written on a refusal) and the Opvang page on a small town written by hand:
today's list with the stopped providers apart, and per provider its data, requests, free places, agreement, LOK
attendance and infopagina."""

from datetime import date

import pandas as pd
import pytest

from apptest import errors, page, read_csv, table
from llko import audit
from llko.agreements import service as agreements
from llko.infopagina import service as infopagina
from llko.providers import service
from llko.providers.queries import provider_details
from llko.registers.export import columns
from llko.vacancies import service as vacancies
from test_attachments import real_pdf
from tests.helpers import audited, labelled, rows, town_of

T = date(2026, 11, 2)  # the app's 'today' in these tests
# P1: one open request received 01/10 (overdue on 02/11), one approved in time; P2: one request in time; P3 stops.
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;datum_antwoord
A1;K1;P1;Het Zonnetje;01/10/2026;01/12/2026;nieuw;01/10/2026;
A2;K2;P1;Het Zonnetje;20/09/2026;01/12/2026;goedgekeurd;25/09/2026;25/09/2026
A3;K3;P2;Het Nest;25/10/2026;15/11/2026;nieuw;25/10/2026;
A4;K4;P3;De Regenboog;01/09/2026;01/10/2026;geannuleerd door ouder;05/09/2026;
"""
PLACE = {"vanaf": date(2026, 11, 9), "tot": None, "dagen": ["ma", "di"], "dagdeel": "dag", "plaatsen": 2,
         "leeftijd": "baby", "soort": "vast", "opmerking": ""}


@pytest.fixture
def town(db_url, app_env, engine):
    app_env(db_url)
    return town_of(engine, EXPORT, T, ("zon", "Zon", "P1"))


def master(engine, provider_id):
    frame = provider_details(engine).set_index("id")
    return {k: (None if pd.isna(v) else int(v) if k == "licensed_places" else v)
            for k, v in frame.loc[provider_id].items()}


# --- the service --------------------------------------------------------------------------------------------


def test_a_change_is_stored_normalised_and_audited(town):
    changes = service.update_provider(town, "coord", "P1", kind=" Groepsopvang ", subsidy_level="2a",
                                      licensed_places="14", district=" Okegem ", email="info@zonnetje.be",
                                      started_on=date(2015, 3, 1))
    assert changes == {"kind": (None, "groepsopvang"), "subsidy_level": (None, "2A"), "licensed_places": (None, 14),
                       "district": (None, "Okegem"), "email": (None, "info@zonnetje.be"),
                       "started_on": (None, date(2015, 3, 1))}
    assert master(town, "P1") == {
        "name": "Het Zonnetje", "kind": "groepsopvang", "subsidy_level": "2A", "licensed_places": 14, "address": None,
        "district": "Okegem", "email": "info@zonnetje.be", "phone": None, "contact_person": None,
        "started_on": date(2015, 3, 1), "stopped_on": None}
    [(actor, detail)] = audited(town, "provider_updated")
    assert actor == "coord" and detail["opvang"] == "P1"
    assert detail["changes"]["subsidy_level"] == [None, "2A"] and detail["changes"]["started_on"] == [None, "2015-03-01"]
    entry = rows(town, "SELECT detail FROM audit_log WHERE action = 'provider_updated'")[0][0]
    assert audit.describe("provider_updated", entry) == (
        "opvang P1: soort – → groepsopvang; subsidietrap – → 2A; vergunde plaatsen – → 14; deelgemeente – → Okegem; "
        "e-mail – → info@zonnetje.be; gestart op – → 01/03/2015")
    assert audit.ACTION_LABELS["provider_updated"] == "Opvanggegevens gewijzigd"


def test_every_bad_field_is_named_in_dutch_and_nothing_is_written(town):
    before = master(town, "P1")
    with pytest.raises(service.ProviderRefused) as refused:
        service.update_provider(town, "coord", "P1", name="  ", kind="kinderdagverblijf", subsidy_level="4",
                                licensed_places="-2", email="info.zonnetje.be", district="Okegem",
                                started_on="31/02/2020", phone="0" * 51)
    assert refused.value.problems == {
        "name": "Naam: vul de naam van de opvang in.",
        "kind": "Soort: kies groepsopvang of gezinsopvang, of laat het veld leeg (niet 'kinderdagverblijf').",
        "subsidy_level": "Subsidietrap: kies 0, 1, 2A, 2B of 3, of laat het veld leeg (niet '4').",
        "licensed_places": "Vergunde plaatsen: een geheel getal van minstens 0 (niet '-2').",
        "email": "E-mail: een e-mailadres bevat een @ (niet 'info.zonnetje.be').",
        "started_on": "Gestart op: een datum als dd/mm/jjjj (niet '31/02/2020').",
        "phone": "Telefoon: hoogstens 50 tekens (nu 51).",
    }
    with pytest.raises(service.ProviderRefused) as fraction:
        service.update_provider(town, "coord", "P1", licensed_places=2.5)
    assert fraction.value.problems == {"licensed_places": "Vergunde plaatsen: een geheel getal van minstens 0 (niet '2.5')."}
    assert master(town, "P1") == before  # not even the good district
    assert audited(town, "provider_updated") == []


def test_a_provider_does_not_stop_before_it_started(town):
    service.update_provider(town, "coord", "P1", started_on=date(2020, 3, 1))
    with pytest.raises(service.ProviderRefused) as refused:  # the stored start counts when only the stop is given
        service.update_provider(town, "coord", "P1", stopped_on=date(2020, 2, 29))
    assert refused.value.problems == {"stopped_on": "Gestopt op: 29/02/2020 ligt vóór de start (01/03/2020)."}
    assert master(town, "P1")["stopped_on"] is None
    assert service.update_provider(town, "coord", "P1", stopped_on=date(2020, 3, 1)) == {
        "stopped_on": (None, date(2020, 3, 1))}  # the same day is allowed


def test_blank_clears_unchanged_writes_nothing_and_an_unknown_provider_is_refused(town):
    service.update_provider(town, "coord", "P1", email="a@b.be", subsidy_level="3")
    assert service.update_provider(town, "coord", "P1", email="a@b.be", subsidy_level="3") == {}
    assert len(audited(town, "provider_updated")) == 1  # nothing changed: no entry
    assert service.update_provider(town, "coord", "P1", email="  ", subsidy_level=None) == {
        "email": ("a@b.be", None), "subsidy_level": ("3", None)}
    with pytest.raises(ValueError, match="Onbekende opvang 'P9'."):
        service.update_provider(town, "coord", "P9", name="X")
    with pytest.raises(ValueError, match="Onbekend veld: kleur."):
        service.update_provider(town, "coord", "P1", kleur="rood")


def test_an_edit_keeps_what_someone_else_changed_meanwhile(town):
    seen = master(town, "P1")  # what the form showed
    service.update_provider(town, "ander", "P1", phone="054 11 22 33", email="x@y.be")  # someone else, meanwhile
    # This editor changed only the contact person (the form sends every field): the other's phone stays.
    form = {**seen, "contact_person": "Ann"}
    assert service.update_provider(town, "coord", "P1", seen=seen, **form) == {"contact_person": (None, "Ann")}
    assert master(town, "P1")["phone"] == "054 11 22 33"
    # A third editor, with the same old form, changed the e-mail the other had changed too: refused, nothing written.
    with pytest.raises(ValueError) as conflict:
        service.update_provider(town, "coord", "P1", seen=seen, **{**seen, "email": "mijn@adres.be"})
    assert str(conflict.value) == ("De gegevens van deze opvang werden intussen door iemand anders gewijzigd (E-mail); "
                                   "er is niets bewaard. Bekijk de nieuwe gegevens en probeer opnieuw.")
    assert master(town, "P1")["email"] == "x@y.be"


# --- the page -----------------------------------------------------------------------------------------------


def test_the_list_shows_todays_providers_and_keeps_stopped_ones_apart(town):
    service.update_provider(town, "coord", "P1", kind="groepsopvang", subsidy_level="3", licensed_places=18,
                            district="Okegem")
    service.update_provider(town, "coord", "P2", kind="gezinsopvang", licensed_places=4,
                            stopped_on=date(2027, 1, 1))  # stops later: still today's
    service.update_provider(town, "coord", "P3", stopped_on=date(2026, 6, 30))
    at = page("views/opvang.py", "coord").run()
    assert not errors(at)
    assert {m.label: m.value for m in at.metric}["Opvanginitiatieven"] == "2"
    assert {m.label: m.value for m in at.metric}["Vergunde plaatsen"] == "22"
    assert {m.label: m.value for m in at.metric}["Gestopt"] == "1"
    listed = table(at, "Deelgemeente")
    assert list(listed.columns) == ["Opvang", "Dossiernummer", "Soort", "Subsidietrap", "Vergunde plaatsen",
                                    "Deelgemeente", "Gestopt"]
    assert listed[["Opvang", "Dossiernummer", "Soort", "Subsidietrap", "Gestopt"]].astype(object).where(
        listed.notna(), None).values.tolist() == [
        ["Het Nest", "P2", "gezinsopvang", None, "nee (stopt op 01/01/2027)"],
        ["Het Zonnetje", "P1", "groepsopvang", "3", "nee"]]
    gone = table(at, "Gestopt op")
    assert gone[["Opvang", "Dossiernummer", "Gestopt"]].values.tolist() == [["De Regenboog", "P3", "ja"]]
    assert gone["Gestopt op"].tolist() == [date(2026, 6, 30)]
    # The detail offers today's providers first, the stopped one last.
    assert at.selectbox(key="opvang_provider").options == ["Het Nest (P2)", "Het Zonnetje (P1)",
                                                            "De Regenboog (P3) — gestopt"]


def test_the_detail_gathers_everything_known_about_a_provider(town):
    service.update_provider(town, "coord", "P1", subsidy_level="2B", email="info@zonnetje.be",
                            started_on=date(2015, 3, 1))
    vacancies.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    agreements.record_signature(town, "coord", "P1", date(2026, 2, 1), "An Peeters", "verantwoordelijke", T,
                                real_pdf(), "overeenkomst.pdf")
    agreements.add_meeting(town, "coord", date(2026, 3, 10), "Procedure", ["P1", "P2"], T)
    agreements.add_meeting(town, "coord", date(2026, 9, 15), "Vrije plaatsen", ["P2"], T)
    infopagina.record(town, "coord", "P1", date(2026, 10, 1), "loket",
                      {"openingsuren": True, "openingsdagen": True, "contact": True, "foto_logo": False,
                       "tarief": True}, "Loket")
    at = page("views/opvang.py", "coord").run()
    at.selectbox(key="opvang_provider").select("P1").run()
    data = dict(table(at, "Gegeven").values.tolist())
    assert data["Dossiernummer"] == "P1" and data["Subsidietrap"] == "2B" and data["Gestart op"] == "01/03/2015"
    assert data["E-mail"] == "info@zonnetje.be" and data["Gestopt op"] == ""
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Open"] == "1" and tiles["Te laat"] == "1"  # A1: received 01/10, no answer after 14 days
    requests = table(at, "Totaal")
    assert requests[["Beantwoord", "Goedgekeurd", "Totaal"]].values.tolist() == [[1, 1, 2]]
    places = table(at, "Laatst bevestigd")
    assert places[["Vanaf", "Dagen", "Plaatsen", "Leeftijd"]].values.tolist() == [
        [date(2026, 11, 9), "ma, di", 2, "baby (< 18 maanden)"]]
    texts = [m.value for m in at.markdown]
    assert "Ondertekend op 01/02/2026 door An Peeters, verantwoordelijke; scan: overeenkomst.pdf." in texts
    assert "Aanwezig op 1 van de 2 vastgelegde vergaderingen." in texts
    lok = table(at, "Aanwezig")
    assert lok[["Datum", "Aanwezig"]].values.tolist() == [[date(2026, 9, 15), "nee"], [date(2026, 3, 10), "ja"]]
    assert any(t.startswith("Onvolledig bij de laatste controle van het loket (01/10/2026): ontbreekt foto of logo")
               for t in texts)
    # P2: no signature is named as a shortcoming.
    at.selectbox(key="opvang_provider").select("P2").run()
    assert [w.value for w in at.warning] == [
        "Het Nest heeft de samenwerkingsovereenkomst niet ondertekend: dat is op zich een tekortkoming. Leg een "
        "handtekening vast op de pagina Overeenkomst en LOK."]


def test_the_edit_form_saves_changes_and_refuses_bad_values_field_by_field(town):
    at = page("views/opvang.py", "coord").run()
    at.selectbox(key="opvang_provider").select("P1").run()
    labelled(at.text_input, "E-mail").input("info.zonnetje.be")
    labelled(at.selectbox, "Subsidietrap").select("2A")
    labelled(at.button, "Gegevens bewaren").click().run()
    assert errors(at) == ["E-mail: een e-mailadres bevat een @ (niet 'info.zonnetje.be')."]
    assert master(town, "P1")["subsidy_level"] is None and audited(town, "provider_updated") == []
    labelled(at.text_input, "E-mail").input("info@zonnetje.be")
    labelled(at.number_input, "Vergunde plaatsen (leeg: onbekend)").set_value(21)
    labelled(at.button, "Gegevens bewaren").click().run()
    assert not errors(at)
    assert at.success[0].value == ("De gegevens van Het Zonnetje zijn bewaard: subsidietrap, vergunde plaatsen, "
                                   "e-mail gewijzigd.")
    assert (master(town, "P1")["subsidy_level"], master(town, "P1")["licensed_places"]) == ("2A", 21)
    assert [d["changes"] for _, d in audited(town, "provider_updated")] == [
        {"subsidy_level": [None, "2A"], "licensed_places": [None, 21], "email": [None, "info@zonnetje.be"]}]
    assert dict(table(at, "Gegeven").values.tolist())["Vergunde plaatsen"] == "21"


def test_the_download_is_the_opvang_register_sheet(town, downloads):
    service.update_provider(town, "coord", "P1", subsidy_level="2A", licensed_places=18, email="info@zonnetje.be")
    service.update_provider(town, "coord", "P3", stopped_on=date(2026, 6, 30))
    page("views/opvang.py", "coord").run()
    sheet = read_csv(downloads["opvang-20261102.csv"])
    assert list(sheet.columns) == columns("opvang")
    assert sheet[["opvang_id", "naam", "subsidietrap", "vergunde_plaatsen", "email"]].values.tolist() == [
        ["P1", "Het Zonnetje", "2A", "18", "info@zonnetje.be"], ["P2", "Het Nest", "", "", ""],
        ["P3", "De Regenboog", "", "", ""]]  # the stopped one too: the register holds every provider


def test_a_provider_account_cannot_open_the_page(town):
    at = page("views/opvang.py", "zon").run()
    assert errors(at) == ["U hebt geen toegang tot deze pagina."]
    assert not at.dataframe and not at.get("download_button")
