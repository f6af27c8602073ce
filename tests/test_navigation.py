"""The page registry (ui.PAGES) is the one truth of who may open what: every role (and a signed-out visitor,
and an account that still has a one-time password) x every page, through the page itself and through the
navigation app.py builds."""

from pathlib import Path

import pytest

import ui
from apptest import app, errors, login, page
from conftest import ROOT
from llko.accounts import auth
from llko.bootstrap import DEMO_PASSWORD
from llko.db import make_engine

# Who may open what, written out by hand (not read from ui.PAGES: this is what the registry must say).
EXPECTED_MENUS = {
    "coordinator": ["Overzicht", "Aanvragen", "Vrije plaatsen", "Import", "Infopagina", "Opvang", "Overeenkomst en LOK",
                    "Beleid", "Cijfers", "Naleving", "Dossier", "Meldingen", "Gebruikers", "Audit", "Instellingen",
                    "Mijn account"],
    "opvang01": ["Mijn aanvragen", "Mijn vrije plaatsen", "Mijn infopagina", "Mijn naleving", "Mijn account"],
    "beleid": ["Beleid", "Cijfers", "Naleving", "Mijn account"],
    "eenmalig": ["Mijn account"],  # a one-time password: only the page to change it
    None: [],  # signed out
}
PAGE_FILES = {
    "Overzicht": "views/overzicht.py", "Aanvragen": "views/aanvragen.py", "Mijn aanvragen": "views/mijn_aanvragen.py",
    "Beleid": "views/beleid.py", "Cijfers": "views/cijfers.py", "Import": "views/importeren.py", "Gebruikers": "views/gebruikers.py",
    "Audit": "views/audit.py", "Instellingen": "views/instellingen.py", "Mijn account": "views/mijn_account.py",
    "Vrije plaatsen": "views/vrije_plaatsen.py", "Mijn vrije plaatsen": "views/mijn_vrije_plaatsen.py",
    "Infopagina": "views/infopagina.py", "Mijn infopagina": "views/mijn_infopagina.py",
    "Opvang": "views/opvang.py", "Overeenkomst en LOK": "views/overeenkomsten.py",
    "Naleving": "views/naleving.py", "Dossier": "views/dossier.py", "Mijn naleving": "views/mijn_naleving.py",
    "Meldingen": "views/meldingen.py",
}


def shows_its_data(at, title: str) -> bool:
    """What each page shows when it opens on the demo town (beyond its title)."""
    labels = {m.label for m in at.metric}
    columns = {c for frame in at.dataframe for c in frame.value.columns}
    return {
        "Overzicht": {"Open aanvragen", "Te laat (nog geen antwoord)"} <= labels and "Dagen te laat" in columns,
        "Aanvragen": {"Opvang", "Te laat", "Tijdig beantwoord (90 dagen)"} <= columns,
        "Mijn aanvragen": {"Open", "Te laat"} <= labels,
        "Beleid": {"Aanvragen", "Kinderen met onvervulde nood"} <= labels and "Plaatsen per 100 kinderen" in columns,
        "Cijfers": {"Aanvragen", "Kinderen met onvervulde nood"} <= labels and "Tekort (niet mogelijk)" in columns,
        "Import": bool(at.get("file_uploader")),
        "Gebruikers": {"Gebruikersnaam", "Rol"} <= columns,
        "Audit": {"Wanneer", "Wie", "Actie"} <= columns,
        "Instellingen": {"Instelling", "Waarde", "Standaard"} <= columns,
        "Mijn account": any(t.label == "Huidig wachtwoord" for t in at.text_input),
        "Vrije plaatsen": {"Vrije plaatsen", "Nieuwe meldingen sinds uw vorige bezoek"} <= labels and "Laatst bevestigd" in columns,
        "Mijn vrije plaatsen": any(b.label == "Vrije plaats melden" for b in at.button),
        "Infopagina": {"Volledig", "Te bevestigen"} <= labels and "Ontbreekt (sinds)" in columns,
        "Mijn infopagina": any(b.label == "Verklaring versturen" for b in at.button),
        "Opvang": {"Opvanginitiatieven", "Vergunde plaatsen"} <= labels and "Dossiernummer" in columns,
        "Overeenkomst en LOK": {"Ondertekend", "Niet ondertekend"} <= labels and "Ondertekend op" in columns,
        "Naleving": {"In orde", "Negatief advies", "0-score"} <= labels and "Aanvragen tijdig beantwoorden" in columns,
        "Dossier": {"Tekortkomingen", "Open dossier"} <= labels and "Wat werd gevonden" in columns,
        "Mijn naleving": "Wat werd gevonden" in columns and "Verplichting" in columns,
        "Meldingen": {"Soort", "Aan", "Onderwerp"} <= columns,
    }[title]


