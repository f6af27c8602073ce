"""Login through app.py: the navigation each role gets, wrong passwords, the lock after 5 failures."""

import pytest
from sqlalchemy import text

from apptest import app, errors, login, metrics
from llko.accounts import auth
from llko.accounts.auth import create_user
from llko.accounts.auth import locked_until as auth_locked_until
from llko.bootstrap import DEMO_PASSWORD
from llko.db import make_engine
from tests.helpers import audit_actions
from ui import login as login_module


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


@pytest.mark.parametrize("username, title", [("opvang03", "Mijn aanvragen"), ("beleid", "Beleid")])
def test_each_role_lands_on_its_own_first_page(own_demo, username, title):
    at = login(app().run(), username, DEMO_PASSWORD)
    assert at.title[0].value == title


REFUSED = ("Aanmelden mislukt: de gebruikersnaam of het wachtwoord klopt niet. Na 5 mislukte pogingen na elkaar "
           "blijft een account 15 minuten vergrendeld; de coördinator van het loket kan het eerder vrijgeven en een "
           "nieuw wachtwoord geven.")


def test_wrong_password_is_refused_with_a_clear_message(own_demo):
    before = audit_actions(own_demo, "coordinator")  # the demo's follow-up, recorded as the demo coordinator
    at = login(app().run(), "coordinator", "niet-het-wachtwoord")
    assert errors(at) == [REFUSED]
    assert not at.metric
    assert at.text_input(key="login_password").value == ""  # the wrong password is not left in the form
    assert at.text_input(key="login_username").value == "coordinator"  # the name is, to try again
    assert audit_actions(own_demo, "coordinator") == [*before, "login_failed"]


def test_five_failures_lock_the_account_and_the_answer_stays_the_same(own_demo):
    at = app().run()
    for _ in range(5):
        at = login(at, "opvang02", "fout-wachtwoord-123")
        assert errors(at) == [REFUSED]
    assert auth_locked_until(own_demo, "opvang02") is not None
    at = login(app().run(), "opvang02", DEMO_PASSWORD)  # the right password does not help now
    assert errors(at) == [REFUSED]  # and the answer does not tell that this name exists and is locked
    assert not at.metric
    actions = audit_actions(own_demo, "opvang02")
    assert actions.count("login_failed") == 5 and "account_locked" in actions and "login_refused_locked" in actions


def test_an_unknown_name_gets_the_same_answer_and_is_audited_with_the_name_tried(own_demo):
    at = login(app().run(), "  Niemand.Hier ", "fout-wachtwoord-123")
    assert errors(at) == [REFUSED]
    assert audit_actions(own_demo, "niemand.hier") == ["login_failed"]


def test_disabled_account_cannot_log_in(own_demo):
    with own_demo.begin() as conn:
        conn.execute(text("UPDATE users SET active = :f WHERE username = 'beleid'"), {"f": False})
    at = login(app().run(), "beleid", DEMO_PASSWORD)
    assert errors(at) == [REFUSED]


def test_outside_demo_mode_there_is_no_default_account(db_url, app_env):
    app_env(db_url)
    at = app().run()
    assert not at.warning  # no DEMO banner
    assert not at.dataframe  # no account list
    assert errors(login(at, "coordinator", DEMO_PASSWORD)) == [REFUSED]


def test_created_account_logs_in_outside_demo_mode(db_url, app_env):
    app_env(db_url)
    engine = make_engine(db_url)
    create_user(engine, "test", "An.Peeters", "An Peeters", "coordinator", "een-lang-wachtwoord")
    at = login(app().run(), "an.peeters", "een-lang-wachtwoord")
    assert at.title[0].value == "Overzicht"
    engine.dispose()


def test_a_password_with_spaces_signs_in_exactly_as_it_was_set(db_url, app_env):
    """No silent stripping anywhere: spaces around a password are part of it, at setting and at login."""
    app_env(db_url)
    engine = make_engine(db_url)
    create_user(engine, "test", "sam", "Sam", "policy", "  Pass-2026 ok  ")
    assert errors(login(app().run(), "sam", "Pass-2026 ok")) == [REFUSED]
    assert login(app().run(), "sam", "  Pass-2026 ok  ").title[0].value == "Beleid"
    engine.dispose()


def test_signing_out_shows_the_login_form_and_the_session_is_gone(own_demo):
    at = login(app().run(), "beleid", DEMO_PASSWORD)
    token = at.session_state["_llko_token"]
    at.button(key="logout_button").click().run()
    assert at.text_input(key="login_username") is not None and not at.metric
    assert errors(at) == []  # a sign-out is not an error
    with own_demo.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM login_sessions")).scalar() == 0
    assert audit_actions(own_demo, "beleid")[-1] == "logout"
    later = app()
    later.session_state["_llko_token"] = token  # the same token again, as a copied cookie would bring it
    later.run()
    assert not later.metric and later.text_input(key="login_username") is not None


def test_a_session_ended_elsewhere_ends_here_at_the_next_run(own_demo):
    """A coordinator's reset ends the account's open session: its next click shows the login and why."""
    at = login(app().run(), "opvang01", DEMO_PASSWORD)
    assert at.title[0].value == "Mijn aanvragen"
    auth.reset_password(own_demo, "coordinator", "opvang01")
    at.run()
    assert at.text_input(key="login_username") is not None
    assert errors(at) == [login_module.ENDED]
