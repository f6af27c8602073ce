"""The free-place pages through AppTest on a small town written by hand: a provider reports, confirms and closes its
own places; the coordinator sees them on a chosen day with the waiting children that fit, notes a referral, and
sees what is new since the last visit."""

from datetime import date

import pytest

from apptest import errors, page, table
from llko.accounts import auth
from llko.requests.importer import import_file
from llko.vacancies import service
from tests.helpers import rows, town_of

T = date(2026, 11, 2)  # the app's 'today' in these tests
# K1 asked at P1 and waits (start 01/12, 3 days); K2 asked at P2 only (start 15/11, 5 days); K3 got a place
# elsewhere (R3: not waiting); K4 found no place anywhere (R5, start 05/11, 2 days, vulnerable).
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;kwetsbaar_gezin;dagen_per_week
A1;K1;P1;Het Zonnetje;01/10/2026;01/12/2026;nieuw;01/10/2026;nee;3
A2;K2;P2;Het Nest;05/10/2026;15/11/2026;in behandeling;06/10/2026;nee;5
A3;K3;P1;Het Zonnetje;02/10/2026;01/12/2026;nieuw;02/10/2026;;
A4;K3;P2;Het Nest;02/10/2026;01/12/2026;goedgekeurd;10/10/2026;;
A5;K4;P2;Het Nest;03/10/2026;05/11/2026;opvangplan niet mogelijk;08/10/2026;ja;2
"""
PLACE = {"vanaf": date(2026, 11, 9), "tot": date(2026, 12, 31), "dagen": ["ma", "di", "wo"], "dagdeel": "dag",
         "plaatsen": 1, "leeftijd": "alle", "soort": "tijdelijk", "opmerking": ""}


@pytest.fixture
def town(db_url, app_env, engine):
    app_env(db_url)
    return town_of(engine, EXPORT, T, ("zon", "Zon", "P1"), ("nest", "Nest", "P2"))


def fill(at, **values):
    at.date_input[0].set_value(values.get("vanaf", PLACE["vanaf"]))
    at.date_input[1].set_value(values.get("tot", PLACE["tot"]))
    at.multiselect[0].set_value(values.get("dagen", PLACE["dagen"]))
    at.radio[0].set_value(values.get("soort", PLACE["soort"]))
    return next(b for b in at.button if b.label == "Vrije plaats melden").click().run()


def test_a_provider_reports_a_temporary_part_time_place(town):
    at = fill(page("views/mijn_vrije_plaatsen.py", "zon").run(), dagen=["ma", "wo"])
    assert not errors(at)
    assert at.success[0].value == "Uw vrije plaats vanaf 09/11/2026 is gemeld aan het loket."
    assert rows(town, "SELECT provider_id, weekdays, kind, places FROM vacancies") == [("P1", "ma,wo", "tijdelijk", 1)]
    listed = table(at, "Toestand")
    assert listed[["Dagen", "Plaatsen", "Soort", "Toestand"]].values.tolist() == [["ma, wo", 1, "tijdelijk", "komt nog"]]
    assert list(listed.columns[:2]) == ["Vanaf", "Toestand"]  # what to act on stays in view on a narrow screen


def test_a_bad_form_names_the_field_and_writes_nothing(town):
    at = fill(page("views/mijn_vrije_plaatsen.py", "zon").run(), dagen=[], tot=date(2026, 11, 1))
    assert errors(at) == ["Vrij tot: 'Tot' ligt vóór 'vanaf' (01/11/2026 < 09/11/2026): een vrije plaats eindigt niet "
                          "voor ze begint.", "Weekdagen: Kies minstens één weekdag."]
    assert rows(town, "SELECT count(*) FROM vacancies") == [(0,)]


def test_a_provider_sees_and_changes_only_its_own_places(town):
    theirs = service.report(town, "nest", "P2", PLACE, T, allowed=("P2",))
    mine = service.report(town, "zon", "P1", {**PLACE, "plaatsen": 2}, T, allowed=("P1",))
    at = page("views/mijn_vrije_plaatsen.py", "zon").run()
    assert table(at, "Toestand")["Plaatsen"].tolist() == [2]
    assert len(at.selectbox(key="own_vacancy").options) == 1  # its own place only, not P2's
    at.button(key="confirm_vacancy").click().run()
    assert at.success[0].value == "Bevestigd: de plaats vanaf 09/11/2026 is nog vrij op 02/11/2026."
    at.button(key="close_filled").click().run()  # closing asks first: nothing closed yet
    assert rows(town, f"SELECT closed_on FROM vacancies WHERE id = {mine}") == [(None,)]
    assert at.warning[0].value.startswith("De plaats vanaf 09/11/2026 afsluiten als ingevuld?")
    at.button(key="close_confirmed").click().run()
    assert rows(town, f"SELECT close_reason FROM vacancies WHERE id = {mine}") == [("ingevuld",)]
    assert rows(town, f"SELECT closed_on, version FROM vacancies WHERE id = {theirs}") == [(None, 1)]
    assert table(at, "Afgesloten op")["Reden"].tolist() == ["ingevuld"]


def test_a_place_closed_by_mistake_is_reopened_with_a_reason_and_keeps_its_history(town):
    mine = service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    service.close(town, "zon", mine, T, "ingevuld", allowed=("P1",))
    at = page("views/mijn_vrije_plaatsen.py", "zon").run()
    assert table(at, "Afgesloten op")["Reden"].tolist() == ["ingevuld"]
    next(b for b in at.button if b.label == "Opnieuw vrij").click().run()  # no reason: refused, nothing changed
    assert errors(at) == ["Reden: schrijf waarom de plaats opnieuw vrij is (bv. per vergissing afgesloten)."]
    assert rows(town, f"SELECT close_reason FROM vacancies WHERE id = {mine}") == [("ingevuld",)]
    next(t for t in at.text_input if t.label == "Reden").input("Per vergissing afgesloten.")
    next(b for b in at.button if b.label == "Opnieuw vrij").click().run()
    assert at.success[0].value == ("De plaats vanaf 09/11/2026 is opnieuw vrij; het afsluiten blijft in haar "
                                   "geschiedenis.")
    assert rows(town, f"SELECT closed_on, close_reason FROM vacancies WHERE id = {mine}") == [(None, None)]
    assert table(at, "Toestand")["Plaatsen"].tolist() == [1]
    assert [a for (a,) in rows(town, f"SELECT action FROM vacancy_history WHERE vacancy_id = {mine} ORDER BY id")] == [
        "reported", "closed", "reopened"]
    (detail,) = [d for (d,) in rows(town, "SELECT detail FROM audit_log WHERE action = 'vacancy_reopened'")]
    assert '"reden": "Per vergissing afgesloten."' in detail and "zon" == rows(
        town, "SELECT actor FROM audit_log WHERE action = 'vacancy_reopened'")[0][0]


def test_another_provider_cannot_reopen_a_place(town):
    mine = service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    service.close(town, "zon", mine, T, "ingevuld", allowed=("P1",))
    with pytest.raises(ValueError):
        service.reopen(town, "nest", mine, "Per vergissing afgesloten.", allowed=("P2",))
    assert rows(town, f"SELECT close_reason FROM vacancies WHERE id = {mine}") == [("ingevuld",)]


def test_the_coordinator_sees_the_place_its_matches_and_notes_a_referral(town):
    service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    at = page("views/vrije_plaatsen.py", "coord").run()
    assert at.metric[0].value == "0"  # nothing free on 02/11: the place starts on 09/11
    at.date_input(key="vacancy_day").set_value(date(2026, 11, 9)).run()
    assert {m.label: m.value for m in at.metric} == {
        "Vrije plaatsen": "1", "Opvanginitiatieven met een vrije plaats": "1", "Nieuwe meldingen sinds uw vorige bezoek": "1",
        "Meldingen niet bevestigd (> 28 dagen)": "0"}
    # Fits (start <= 09/11 + 30 = 09/12, days <= 3): K1 asked here (group 1); K4 unmet (group 2, vulnerable);
    # K2 wants 5 days (> 3 weekdays): out; K3 was approved elsewhere: out.
    matches = table(at, "Waarom")
    assert matches[["Volgorde", "Kind", "Groep", "Waarom"]].values.tolist() == [
        [1, "K1", "vroeg hier aan", "vroeg hier aan; start 01/12/2026; 3 dagen per week"],
        [2, "K4", "onvervulde vraag", "onvervulde opvangvraag (opvangplan niet mogelijk); start 05/11/2026; "
                                      "2 dagen per week; kwetsbaar gezin"]]
    at.selectbox[-1].select("K4")
    at.text_input[0].input("gebeld, interesse")
    at.button[-1].click().run()
    assert at.success[0].value == "Genoteerd: het gezin van K4 werd op 02/11/2026 ingelicht."
    assert table(at, "Ingelicht op")[["Kind", "Door", "Notitie"]].values.tolist() == [["K4", "coord", "gebeld, interesse"]]
    again = page("views/vrije_plaatsen.py", "coord").run()  # a later visit: nothing new since
    assert {m.label: m.value for m in again.metric}["Nieuwe meldingen sinds uw vorige bezoek"] == "0"


def test_the_coordinator_reports_a_place_on_a_providers_behalf(town):
    at = page("views/vrije_plaatsen.py", "coord").run()
    submit = next(b for b in at.button if b.label == "Vrije plaats melden")
    submit.click().run()  # no provider chosen
    assert errors(at) == ["Opvang: kies de opvang die de plaats meldde."]
    assert rows(town, "SELECT count(*) FROM vacancies") == [(0,)]
    at.selectbox(key="on_behalf_provider").select("P2")
    at.date_input[1].set_value(date(2026, 11, 16))
    at.multiselect[0].set_value(["do", "vr"])
    next(b for b in at.button if b.label == "Vrije plaats melden").click().run()
    assert at.success[0].value == "De vrije plaats van Het Nest vanaf 16/11/2026 is vastgelegd."
    assert [(p, w, str(d), k) for p, w, d, k in rows(town, "SELECT provider_id, weekdays, reported_on, kind "
                                                          "FROM vacancies")] == [("P2", "do,vr", "2026-11-02", "vast")]
    assert rows(town, "SELECT actor, action FROM audit_log WHERE action = 'vacancy_reported'") == [
        ("coord", "vacancy_reported")]


@pytest.mark.parametrize("path", ["views/mijn_vrije_plaatsen.py", "views/mijn_infopagina.py"])
def test_a_forged_provider_in_the_widget_state_shows_and_touches_nothing_of_it(town, path):
    """An account of P1 and P3 whose browser sends P2 as the chosen provider: the page stays on its own."""
    more = ("aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status\n"
            "A9;K9;P3;De Kapoen;01/10/2026;nieuw;01/10/2026\n")
    assert import_file(town, more.encode(), "p3.csv", T, "test").ok
    auth.create_user(town, "test", "twee", "Twee", "provider", "een-lang-wachtwoord", ("P1", "P3"))
    service.report(town, "nest", "P2", PLACE, T, allowed=("P2",))
    at = page(path, "twee")
    at.session_state["own_provider"] = "P2"
    at.run()
    assert at.selectbox(key="own_provider").value in ("P1", "P3")
    assert "Het Nest" not in " ".join(m.value for m in at.markdown)
    for frame in at.dataframe:
        assert "P2" not in frame.value.to_string()


def test_the_overview_says_what_the_registers_need_today(town):
    from llko.infopagina import service as infopagina_service

    service.report(town, "zon", "P1", {**PLACE, "vanaf": T, "plaatsen": 2}, T, allowed=("P1",))
    service.report(town, "zon", "P1", {**PLACE, "vanaf": date(2026, 11, 20)}, T, allowed=("P1",))  # not yet free
    infopagina_service.record(town, "nest", "P2", T, "opvang", {i: True for i in (
        "openingsuren", "openingsdagen", "contact", "foto_logo", "tarief")}, allowed=("P2",))
    at = page("views/overzicht.py", "coord").run()
    figures = {m.label: m.value for m in at.metric}
    assert (figures["Vrije plaatsen vandaag"], figures["Infopagina: te bevestigen"],
            figures["Overeenkomst niet ondertekend"]) == ("2", "1", "2")
    assert "Infopagina te bevestigen: Het Nest." in [m.value for m in at.markdown]


def test_the_download_holds_exactly_the_places_on_screen(town, downloads):
    from apptest import read_csv

    service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))  # free from 09/11
    service.report(town, "zon", "P1", {**PLACE, "vanaf": T, "tot": date(2026, 11, 5)}, T, allowed=("P1",))
    at = page("views/vrije_plaatsen.py", "coord").run()
    at.date_input(key="vacancy_day").set_value(date(2026, 11, 9)).run()
    assert [str(v)[:10] for v in table(at, "Opvolging")["Vanaf"]] == ["2026-11-09"]
    [name] = [n for n in downloads.names() if n.startswith("vrije-plaatsen-20261109") and n.endswith(".csv")]
    found = read_csv(downloads[name])
    # the place that ended on 05/11 is not on screen, so not in the file either
    assert found[["Opvang", "Vanaf", "Tot", "Plaatsen"]].values.tolist() == [
        ["Het Zonnetje", "09/11/2026", "31/12/2026", "1"]]


def test_a_providers_own_download_holds_only_its_own_places(town, downloads):
    from apptest import read_csv

    service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    service.report(town, "nest", "P2", {**PLACE, "opmerking": "plaats van het Nest"}, T, allowed=("P2",))
    page("views/mijn_vrije_plaatsen.py", "zon").run()
    [name] = [n for n in downloads.names() if n.endswith(".csv")]
    assert name == "mijn-vrije-plaatsen-P1-20261102.csv"
    found = read_csv(downloads[name])
    assert found[["opvang_id", "vanaf", "plaatsen"]].values.tolist() == [["P1", "09/11/2026", "1"]]
