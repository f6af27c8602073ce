"""Settings (DESIGN.md "Settings"): validated, audited, and every figure that depends on one follows a change."""

import json
from datetime import date

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import text
from sqlmodel import Session

from apptest import errors, metrics, page, table
from llko import services, settings
from llko.accounts.auth import create_user
from llko.providers.models import Provider
from llko.reporting.report import build_report
from llko.requests import overview
from llko.requests.importer import import_file
from llko.requests.queries import EVERYTHING, Selection
from llko.settings import DEFAULTS, Settings
from tests.helpers import cli

T = date(2026, 11, 2)
# P1: A1 received 20/10 (deadline 03/11 with 14 days; 27/10 with 7), still 'nieuw'. A2 received 01/10, answered
# 10/10 (9 days: in time with 14, late with 7). A3 received 25/10 'nieuw' (deadline 08/11; with 7: 01/11).
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord
A1;K1;P1;Het Nest;20/10/2026;nieuw;20/10/2026;
A2;K2;P1;Het Nest;01/10/2026;in behandeling;10/10/2026;10/10/2026
A3;K3;P1;Het Nest;25/10/2026;nieuw;25/10/2026;
"""


@pytest.mark.parametrize("key, raw, value", [
    ("answering_min_share", "0.9", 0.9), ("answering_min_share", "0,85", 0.85), ("answering_min_share", "90%", 0.9),
    ("plus_min_share", "30 %", 0.3), ("plus_min_share", "1", 1.0), ("plus_min_share", "0", 0.0),
    ("deadline_days", "1", 1), ("deadline_days", " 21 ", 21), ("statuses_max", "0", 0), ("plus_min_children", "5", 5),
    ("municipality", " Aalst ", "Aalst"),
])
def test_values_are_read_as_a_dutch_user_writes_them(key, raw, value):
    assert settings.parse(key, raw) == pytest.approx(value) if isinstance(value, float) else settings.parse(key, raw) == value


@pytest.mark.parametrize("key, raw, message", [
    ("answering_min_share", "90", "geen aandeel"),  # a bare 90 is refused
    ("answering_min_share", "1,5", "niet tussen 0 en 100%"), ("answering_min_share", "150%", "niet tussen 0 en 100%"),
    ("answering_min_share", "", "geen aandeel"), ("deadline_days", "0", "van 1 tot 3.650"),
    ("deadline_days", "2.5", "geen geheel getal"), ("deadline_days", "-3", "geen geheel getal"),
    ("deadline_days", "3651", "van 1 tot 3.650"), ("due_soon_days", "1000000", "van 1 tot 3.650"),
    ("statuses_max", "-1", "van 0 tot"), ("unreported_max", "twee", "geen geheel getal"),
    ("municipality", "  ", "vul een naam in"), ("onbekend", "1", "Onbekende instelling 'onbekend'"),
    ("deadline_days", "9" * 5000, "te lang voor een getal \\(5.000 tekens\\)"),
    ("answering_min_share", "9" * 5000, "te lang voor een getal"),
])
def test_bad_values_are_refused_in_dutch(key, raw, message):
    with pytest.raises(ValueError, match=message):
        settings.parse(key, raw)


def test_a_refusal_names_the_setting_as_the_page_does():
    with pytest.raises(ValueError) as refused:
        settings.parse("deadline_days", "0")
    assert str(refused.value) == "Antwoordtermijn (dagen): '0' is geen geheel getal van 1 tot 3.650."
    with pytest.raises(ValueError) as long:
        settings.parse("deadline_days", "9" * 5000)
    assert str(long.value) == "Antwoordtermijn (dagen): '999999999999…' is te lang voor een getal (5.000 tekens)."


def test_defaults_are_ninoves():
    assert settings.DEFAULTS == settings.Settings(
        municipality="Ninove", deadline_days=14, due_soon_days=3, answering_min_share=0.90,
        infopagina_max_age_days=365, plus_min_share=0.30, plus_min_children=5, statuses_max=2, lingering_days=60,
        unreported_max=2, vacancy_window_days=30, vacancy_stale_days=28, status_stale_days=14, reminder_max=2,
        reminder_interval_days=7, notify_tries_max=3, coverage_norm=33)


def audit_rows(engine):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT actor, action, detail FROM audit_log WHERE action = 'setting_changed' ORDER BY id"))]


def test_a_change_is_stored_audited_and_a_refusal_changes_nothing(engine):
    assert services.change_setting(engine, "an", "answering_min_share", "85%") == pytest.approx(0.85)
    assert settings.load(engine).answering_min_share == pytest.approx(0.85)
    assert [(a, json.loads(d)) for a, _, d in audit_rows(engine)] == [
        ("an", {"key": "answering_min_share", "old": "90%", "new": "85%"})]
    with pytest.raises(ValueError):
        services.change_setting(engine, "an", "deadline_days", "0")
    with pytest.raises(ValueError):
        services.change_setting(engine, "an", "geheim", "1")
    assert settings.load(engine).deadline_days == 14 and len(audit_rows(engine)) == 1


def test_the_deadline_drives_r2_in_the_report_the_summary_and_the_pages(engine, app_env, monkeypatch):
    app_env(engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("LLKO_TODAY", T.isoformat())
    assert import_file(engine, EXPORT.encode(), "x.csv", T, "test").ok
    create_user(engine, "test", "coord", "Coord", "coordinator", "een-lang-wachtwoord")
    # 14 days: A1 deadline 03/11 (due soon, 1 day left), A2 answered in time, A3 not due soon (6 days left).
    p1 = build_report(engine, T)["providers"]["P1"]
    assert (p1["overdue"], p1["answered"], p1["answered_in_time"]) == (0, 1, 1)
    st.cache_data.clear()
    tiles = metrics(page("views/overzicht.py", "coord").run())
    assert (tiles["Te laat (nog geen antwoord)"], tiles["Termijn loopt af (≤ 3 dagen)"]) == ("0", "1")
    # 7 days: A1 deadline 27/10 -> 6 days late; A2 answered on day 9 -> late; A3 deadline 01/11 -> 1 day late.
    services.change_setting(engine, "coord", "deadline_days", "7")
    p1 = build_report(engine, T)["providers"]["P1"]
    assert (p1["overdue"], p1["answered"], p1["answered_in_time"]) == (2, 1, 0)
    with engine.connect() as conn:  # the stored summary was rebuilt in the same transaction
        assert conn.execute(text("SELECT answered_in_time FROM provider_summary WHERE provider_id = 'P1'")).scalar() == 0
    services.change_setting(engine, "coord", "due_soon_days", "5")
    at = page("views/overzicht.py", "coord").run()  # no cache clearing needed: the settings are part of the key
    tiles = metrics(at)
    assert (tiles["Te laat (nog geen antwoord)"], tiles["Termijn loopt af (≤ 5 dagen)"]) == ("2", "0")
    assert [h.value for h in at.header][0] == "Te laat: nog geen antwoord na 7 dagen"
    late = table(at, "Dagen te laat")
    assert list(zip(late["Aanvraag"], late["Dagen te laat"])) == [("A1", 6), ("A3", 1)]


def test_the_instellingen_page_changes_a_setting(own_demo):
    at = page("views/instellingen.py", "coordinator").run()
    shown = table(at, "Instelling").set_index("Instelling")
    assert shown.loc["Antwoordtermijn (dagen)", "Waarde"] == "14"  # labels, not the keys of the command line
    assert shown.loc["Minimum tijdig beantwoord", "Waarde"] == "90%"
    at.selectbox(key="setting_key").select("answering_min_share").run()
    at.text_input(key="setting_value").input("90")
    at.button[0].click().run()
    assert errors(at) == ["Minimum tijdig beantwoord: '90' is geen aandeel; schrijf 0,9 of 0.9 of 90%."]
    assert settings.load(own_demo).answering_min_share == pytest.approx(0.9)
    at.text_input(key="setting_value").input("80%")
    at.button[0].click().run()
    assert not errors(at) and "Minimaal aandeel tijdig beantwoord (R11 beantwoorden): nu 80%." in [
        s.value for s in at.success]
    assert table(at, "Instelling").set_index("Instelling").loc["Minimum tijdig beantwoord", "Waarde"] == "80%"
    assert settings.load(own_demo).answering_min_share == pytest.approx(0.8)


def test_the_cli_lists_and_sets_settings(db_url):
    listing = cli(db_url, "settings")
    assert listing.returncode == 0
    lines = {line.split()[0]: line for line in listing.stdout.splitlines()}
    assert list(lines) == list(settings.KEYS) and lines["deadline_days"].split()[1] == "14"
    assert cli(db_url, "settings", "set", "due_soon_days", "4").stdout.strip() == "due_soon_days = 4"
    refused = cli(db_url, "settings", "set", "answering_min_share", "90")
    assert refused.returncode == 1 and "geen aandeel" in refused.stderr
    unknown = cli(db_url, "settings", "set", "bestaat_niet", "1")
    assert unknown.returncode == 1 and "Onbekende instelling" in unknown.stderr
    lines = {line.split()[0]: line for line in cli(db_url, "settings").stdout.splitlines()}
    assert "4 (standaard 3)" in lines["due_soon_days"] and "90%" in lines["answering_min_share"]


def test_a_deadline_written_past_the_service_never_gives_stale_figures(engine):
    """settings.save alone (or an edit in SQL) does not rebuild the summary; the counts notice and count live."""
    assert import_file(engine, EXPORT.encode(), "x.csv", T, "test").ok
    settings.save(engine, "sql", "deadline_days", "7")  # no rebuild here
    p1 = build_report(engine, T)["providers"]["P1"]
    assert (p1["answered"], p1["answered_in_time"]) == (1, 0)  # A2 answered on day 9: late with 7 days


@pytest.mark.parametrize("raw, value", [("33", 33.0), ("33,5", 33.5), ("50.0", 50.0)])
def test_the_coverage_norm_is_any_number_above_zero(raw, value):
    from llko import settings

    assert settings.parse("coverage_norm", raw) == value
    assert settings.show("coverage_norm", value) == {33.0: "33", 33.5: "33,5", 50.0: "50"}[value]


@pytest.mark.parametrize("raw", ["0", "-3", "33%", "drie", ""])
def test_a_coverage_norm_of_zero_or_no_number_is_refused_in_dutch(raw):
    from llko import settings

    with pytest.raises(ValueError) as refused:
        settings.parse("coverage_norm", raw)
    assert str(refused.value) == (f"Norm plaatsen per 100 kinderen onder 3: '{raw}' is geen getal groter dan 0 "
                                  "(bv. 33 of 33,5).")


# --- the figures of the pages follow the deadline setting (llko.requests.overview), by hand ------------------------

# T = 02/11/2026; window of the in-time share: deadlines in (04/08, 02/11].
#               received  status / answer          deadline 14 d (default)        deadline 7 d
#   S1 P1 K1    20/10     nieuw                     03/11: due soon (1 left)       27/10: overdue, 6 late
#   S2 P1 K2    28/10     nieuw                     11/11: waiting (9 left)        04/11: due soon (2 left)
#   S3 P1 K3    01/10     goedgekeurd, 12/10        15/10: in time                 08/10: late
#   S4 P2 K4    01/10     niet mogelijk, 10/10      15/10: in time                 08/10: late
#   P9 has no request.
# Default: P1 share 1/1 (S3; S1's deadline is still to come), P2 1/1 (one request: the share is not blank),
# everyone 2/2. With 7 days: P1 0/2 (S3 late, S1 overdue), P2 0/1, everyone 0/3. R5: K4 (niet mogelijk only).
OVERVIEW_FILE = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord
S1;K1;P1;Zonnetje;20/10/2026;nieuw;20/10/2026;
S2;K2;P1;Zonnetje;28/10/2026;nieuw;28/10/2026;
S3;K3;P1;Zonnetje;01/10/2026;goedgekeurd;12/10/2026;12/10/2026
S4;K4;P2;Het Nest;01/10/2026;opvangplan niet mogelijk;10/10/2026;10/10/2026
"""
SEVEN_DAYS = Settings(deadline_days=7)
PER_PROVIDER_COLUMNS = ["provider_id", "name", "open", "overdue", "due_soon", "answered", "answered_in_time",
                        "not_possible", "approved", "total", "in_time_share"]


