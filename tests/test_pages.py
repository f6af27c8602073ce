"""Pages through AppTest on the demo town: its figures agree with the report, lists, filters, limits.

Who may open which page: tests/test_navigation.py; exact figures worked out by hand: tests/test_hand_town.py."""

from datetime import timedelta

import pandas as pd
import pytest
import streamlit as st

from apptest import errors, metrics, page, table
from conftest import DEMO_TODAY
from llko.requests import overview, queries, rules
from llko.providers import queries as provider_queries
from llko.db import make_engine
from llko.requests.queries import Selection
from llko.reporting.report import build_report
from llko.settings import DEFAULTS


@pytest.fixture
def demo(demo_url, app_env):
    app_env(demo_url)
    engine = make_engine(demo_url)
    yield engine
    engine.dispose()


def own_ids(engine, username):
    from llko.accounts.auth import user_info

    return user_info(engine, username).provider_ids


def test_overzicht_tiles_agree_with_the_report(demo):
    at = page("views/overzicht.py", "coordinator").run()
    tiles = metrics(at)
    totals = build_report(demo, DEMO_TODAY)["totals"]
    assert tiles["Open aanvragen"] == str(totals["open"])
    assert tiles["Te laat (nog geen antwoord)"] == str(totals["overdue"])
    assert tiles["Kinderen met onvervulde nood"] == str(totals["children_unmet"])
    assert int(tiles["Te laat (nog geen antwoord)"]) > 0


def test_overzicht_lists_overdue_requests_longest_late_first(demo):
    at = page("views/overzicht.py", "coordinator").run()
    late = table(at, "Dagen te laat")
    assert len(late) == build_report(demo, DEMO_TODAY)["totals"]["overdue"]
    assert list(late["Dagen te laat"]) == sorted(late["Dagen te laat"], reverse=True)
    assert (late["Dagen te laat"] > 0).all()
    todos = table(at, "Te doen")
    assert set(todos["Te doen"]) == {"Herinnering sturen", "Afsluiten"}


def test_long_lists_show_the_first_rows_and_say_so(demo, monkeypatch):
    monkeypatch.setattr(overview, "LIST_LIMIT", 3)
    st.cache_data.clear()
    at = page("views/overzicht.py", "coordinator").run()
    st.cache_data.clear()  # no 3-row lists for the tests after this one
    overdue = build_report(demo, DEMO_TODAY)["totals"]["overdue"]
    late = table(at, "Dagen te laat")
    assert len(late) == 3 and metrics(at)["Te laat (nog geen antwoord)"] == str(overdue)
    assert f"De eerste 3 van {overdue} getoond" in [m.value.split(";")[0] for m in at.markdown]


def test_aanvragen_filters_by_provider_and_status(demo):
    at = page("views/aanvragen.py", "coordinator").run()
    providers = provider_queries.providers(demo)
    assert len(table(at, "Tijdig beantwoord (90 dagen)")) == len(providers)
    chosen = providers.iloc[0]
    at.multiselect[0].select(chosen["id"]).run()
    assert list(table(at, "Tijdig beantwoord (90 dagen)")["Opvang"]) == [chosen["name"]]
    at.multiselect[1].select("nieuw").run()
    detail = table(at, "Statusdatum")
    expected = queries.requests(demo, Selection(provider_ids=(chosen["id"],)))
    assert len(detail) == (expected["status"] == "nieuw").sum() > 0
    assert set(detail["Status"]) == {"Nieuw"}


def test_aanvragen_period_filter_and_history(demo):
    at = page("views/aanvragen.py", "coordinator").run()
    start, end = DEMO_TODAY - pd.Timedelta(days=30), DEMO_TODAY
    at.date_input[0].set_value((start.date() if hasattr(start, "date") else start, end)).run()
    detail = table(at, "Statusdatum")
    assert (pd.to_datetime(detail["Ontvangen"]) >= pd.Timestamp(start)).all()
    request_id = detail["Aanvraag"].iloc[0]
    at.selectbox(key="history_request").select(request_id).run()
    history = table(at, "Gezien in momentopname van")
    assert len(history) == len(queries.status_history(demo, request_id)) >= 1


def test_provider_sees_only_its_own_requests(demo):
    ids = own_ids(demo, "opvang01")
    at = page("views/mijn_aanvragen.py", "opvang01").run()
    assert not at.exception
    own = set(queries.requests(demo, Selection(provider_ids=ids))["id"])
    shown = set()
    for frame in at.dataframe:
        shown |= set(frame.value["Aanvraag"])
    assert shown and shown <= own
    classified = overview.classified_requests(demo, DEMO_TODAY, DEFAULTS, Selection(provider_ids=ids))
    assert metrics(at)["Te laat"] == str(int(classified["overdue"].sum()))
    everyone = rules.classify(queries.requests(demo), DEMO_TODAY)
    assert int(classified["overdue"].sum()) == int(everyone[everyone["provider_id"].isin(ids)]["overdue"].sum())


