"""The infopagina pages and their service (R6) on a small town by hand: the loket's checks, a provider's
declaration that waits for confirmation, the confirmation, the reminder, and a provider kept to its own page."""

from datetime import date

import pytest
from sqlalchemy import text

from apptest import errors, page, table
from llko.infopagina import service
from tests.helpers import town_of

T = date(2026, 11, 2)
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status
A1;K1;P1;Het Zonnetje;01/10/2026;nieuw;01/10/2026
A2;K2;P2;Het Nest;01/10/2026;nieuw;01/10/2026
A3;K3;P3;De Kapoen;01/10/2026;nieuw;01/10/2026
"""
ALL = {"openingsuren": True, "openingsdagen": True, "contact": True, "foto_logo": True, "tarief": True}


@pytest.fixture
def town(db_url, app_env, engine):
    app_env(db_url)
    town_of(engine, EXPORT, T, ("zon", "Zon", "P1"))
    # P1: tarief missing at the loket's checks of 01/06 and 01/09 (since 01/06), then declared complete on 20/10.
    service.record(engine, "coord", "P1", date(2026, 6, 1), "loket", {**ALL, "tarief": False}, "Loket")
    service.record(engine, "coord", "P1", date(2026, 9, 1), "loket", {**ALL, "tarief": False}, "Loket")
    service.record(engine, "zon", "P1", date(2026, 10, 20), "opvang", ALL, "Zon", allowed=("P1",))
    # P2: complete on 01/10. P3: never checked.
    service.record(engine, "coord", "P2", date(2026, 10, 1), "loket", ALL, "Loket")
    return engine


def test_the_overview_by_hand(town):
    at = page("views/infopagina.py", "coord").run()
    assert {m.label: m.value for m in at.metric} == {"Volledig": "1", "Onvolledig": "1",
                                                     "Niet (recent) gecontroleerd": "1", "Te bevestigen": "1"}
    shown = table(at, "Ontbreekt (sinds)")
    assert shown[["Opvang", "Toestand", "Ontbreekt (sinds)"]].values.tolist() == [
        ["Het Zonnetje", "onvolledig", "tarief (inkomensgerelateerd of vaste prijs per dag) (sinds 01/06/2026)"],
        ["De Kapoen", "nooit gecontroleerd", ""],
        ["Het Nest", "volledig", ""]]
    reminder = at.code[0].value
    assert reminder.startswith("Beste Het Zonnetje,")
    assert "- tarief (inkomensgerelateerd of vaste prijs per dag)\n" in reminder and "openingsuren" not in reminder
    assert reminder.endswith("Lokaal Loket Kinderopvang Ninove")


def test_confirming_a_declaration_records_a_loket_check_today(town):
    at = page("views/infopagina.py", "coord").run()
    assert "verklaarde op 20/10/2026" in at.warning[0].value
    at.button(key="confirm_declaration").click().run()
    assert at.success[0].value.startswith("Bevestigd: de infopagina van Het Zonnetje")
    with town.connect() as conn:
        latest = conn.execute(text("SELECT checked_on, source, tarief FROM infopagina_checks WHERE provider_id = 'P1' "
                                   "ORDER BY checked_on DESC, source LIMIT 1")).one()
    assert (str(latest[0]), latest[1], bool(latest[2])) == ("2026-11-02", "loket", True)
    assert {m.label: m.value for m in at.metric}["Volledig"] == "2"


def test_a_provider_sees_its_own_state_and_declares(town):
    at = page("views/mijn_infopagina.py", "zon").run()
    assert errors(at) == ["Bij de controle van 01/09/2026 ontbrak: tarief (inkomensgerelateerd of vaste prijs per dag) "
                          "(sinds 01/06/2026)."]
    assert at.info[0].value == "Uw verklaring van 20/10/2026 wacht op bevestiging door het loket."
    at.checkbox(key="declare_foto_logo").uncheck()
    at.button[0].click().run()
    assert at.success[0].value.startswith("Uw verklaring is bewaard")
    with town.connect() as conn:
        rows = conn.execute(text("SELECT provider_id, checked_on, source, foto_logo FROM infopagina_checks "
                                 "WHERE source = 'opvang' ORDER BY checked_on")).all()
    assert [(p, str(d), s, bool(f)) for p, d, s, f in rows] == [("P1", "2026-10-20", "opvang", True),
                                                                ("P1", "2026-11-02", "opvang", False)]


def test_a_provider_cannot_declare_for_another_or_as_the_loket(town):
    for provider_id, source in (("P2", "opvang"), ("P1", "loket")):
        with pytest.raises(ValueError, match=service.NOT_YOURS):
            service.record(town, "zon", provider_id, T, source, ALL, allowed=("P1",))
    with town.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM infopagina_checks")).scalar() == 4


def test_a_provider_withdraws_its_own_declaration_and_the_history_says_who_and_why(town):
    at = page("views/mijn_infopagina.py", "zon").run()
    assert next(s for s in at.selectbox if s.key == "own_infopagina_history_fix_entry").options == [
        "20/10/2026 — verklaring van de opvang"]  # the loket's checks are not the provider's to correct
    next(t for t in at.text_input if t.label.startswith("Reden")).input("Tarief staat er nog niet op.")
    next(b for b in at.button if b.label == "Intrekken").click().run()
    assert at.success[0].value == "De verklaring van de opvang van 20/10/2026 is ingetrokken; ze blijft in de " \
                                  "geschiedenis staan."
    assert not any("wacht op bevestiging" in i.value for i in at.info)
    history = table(at, "Toestand")
    assert str(history["Datum"].iloc[0])[:10] == "2026-10-20"
    assert history["Toestand"].iloc[0].startswith("ingetrokken door Zon op ")
    assert history["Toestand"].iloc[0].endswith(": Tarief staat er nog niet op.")
    assert history["Toestand"].tolist()[1:] == ["geldt", "geldt"]
    coordinator = page("views/infopagina.py", "coord").run()
    assert {m.label: m.value for m in coordinator.metric}["Te bevestigen"] == "0"


@pytest.mark.parametrize("max_age, expected", [("32", "volledig"), ("31", "controle te oud")])
def test_the_page_ages_a_check_by_the_setting_in_force_at_its_boundary_day(town, max_age, expected):
    from llko import settings

    # Het Nest's only loket check is of 01/10/2026: on 02/11/2026 it is 32 days old (not the default 365).
    settings.save(town, "coord", "infopagina_max_age_days", max_age)
    at = page("views/infopagina.py", "coord").run()
    shown = table(at, "Ontbreekt (sinds)").set_index("Opvang")
    assert shown.loc["Het Nest", "Toestand"] == expected
    assert {m.label: m.value for m in at.metric}["Volledig"] == ("1" if expected == "volledig" else "0")
