"""The critical paths in a real browser: Debian's chromium driven by Playwright against `streamlit run`."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import DEMO_TODAY, ROOT

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
PASSWORD = "demo-llko-ninove"
SERVER: dict = {}  # what the server fixture knows of its demo database: {"providers": {username: provider id}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a demo database of its own, until the module's tests are done."""
    from llko.bootstrap import build_demo
    from llko.bootstrap import migrate
    from llko.db import make_engine

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    build_demo(engine, DEMO_TODAY)
    with engine.connect() as conn:
        SERVER["providers"] = dict(conn.exec_driver_sql(
            "SELECT u.username, up.provider_id FROM users u JOIN user_providers up ON up.user_id = u.id").all())
    engine.dispose()
    pristine = tmp_path_factory.getbasetemp() / "pristine-demo.sqlite3"
    shutil.copy(url.removeprefix("sqlite:///"), pristine)  # for the tests that need a server of their own
    SERVER["url"], SERVER["pristine"] = url, pristine
    with streamlit_server(url, tmp_path_factory.getbasetemp() / "streamlit.log") as base:
        yield base


@contextlib.contextmanager
def streamlit_server(url: str, log_path):
    """`streamlit run app.py` on this database; yields its base URL once /_stcore/health answers."""
    port = free_port()
    log = open(log_path, "w")  # for the post-mortem of a failure
    env = {**os.environ, "LLKO_DATABASE_URL": url, "LLKO_TODAY": DEMO_TODAY.isoformat()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def fresh_server(server, tmp_path):
    """A server started just now on a copy of the demo database: nobody has opened any page of it yet."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copy(SERVER["pristine"], copy)
    with streamlit_server(f"sqlite:///{copy}", tmp_path / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-BE")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def app_idle(page):
    """Wait until the app has finished its current run (Streamlit's running indicator gone)."""
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden")
    page.wait_for_timeout(200)


def sign_in(page, base, username, password=PASSWORD):
    """Open the app and sign in at once, as a person (or a password manager) would: no pause before typing."""
    page.goto(base)
    page.get_by_role("textbox", name="Gebruikersnaam").fill(username)
    page.get_by_role("textbox", name="Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def login_form_shown(page, moment):
    try:
        page.get_by_role("textbox", name="Gebruikersnaam").wait_for()
    except Exception:
        page.screenshot(path=f"/tmp/llko-browser-{moment}.png", full_page=True)
        raise


def signed_in_on(page, first_page):
    """Wait for the first page, the login form gone."""
    wait_heading(page, first_page)
    page.get_by_role("textbox", name="Wachtwoord").wait_for(state="detached")
    app_idle(page)


def heading(page, text):
    return page.get_by_role("heading", name=re.compile(f"^{text}"))


def wait_heading(page, text):
    """Wait for a page heading; on failure keep a screenshot next to the test run for the post-mortem."""
    try:
        heading(page, text).wait_for()
    except Exception:
        page.screenshot(path=f"/tmp/llko-browser-{text.replace(' ', '_')}.png", full_page=True)
        raise


@pytest.mark.parametrize("username, first_page", [("coordinator", "Overzicht"), ("opvang01", "Mijn aanvragen"),
                                                  ("beleid", "Beleid")])
def test_each_role_logs_in_to_its_first_page(server, page, username, first_page):
    sign_in(page, server, username)
    signed_in_on(page, first_page)
    assert page.evaluate("document.documentElement.lang") == "nl-BE"  # read aloud in Dutch (WCAG 3.1.1)


def test_wrong_password_says_so(server, page):
    sign_in(page, server, "coordinator", "helemaal-fout-wachtwoord")
    page.get_by_text("Aanmelden mislukt: de gebruikersnaam of het wachtwoord klopt niet.").wait_for()
    assert heading(page, "Overzicht").count() == 0


# Page URL -> heading, and each role's pages, written out by hand (not read from the registry under test).
URLS = {"overzicht": "Overzicht", "aanvragen": "Aanvragen", "mijn_aanvragen": "Mijn aanvragen", "cijfers": "Cijfers",
        "importeren": "Import", "gebruikers": "Gebruikers", "audit": "Audit", "instellingen": "Instellingen",
        "mijn_account": "Mijn account", "vrije_plaatsen": "Vrije plaatsen", "mijn_vrije_plaatsen": "Mijn vrije plaatsen",
        "infopagina": "Infopagina", "mijn_infopagina": "Mijn infopagina", "opvang": "Opvang",
        "overeenkomsten": "Overeenkomst en LOK", "naleving": "Naleving", "dossier": "Dossier",
        "mijn_naleving": "Mijn naleving", "meldingen": "Meldingen"}
MENUS = {"coordinator": ["Overzicht", "Aanvragen", "Vrije plaatsen", "Import", "Infopagina", "Opvang",
                         "Overeenkomst en LOK", "Beleid", "Cijfers", "Naleving", "Dossier", "Meldingen", "Gebruikers",
                         "Audit", "Instellingen", "Mijn account"],
         "opvang01": ["Mijn aanvragen", "Mijn vrije plaatsen", "Mijn infopagina", "Mijn naleving",
                                                                                     "Mijn account"], "beleid": ["Beleid", "Cijfers", "Naleving", "Mijn account"]}


@pytest.mark.parametrize("username", list(MENUS))
def test_typing_the_url_of_a_page_outside_the_menu_does_not_reach_it(server, page, username):
    sign_in(page, server, username)
    first = MENUS[username][0]
    signed_in_on(page, first)
    menu = page.get_by_test_id("stSidebarNav")
    assert [link.strip().splitlines()[-1] for link in menu.get_by_role("link").all_inner_texts()] == MENUS[username]
    for path, title in URLS.items():
        if title in MENUS[username]:
            continue
        page.goto(f"{server}/{path}")
        wait_heading(page, first)
        app_idle(page)
        assert heading(page, f"{title}$").count() == 0, f"{username} reached {path}"
        assert page.get_by_role("table").count() == 0 or title != "Aanvragen"


def test_a_provider_with_a_forged_provider_in_the_url_sees_nothing_of_it(server, page):
    sign_in(page, server, "opvang01")
    signed_in_on(page, "Mijn aanvragen")
    page.goto(f"{server}/mijn_aanvragen?opvang={SERVER['providers']['opvang02']}")
    page.get_by_text("U hebt geen toegang tot de gegevens van deze opvang.").first.wait_for()
    assert page.get_by_test_id("stMetric").count() == 0


def test_reload_keeps_the_session_and_logout_ends_it(server, page):
    sign_in(page, server, "coordinator")
    signed_in_on(page, "Overzicht")
    session_cookie(page)  # written by the page after the sign-in
    page.reload()
    wait_heading(page, "Overzicht")
    app_idle(page)
    page.get_by_role("button", name="Afmelden").click()
    login_form_shown(page, "after-logout")
    app_idle(page)
    page.reload()
    login_form_shown(page, "after-reload")
    assert heading(page, "Overzicht").count() == 0


def session_cookie(page) -> dict:
    """The re-login cookie as the browser holds it (waiting for the page to write it after a sign-in)."""
    for _ in range(100):
        found = [c for c in page.context.cookies() if c["name"] == "llko_session" and c["value"]]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("no llko_session cookie")


def replay(browser, base, cookie):
    """A browser of its own (another machine, say) that brings only this cookie and opens the app."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-BE")
    context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    other = context.new_page()
    other.set_default_timeout(30_000)
    other.goto(base)
    return other


def test_the_cookie_is_strict_and_a_copy_signs_in_until_logout_ends_it(server, page, browser):
    sign_in(page, server, "beleid")
    signed_in_on(page, "Beleid")
    cookie = session_cookie(page)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert not cookie["secure"]  # served over plain http here; over https the page adds Secure
    copy = replay(browser, server, cookie)
    wait_heading(copy, "Beleid")  # while the session lives, the copy signs in (that is what a reload does)
    copy.context.close()
    page.get_by_role("button", name="Afmelden").click()
    login_form_shown(page, "after-logout")
    copy = replay(browser, server, cookie)
    copy.get_by_text("Uw sessie is beëindigd").wait_for()
    login_form_shown(copy, "replay-after-logout")
    assert heading(copy, "Beleid").count() == 0
    copy.context.close()


def test_a_cookie_copied_before_a_password_reset_no_longer_signs_in(server, page, browser):
    from llko.accounts import auth
    from llko.db import make_engine

    sign_in(page, server, "opvang03")
    signed_in_on(page, "Mijn aanvragen")
    cookie = session_cookie(page)
    engine = make_engine(SERVER["url"])
    auth.reset_password(engine, "coordinator", "opvang03")
    engine.dispose()
    copy = replay(browser, server, cookie)
    login_form_shown(copy, "replay-after-reset")
    assert heading(copy, "Mijn aanvragen").count() == 0
    copy.context.close()
    page.get_by_role("button", name="Mijn aanvragen").or_(page.get_by_role("link", name="Mijn aanvragen")).first.click()
    login_form_shown(page, "open-session-after-reset")  # the open tab too, at its next click


@pytest.mark.parametrize("value", ["x", "%%%", "a" * 3000, "%22%7B%7D%22", "ZHVtbXk.dG9rZW4"])
def test_a_forged_or_malformed_cookie_is_ignored(server, browser, value):
    copy = replay(browser, server, {"name": "llko_session", "value": value, "domain": "127.0.0.1", "path": "/"})
    login_form_shown(copy, "forged-cookie")
    assert copy.get_by_text("Traceback").count() == 0 and copy.get_by_test_id("stException").count() == 0
    copy.context.close()


def test_on_a_fresh_server_the_first_sign_in_works_with_no_pause(fresh_server, page):
    page.goto(fresh_server)
    page.get_by_role("textbox", name="Gebruikersnaam").fill("coordinator")
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("textbox", name="Wachtwoord").press("Enter")  # as a password manager submits
    signed_in_on(page, "Overzicht")


def test_the_first_visitor_of_a_fresh_server_sees_only_the_login_whatever_the_url(fresh_server, page):
    page.goto(f"{fresh_server}/gebruikers")
    login_form_shown(page, "first-visitor")
    app_idle(page)
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert page.get_by_role("link", name="Gebruikers").count() == 0
    assert heading(page, "Gebruikers").count() == 0


def test_a_download_right_after_signing_in_works_on_the_first_click(server, page):
    sign_in(page, server, "coordinator")
    signed_in_on(page, "Overzicht")
    page.goto(f"{server}/aanvragen")
    wait_heading(page, "Aanvragen$")
    app_idle(page)
    page.get_by_role("button", name="Download Excel").first.wait_for()
    app_idle(page)  # under load a second run may still redraw the buttons: click the one that stays
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Excel").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.failure() is None


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now: rule id, impact, the first target."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"]),
             "target": v["nodes"][0]["target"] if v["nodes"] else None} for v in result["violations"]]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (npm install)")
@pytest.mark.parametrize("username", list(MENUS))
def test_every_page_is_accessible(server, page, username):
    """WCAG 2.1 AA as axe-core checks it, on every page of every role (Flemish public bodies must meet it)."""
    sign_in(page, server, username)
    signed_in_on(page, MENUS[username][0])
    found = {}
    for path, title in URLS.items():
        if title not in MENUS[username]:
            continue
        page.goto(f"{server}/{path}")
        page.get_by_role("heading", level=1, name=title, exact=True).first.wait_for()
        app_idle(page)
        page.wait_for_timeout(1500)  # the page's last elements (tables, charts) drawn
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (npm install)")
def test_the_login_page_is_accessible_also_after_a_refusal(server, page):
    page.goto(server)
    login_form_shown(page, "axe-login")
    app_idle(page)
    assert axe_violations(page) == []
    sign_in(page, server, "coordinator", "helemaal-fout-wachtwoord")
    page.get_by_text("Aanmelden mislukt").wait_for()
    app_idle(page)
    assert axe_violations(page) == []


def test_a_provider_reports_a_temporary_part_time_place_and_the_coordinator_sees_its_matches(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="nl-BE")
    provider = context.new_page()
    provider.set_default_timeout(30_000)
    sign_in(provider, server, "opvang07")
    signed_in_on(provider, "Mijn aanvragen")
    provider.goto(f"{server}/mijn_vrije_plaatsen")
    wait_heading(provider, "Mijn vrije plaatsen")
    app_idle(provider)
    form = provider.get_by_test_id("stForm").first
    form.locator("input").first.wait_for()  # the form's widgets drawn (not their loading placeholders)
    form.get_by_role("spinbutton", name="day, Vrij tot (leeg: geen einddatum)").click()
    provider.keyboard.type("31122026")  # day, month, year: the field moves on by itself
    form.get_by_role("combobox").first.click()
    provider.get_by_role("option", name="maandag").click()
    form.get_by_role("combobox").first.click()
    provider.get_by_role("option", name="woensdag").click()
    provider.keyboard.press("Escape")  # close the list
    form.get_by_text("tijdelijk", exact=True).click()
    form.get_by_role("button", name="Vrije plaats melden").click()
    provider.get_by_text("Uw vrije plaats vanaf 02/11/2026 is gemeld aan het loket.").wait_for()
    context.close()

    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="nl-BE")
    coordinator = context.new_page()
    coordinator.set_default_timeout(30_000)
    sign_in(coordinator, server, "coordinator")
    signed_in_on(coordinator, "Overzicht")
    coordinator.goto(f"{server}/vrije_plaatsen")
    wait_heading(coordinator, "Vrije plaatsen$")
    app_idle(coordinator)
    coordinator.get_by_role("combobox", name="Vrije plaats").click()
    coordinator.keyboard.type("Vanderhaeghen")  # the list draws only the options in view: filter it first
    coordinator.get_by_role("option", name=re.compile(r"Ann Vanderhaeghen.*vanaf 02.11.2026, 1 plaats, ma, wo")).click()
    app_idle(coordinator)
    coordinator.get_by_text(re.compile(r"\d+ (kinderen passen|kind past) bij deze plaats op 02.11.2026")).wait_for()
    assert coordinator.get_by_text("Geen lopende of komende vrije plaats").count() == 0
    context.close()