def test_cijfers_tiles_and_table_agree_with_the_report(demo):
    at = page("views/cijfers.py", "beleid").run()
    report = build_report(demo, DEMO_TODAY)
    tiles = metrics(at)
    assert tiles["Aanvragen"] == str(len(queries.requests(demo)))
    assert tiles["Te laat (nu)"] == str(report["totals"]["overdue"])
    assert tiles["Kinderen met onvervulde nood"] == str(report["totals"]["children_unmet"])
    figures = table(at, "Tekort (niet mogelijk)").set_index("Opvang")
    names = provider_queries.providers(demo).set_index("id")["name"]
    for provider_id, counts in report["providers"].items():
        assert figures.loc[names[provider_id], "Tekort (niet mogelijk)"] == counts["not_possible"]
        assert figures.loc[names[provider_id], "Te laat"] == counts["overdue"]


def test_cijfers_chart_shows_the_weakest_providers_when_there_are_many(demo, monkeypatch):
    import ui

    monkeypatch.setattr(ui, "CHART_MAX_BARS", 4)
    at = page("views/cijfers.py", "beleid").run()
    assert not at.exception
    assert any(m.value.startswith("De 4 opvanginitiatieven met het laagste aandeel") for m in at.markdown)
    assert len(table(at, "Tekort (niet mogelijk)")) == len(provider_queries.providers(demo))  # the table keeps them all


def test_policy_maker_sees_figures_without_request_detail(demo):
    at = page("views/cijfers.py", "beleid").run()
    assert not at.exception and not errors(at)
    for frame in at.dataframe:
        assert not {"Aanvraag", "Kind"} & set(frame.value.columns)


@pytest.mark.parametrize("path", ["views/overzicht.py", "views/aanvragen.py", "views/cijfers.py",
                                  "views/importeren.py", "views/gebruikers.py", "views/audit.py"])
def test_pages_render_on_an_empty_database(db_url, app_env, path):
    """A real installation starts empty (no demo): every page explains itself instead of crashing."""
    from llko.accounts.auth import create_user

    app_env(db_url)
    engine = make_engine(db_url)
    create_user(engine, "test", "coord", "Coord", "coordinator", "een-lang-wachtwoord")
    engine.dispose()
    at = page(path, "coord").run()
    assert not at.exception, at.exception
    assert not errors(at)


def test_aanvragen_counts_only_requests_received_in_the_period_shown(own_demo):
    """A request dated after 'today' (a pinned demo day behind a later snapshot) stays out of the default period
    'Ontvangen tussen <first> en <today>'. (A request dated after its own snapshot is refused: test_import_plausibility.)"""
    from llko.requests.importer import import_file

    later_day = DEMO_TODAY + timedelta(days=10)
    later = later_day.strftime("%d/%m/%Y")
    export = f"aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status\nLATER1;KX;KO-X;{later};nieuw;{later}\n"
    assert import_file(own_demo, export.encode(), "later.csv", later_day, "test").ok
    st.cache_data.clear()
    at = page("views/aanvragen.py", "coordinator").run()
    received = pd.to_datetime(queries.requests(own_demo)["received"])
    shown = [m.value.split(",")[0] for m in at.markdown if " aanvragen in deze selectie" in m.value]
    assert shown == [f"{int((received <= pd.Timestamp(DEMO_TODAY)).sum())} aanvragen in deze selectie"]
    assert "KO-X" not in set(table(at, "Tijdig beantwoord (90 dagen)")["Opvang"])


@pytest.mark.parametrize("path, user", [("views/overzicht.py", "coordinator"), ("views/aanvragen.py", "coordinator"),
                                        ("views/mijn_aanvragen.py", "opvang01"), ("views/importeren.py", "coordinator")])
def test_every_date_column_on_screen_reads_dd_mm_jjjj(own_demo, path, user):
    import json

    from llko.requests.importer import import_file

    assert import_file(own_demo, b"aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status\n"
                       b"Z1;KZ;KO-Z;01/10/2026;nieuw;01/10/2026\n", "z.csv", DEMO_TODAY, "test").ok
    st.cache_data.clear()
    at = page(path, user).run()
    formats = [config["type_config"].get("format") for frame in at.dataframe
               for config in json.loads(frame.proto.columns or "{}").values()
               if config.get("type_config", {}).get("type") == "date"]
    assert formats and set(formats) == {"DD/MM/YYYY"}


def test_the_audit_page_shows_the_last_30_days_by_default(own_demo, monkeypatch):
    """The audit's default window is 30 days back from the real today (entries carry real moments)."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import text

    now = datetime.now(timezone.utc)
    monkeypatch.setenv("LLKO_TODAY", now.date().isoformat())
    with own_demo.begin() as conn:
        for actor, days in (("tien.dagen", 10), ("veertig.dagen", 40)):
            conn.execute(text("INSERT INTO audit_log (at, actor, action, detail) VALUES (:at, :a, 'login', '')"),
                         {"at": now - timedelta(days=days), "a": actor})
    at = page("views/audit.py", "coordinator").run()
    assert at.date_input(key="audit_since").value == now.date() - timedelta(days=30)
    who = set(table(at, "Wie")["Wie"])
    assert "tien.dagen" in who and "veertig.dagen" not in who