@pytest.fixture(scope="module")
def town(demo_url):
    """The demo town plus an account that still has to change its one-time password."""
    engine = make_engine(demo_url)
    auth.create_user(engine, "test", "eenmalig", "Eenmalig", "policy", "eenmalig-wachtwoord-1", must_change_password=True)
    engine.dispose()
    return demo_url


@pytest.fixture
def demo_app(town, app_env):
    app_env(town)
    return town


def test_the_registry_says_what_each_role_may_open():
    by_role = {role: [s.title for s in ui.PAGES if role in s.roles] for role in auth.ROLES}
    assert by_role == {"coordinator": EXPECTED_MENUS["coordinator"], "provider": EXPECTED_MENUS["opvang01"],
                       "policy": EXPECTED_MENUS["beleid"]}
    assert {s.title: s.path for s in ui.PAGES} == PAGE_FILES
    assert sorted(str(p.relative_to(ROOT)) for p in (ROOT / "views").glob("*.py")) == sorted(PAGE_FILES.values())


@pytest.mark.parametrize("username", list(EXPECTED_MENUS), ids=lambda u: u or "afgemeld")
@pytest.mark.parametrize("title", list(PAGE_FILES))
def test_every_role_on_every_page(demo_app, username, title):
    at = page(PAGE_FILES[title], username).run()
    if title in EXPECTED_MENUS[username]:
        assert [t.value for t in at.title] == [title]
        assert not errors(at)
        assert shows_its_data(at, title)
    else:
        assert errors(at) == ["U hebt geen toegang tot deze pagina."]
        assert not at.title and not at.metric and not at.dataframe and not at.text_input
        assert not at.get("file_uploader") and not at.get("download_button")


def test_the_menu_of_each_account_is_its_list(town):
    engine = make_engine(town)
    for username, titles in EXPECTED_MENUS.items():
        user = auth.user_info(engine, username) if username else None
        assert ([s.title for s in ui.menu(user)] if user else []) == titles
    engine.dispose()


@pytest.mark.parametrize("username", ["coordinator", "opvang01", "beleid", "eenmalig"])
def test_through_the_app_the_menu_is_exactly_the_list(demo_app, username):
    """Signed in through app.py: the navigation holds exactly the role's pages, in order; each opens with its
    title; any other page is not in the navigation at all (a URL to it lands on the first page)."""
    password = "eenmalig-wachtwoord-1" if username == "eenmalig" else DEMO_PASSWORD
    at = login(app().run(), username, password)
    menu = EXPECTED_MENUS[username]
    assert [t.value for t in at.title] == [menu[0]]  # lands on the first page of its menu
    navigation = [str(Path(info["script_path"]).relative_to(ROOT)) for info in at._registered_pages.values()
                  if "url_pathname" in info]  # the pages st.navigation registered
    assert navigation == [PAGE_FILES[t] for t in menu]
    for title, path in PAGE_FILES.items():
        if title in menu:
            at.switch_page(path).run()
            assert [t.value for t in at.title] == [title] and not errors(at), path
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(path)
