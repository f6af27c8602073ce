"""Trust in a real browser (issue 22), on a demo town made hostile: a provider account holds two providers and a
third one carries the same name as its first; names, the municipality and a motivation carry markdown and HTML.
The websocket itself is forged (Playwright's route_web_socket rewrites what the page sends), a download is clicked
in a tab whose account signed out in another, and no page fetches anything from outside."""

import os
import re

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from conftest import DEMO_TODAY
from test_browser import (CHROMIUM, app_idle, browser, sign_in, signed_in_on,  # noqa: F401  (a fixture)
                          streamlit_server, wait_heading)

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
NASTY = "![x](http://evil.example/x.png) [Meld u opnieuw aan](http://evil.example/) **b** <img src=http://evil.example/y.png>"
TOWN: dict = {}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A demo town where opvang01 holds its own provider and a second one, a third provider is renamed to the name of
    opvang01's first, and the second provider's name, the municipality and an override motivation carry NASTY."""
    from sqlalchemy import text

    from llko import settings
    from llko.accounts import auth
    from llko.bootstrap import build_demo, migrate
    from llko.compliance import rounds, service
    from llko.db import make_engine

    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'demo.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    build_demo(engine, DEMO_TODAY)
    info = auth.user_info(engine, "opvang01")
    own = info.provider_ids[0]
    with engine.connect() as conn:
        others = [p for (p,) in conn.execute(text("SELECT id FROM providers WHERE id != :p ORDER BY id"), {"p": own})]
        name = conn.execute(text("SELECT name FROM providers WHERE id = :p"), {"p": own}).scalar_one()
    second, twin = others[0], others[-1]
    auth.update_user(engine, "test", "opvang01", name=info.name, email=info.email, role="provider", active=True,
                     provider_ids=(own, second))
    with engine.begin() as conn:
        conn.execute(text("UPDATE providers SET name = :n WHERE id = :p"), {"n": name, "p": twin})
        conn.execute(text("UPDATE providers SET name = :n WHERE id = :p"), {"n": f"Tweede {NASTY}", "p": second})
        twin_ids = {r for (r,) in conn.execute(text("SELECT id FROM requests WHERE provider_id = :p"), {"p": twin})}
        twin_ids |= {c for (c,) in conn.execute(text(  # its children that asked nothing of opvang01's providers
            "SELECT child_id FROM requests WHERE provider_id = :t EXCEPT "
            "SELECT child_id FROM requests WHERE provider_id IN (:p, :q)"), {"t": twin, "p": own, "q": second})}
    settings.save(engine, "test", "municipality", "Ninove ![x](http://evil.example/x.png) [a](http://evil.example/)")
    expansion = rounds.by_name(engine, f"Uitbreidingsronde {DEMO_TODAY.year + 1}")  # the demo's open round
    service.override_advice(engine, "coordinator", second, "negative_advice", expansion.id, False,
                            f"Motivering met {NASTY}")
    engine.dispose()
    TOWN.update(own=own, second=second, twin=twin, twin_ids=twin_ids, name=name)
    with streamlit_server(url, tmp_path_factory.getbasetemp() / "hostile.log") as base:
        yield base


def forge_provider(page, value: str) -> None:
    """Rewrite every message the page sends over its websocket so that the provider picker says `value`, whatever
    the user chose: what a hand-made client could send."""
    def handler(ws):
        server = ws.connect_to_server()

        def outgoing(message):
            if isinstance(message, bytes):
                back = BackMsg()
                back.ParseFromString(message)
                if back.HasField("rerun_script"):
                    for state in back.rerun_script.widget_states.widgets:
                        if "own_provider" in state.id:
                            state.string_value = value
                    message = back.SerializeToString()
            server.send(message)

        ws.on_message(outgoing)
        server.on_message(lambda message: ws.send(message))

    page.route_web_socket("**/_stcore/stream", handler)


def as_typed(tab, text: str):
    """The elements showing this text as it was typed (an invisible word joiner may follow '://' and '@')."""
    return tab.get_by_text(re.compile(re.escape(text).replace("://", "://\u2060?").replace("@", "@\u2060?")))


def new_tab(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="nl-BE", accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return context, tab


def pick(tab, label: str, option: str) -> None:
    """Choose an option in the selectbox with this label (typed first: the list draws only the options in view)."""
    app_idle(tab)
    tab.get_by_role("combobox", name=label).first.click()
    tab.keyboard.type(option[:12])
    tab.get_by_role("option", name=option, exact=True).click()
    app_idle(tab)


@pytest.mark.parametrize("sent", ["twin", "label"])
def test_a_forged_websocket_message_shows_nothing_of_a_same_named_provider(hostile, browser, sent):  # noqa: F811
    context, tab = new_tab(browser)
    try:
        forge_provider(tab, TOWN["twin"] if sent == "twin" else f"{TOWN['name']} ({TOWN['twin']})")
        sign_in(tab, hostile, "opvang01")
        signed_in_on(tab, "Mijn aanvragen")
        pick(tab, "Opvang", f"Tweede {NASTY}")  # what leaves the browser names the twin instead
        tab.get_by_role("button", name="Download CSV").wait_for()
        app_idle(tab)  # the page lists every request of the provider: let its rerun end before the click
        with tab.expect_download(timeout=60_000) as download:
            tab.get_by_role("button", name="Download CSV").click()
        name = download.value.suggested_filename
        assert name.startswith(f"mijn-aanvragen-{TOWN['own']}-"), name  # the account's first provider, not the twin
        rows = open(download.value.path(), encoding="utf-8-sig").read()
        assert not {i for i in TOWN["twin_ids"] if f"{i};" in rows or f";{i}" in rows}
        assert TOWN["twin"] not in tab.content()
    finally:
        context.close()


def test_markdown_in_data_stays_text_and_nothing_is_fetched_from_outside(hostile, browser):  # noqa: F811
    fetched: list[str] = []
    for username, first, visits in (
            ("opvang01", "Mijn aanvragen", (("mijn_vrije_plaatsen", "Mijn vrije plaatsen"),
                                            ("mijn_naleving", "Mijn naleving"))),
            ("coordinator", "Overzicht", (("naleving", "Naleving"),))):
        context, tab = new_tab(browser)
        tab.on("request", lambda r: fetched.append(r.url) if "evil.example" in r.url else None)
        try:
            sign_in(tab, hostile, username)
            signed_in_on(tab, first)
            for path, title in visits:
                tab.goto(f"{hostile}/{path}")
                wait_heading(tab, title)
                app_idle(tab)
                as_typed(tab, "![x](http://evil.example/x.png)").first.wait_for()  # the municipality, as typed
                if path == "naleving":
                    pick(tab, "Opvang", f"Tweede {NASTY}")
                    as_typed(tab, f"Motivering met {NASTY}").first.wait_for()
                assert tab.locator("a[href*='evil.example']").count() == 0, path
                assert tab.locator("img[src*='evil.example']").count() == 0, path
        finally:
            context.close()
    assert fetched == []


def test_a_download_in_a_tab_whose_account_signed_out_elsewhere_serves_nothing(hostile, browser):  # noqa: F811
    (first_context, kept), (second_context, other) = new_tab(browser), new_tab(browser)
    try:
        for tab in (kept, other):
            sign_in(tab, hostile, "opvang01")
            signed_in_on(tab, "Mijn aanvragen")
        kept.goto(f"{hostile}/mijn_vrije_plaatsen")
        wait_heading(kept, "Mijn vrije plaatsen")
        app_idle(kept)
        with kept.expect_download() as download:  # while signed in, the button serves its file
            kept.get_by_role("button", name="Download CSV").click()
        assert download.value.failure() is None
        app_idle(kept)
        other.get_by_role("button", name="Afmelden").click()  # ends every session of the account
        other.get_by_role("textbox", name="Gebruikersnaam").wait_for()
        served = []
        kept.on("download", lambda d: served.append(d))
        kept.get_by_role("button", name="Download CSV").click()  # the tab still shows the button
        kept.get_by_role("textbox", name="Gebruikersnaam").wait_for()  # the click's rerun signs the tab out
        kept.wait_for_timeout(5000)  # time for a download, had one been served
        assert [d for d in served if d.failure() is None] == []
    finally:
        first_context.close()
        second_context.close()