def overview_town(engine):
    assert import_file(engine, OVERVIEW_FILE.encode(), "o.csv", T, "test").ok
    with Session(engine) as session:
        session.add(Provider(id="P9", name="Leeg"))
        session.commit()


def per_provider_rows(engine, settings, selection=EVERYTHING) -> list[dict]:
    table = overview.per_provider(engine, T, settings, selection)[PER_PROVIDER_COLUMNS]
    return table.astype(object).where(table.notna(), None).to_dict("records")


def test_the_tiles_follow_the_deadline_setting(engine):
    """Kills kpis 30 and shares 8 (the in-time share counted with the default 14 days)."""
    overview_town(engine)
    assert overview.kpis(engine, T, DEFAULTS) == {
        "open": 2, "overdue": 0, "due_soon": 1, "closed_elsewhere_approved": 0, "in_time_rate": 1.0,
        "children_unmet": 1}
    assert overview.kpis(engine, T, SEVEN_DAYS) == {
        "open": 2, "overdue": 1, "due_soon": 1, "closed_elsewhere_approved": 0, "in_time_rate": 0.0,
        "children_unmet": 1}
    assert overview.kpis(engine, T, SEVEN_DAYS, ("P1",)) == {
        "open": 2, "overdue": 1, "due_soon": 1, "closed_elsewhere_approved": 0, "in_time_rate": 0.0}
    assert overview.shares(engine, T, SEVEN_DAYS) == {"in_time_rate": 0.0, "children_unmet": 1}


