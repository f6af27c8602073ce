"""Login through app.py: the navigation each role gets, wrong passwords, the lock after 5 failures."""

import pytest
from sqlalchemy import text

from apptest import app, errors, login, metrics
from llko.accounts.auth import create_user
from llko.accounts.auth import locked_until as auth_locked_until
from llko.bootstrap import DEMO_PASSWORD
from llko.db import make_engine

COOKIE_KEY = "k" * 40


def audit_actions(engine, actor):
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT action FROM audit_log WHERE actor = :a ORDER BY id"), {"a": actor})]


def test_login_page_lists_demo_accounts_only_in_demo_mode(own_demo):
    at = app().run()
    assert "DEMO" in at.warning[0].value
    accounts = at.dataframe[0].value
    assert {"coordinator", "beleid", "opvang01"} <= set(accounts["gebruikersnaam"])


def test_coordinator_logs_in_and_lands_on_the_overview(own_demo):
    at = login(app().run(), "coordinator", DEMO_PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Overzicht"
    assert "Open aanvragen" in metrics(at)
    assert "login" in audit_actions(own_demo, "coordinator")


@pytest.mark.parametrize("username, title", [("opvang03", "Mijn aanvragen"), ("beleid", "Cijfers")])
def test_each_role_lands_on_its_own_first_page(own_demo, username, title):
    at = login(app().run(), username, DEMO_PASSWORD)
    assert at.title[0].value == title


def test_wrong_password_is_refused_with_a_clear_message(own_demo):
    at = login(app().run(), "coordinator", "niet-het-wachtwoord")
    assert "Gebruikersnaam of wachtwoord is onjuist." in errors(at)
    assert not at.metric
    assert audit_actions(own_demo, "coordinator") == ["login_failed"]


def test_five_failures_lock_the_account_for_15_minutes(own_demo):
    at = app().run()
    for _ in range(5):
        at = login(at, "opvang02", "fout-wachtwoord-123")
    assert any("vergrendeld" in e and "15 minuten" in e for e in errors(at))
    # The unlock time in Belgian time (the server runs in UTC), as the user reads a clock.
    from zoneinfo import ZoneInfo

    until = auth_locked_until(own_demo, "opvang02").astimezone(ZoneInfo("Europe/Brussels")).strftime("%H:%M")
    assert any(f"Probeer opnieuw na {until} (15 minuten)." in e for e in errors(at)), errors(at)
    at = login(app().run(), "opvang02", DEMO_PASSWORD)  # the right password does not help now
    assert any("vergrendeld" in e for e in errors(at))
    assert not at.metric
    actions = audit_actions(own_demo, "opvang02")
    assert actions.count("login_failed") == 5 and "account_locked" in actions and "login_refused_locked" in actions


def test_disabled_account_cannot_log_in(own_demo):
    with own_demo.begin() as conn:
        conn.execute(text("UPDATE users SET active = :f WHERE username = 'beleid'"), {"f": False})
    at = login(app().run(), "beleid", DEMO_PASSWORD)
    assert "Gebruikersnaam of wachtwoord is onjuist." in errors(at)


def test_outside_demo_mode_there_is_no_default_account_and_a_cookie_key_is_required(db_url, app_env, monkeypatch):
    app_env(db_url)
    monkeypatch.delenv("LLKO_COOKIE_KEY", raising=False)
    at = app().run()
    assert any("LLKO_COOKIE_KEY" in e for e in errors(at))
    assert not at.text_input  # no login form without a key
    monkeypatch.setenv("LLKO_COOKIE_KEY", COOKIE_KEY)
    at = app().run()
    assert not at.warning  # no DEMO banner
    assert not at.dataframe  # no account list
    assert "Gebruikersnaam of wachtwoord is onjuist." in errors(login(at, "coordinator", DEMO_PASSWORD))


def test_created_account_logs_in_outside_demo_mode(db_url, app_env, monkeypatch):
    app_env(db_url)
    monkeypatch.setenv("LLKO_COOKIE_KEY", COOKIE_KEY)
    engine = make_engine(db_url)
    create_user(engine, "test", "An.Peeters", "An Peeters", "coordinator", "een-lang-wachtwoord")
    at = login(app().run(), "an.peeters", "een-lang-wachtwoord")
    assert at.title[0].value == "Overzicht"
    engine.dispose()
