"""The critical paths in a real browser: Debian's chromium driven by Playwright against `streamlit run`."""

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
    port = free_port()
    log = open(tmp_path_factory.getbasetemp() / "streamlit.log", "w")  # for the post-mortem of a failure
    env = {**os.environ, "LLKO_DATABASE_URL": url, "LLKO_TODAY": DEMO_TODAY.isoformat(), "LLKO_LOGIN_SLEEP": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


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
    """Wait for the rerun that the authenticator's cookie component triggers after a session's first run.

    That component is drawn only in the first run; the rerun it causes removes it again and redraws the
    form, which would wipe whatever was typed before.
    """
    cookie_component = page.locator('iframe[title*="CookieManager"]')
    try:  # drawn in the same run as what the caller waited for, so it is there or already gone
        cookie_component.wait_for(state="attached", timeout=3_000)
    except playwright.TimeoutError:
        pass
    cookie_component.wait_for(state="detached")
    page.wait_for_timeout(300)


def sign_in(page, base, username, password=PASSWORD):
    page.goto(base)
    page.get_by_text("Alle demo-accounts hebben").wait_for()
    app_idle(page)
    user_box = page.get_by_role("textbox", name="Gebruikersnaam")
    password_box = page.get_by_role("textbox", name="Wachtwoord")
    user_box.fill(username)
    password_box.fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def login_form_shown(page, moment):
    try:
        page.get_by_role("textbox", name="Gebruikersnaam").wait_for()
    except Exception:
        page.screenshot(path=f"/tmp/llko-browser-{moment}.png", full_page=True)
        raise


def signed_in_on(page, first_page):
    """Wait for the first page and for the re-login cookie (its rerun removes the login form)."""
    wait_heading(page, first_page)
    page.get_by_role("textbox", name="Wachtwoord").wait_for(state="detached")


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
                                                  ("beleid", "Cijfers")])
def test_each_role_logs_in_to_its_first_page(server, page, username, first_page):
    sign_in(page, server, username)
    signed_in_on(page, first_page)


def test_wrong_password_says_so(server, page):
    sign_in(page, server, "coordinator", "helemaal-fout-wachtwoord")
    page.get_by_text("Gebruikersnaam of wachtwoord is onjuist.").wait_for()
    assert heading(page, "Overzicht").count() == 0


# Page URL -> heading, and each role's pages, written out by hand (not read from the registry under test).
URLS = {"overzicht": "Overzicht", "aanvragen": "Aanvragen", "mijn_aanvragen": "Mijn aanvragen", "cijfers": "Cijfers",
        "importeren": "Import", "gebruikers": "Gebruikers", "audit": "Audit", "instellingen": "Instellingen",
        "mijn_account": "Mijn account"}
MENUS = {"coordinator": ["Overzicht", "Aanvragen", "Cijfers", "Import", "Gebruikers", "Audit", "Instellingen",
                         "Mijn account"],
         "opvang01": ["Mijn aanvragen", "Mijn account"], "beleid": ["Cijfers", "Mijn account"]}


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
    page.reload()
    wait_heading(page, "Overzicht")
    app_idle(page)  # a click during the new session's first run can be swallowed by the cookie component's rerun
    page.get_by_role("button", name="Afmelden").click()
    login_form_shown(page, "after-logout")
    app_idle(page)  # let the cookie deletion drawn in the logout run reach the browser before reloading
    page.reload()
    login_form_shown(page, "after-reload")
    assert heading(page, "Overzicht").count() == 0


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