def test_the_request_detail_follows_the_deadline_setting(engine):
    """Kills classified_requests 20 (R2 classified with 14 days whatever the setting)."""
    overview_town(engine)
    frame = overview.classified_requests(engine, T, SEVEN_DAYS).set_index("id")
    assert frame.loc["S1", "deadline"] == pd.Timestamp("2026-10-27")
    assert bool(frame.loc["S1", "overdue"]) and frame.loc["S1", "days_late"] == 6
    assert not frame.loc["S3", "answered_in_time"]


def test_the_per_provider_table_by_hand(engine):
    """Every provider when nothing is selected (P9 with zeros and a blank share), only the selected ones
    otherwise; a provider with one due request has a share; the setting counts.
    Kills per_provider 9, 19, 21-24, 26, 52 and 67."""
    overview_town(engine)
    blank = {"open": 0, "overdue": 0, "due_soon": 0, "answered": 0, "answered_in_time": 0, "not_possible": 0,
             "approved": 0, "total": 0, "in_time_share": None}
    assert per_provider_rows(engine, DEFAULTS) == [
        {"provider_id": "P1", "name": "Zonnetje", "open": 2, "overdue": 0, "due_soon": 1, "answered": 1,
         "answered_in_time": 1, "not_possible": 0, "approved": 1, "total": 3, "in_time_share": 1.0},
        {"provider_id": "P2", "name": "Het Nest", "open": 0, "overdue": 0, "due_soon": 0, "answered": 1,
         "answered_in_time": 1, "not_possible": 1, "approved": 0, "total": 1, "in_time_share": 1.0},
        {"provider_id": "P9", "name": "Leeg", **blank},
    ]
    assert per_provider_rows(engine, SEVEN_DAYS)[:2] == [
        {"provider_id": "P1", "name": "Zonnetje", "open": 2, "overdue": 1, "due_soon": 1, "answered": 1,
         "answered_in_time": 0, "not_possible": 0, "approved": 1, "total": 3, "in_time_share": 0.0},
        {"provider_id": "P2", "name": "Het Nest", "open": 0, "overdue": 0, "due_soon": 0, "answered": 1,
         "answered_in_time": 0, "not_possible": 1, "approved": 0, "total": 1, "in_time_share": 0.0},
    ]
    new_only = per_provider_rows(engine, DEFAULTS, Selection(statuses=("nieuw",)))
    assert [(r["provider_id"], r["open"], r["total"]) for r in new_only] == [("P1", 2, 2)]
