"""Accounts and role isolation: password rules, the Gebruikers page, one-time passwords, forged widget values."""

from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import text

from apptest import app, errors, login, page, table
from llko.accounts import auth, sessions
from llko.accounts import queries as account_queries
from llko.providers import queries as provider_queries
from llko.requests import queries
from llko.requests.queries import Selection
from llko.bootstrap import DEMO_PASSWORD
from llko.requests.importer import import_file
from tests.helpers import ZONNETJE_EXPORT

T = date(2026, 11, 2)
LOGIN_T0 = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)  # 16:00 in Ninove (winter time)


def test_password_rules():
    assert "12 tekens" in auth.password_problem("kort")
    assert auth.password_problem("x" * 12) is None
    assert "72 bytes" in auth.password_problem("é" * 37)  # 74 bytes in UTF-8
    assert auth.password_problem("a" * 72) is None
    assert auth.password_problem("  Pass-2026-lang  ") is None  # spaces are part of a password, wherever they are
    assert auth.password_problem("Pass 2026 lang") is None


def test_one_normalisation_for_setting_and_checking_a_password():
    """An é typed as one code point or as e + combining accent is the same password (NFC), and NFC is what
    counts toward the 72 bytes: 36 decomposed é (108 bytes as typed) are 72 bytes once composed."""
    composed, decomposed = "wachtwoord-café", "wachtwoord-cafe\u0301"
    assert composed != decomposed
    assert auth.check_password(decomposed, auth.hash_password(composed))
    assert auth.check_password(composed, auth.hash_password(decomposed))
    assert auth.password_problem("e\u0301" * 36) is None
    assert "72 bytes" in auth.password_problem("e\u0301" * 37)
    with pytest.raises(ValueError):
        auth.hash_password("a" * 73)


def test_a_password_of_exactly_72_bytes_signs_in():
    """bcrypt's limit is 72 bytes: a password of exactly 72 bytes (36 x 'é') is accepted and checks; one byte
    more never matches. Kills check_password 6."""
    password = "é" * 36
    assert len(password.encode("utf-8")) == 72
    hashed = auth.hash_password(password)
    assert auth.check_password(password, hashed)
    assert not auth.check_password(password + "x", hashed)


def test_passwords_are_stored_as_bcrypt_hashes(engine):
    auth.create_user(engine, "test", "Jan", "Jan", "coordinator", "geheim-wachtwoord-1")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username = 'jan'")).scalar()
    assert stored.startswith("$2b$") and "geheim" not in stored
    assert auth.check_password("geheim-wachtwoord-1", stored)
    assert not auth.check_password("ander-wachtwoord-1", stored)


def test_account_rules_are_enforced(engine):
    with pytest.raises(ValueError, match="minstens één opvang"):
        auth.create_user(engine, "test", "opv", "Opvang", "provider", "een-lang-wachtwoord")
    with pytest.raises(ValueError, match="Onbekende rol"):
        auth.create_user(engine, "test", "x", "X", "admin", "een-lang-wachtwoord")
    auth.create_user(engine, "test", "an", "An", "policy", "een-lang-wachtwoord")
    with pytest.raises(ValueError, match="bestaat al"):
        auth.create_user(engine, "test", "AN", "An 2", "policy", "een-lang-wachtwoord")


def test_a_provider_account_for_an_unknown_provider_is_refused(engine):
    """A provider account can only be linked to a provider that an import brought in; nothing is created
    otherwise; the message names every unknown one. Kills _check_providers_exist 1, 8 and 10-12."""
    assert import_file(engine, ZONNETJE_EXPORT.encode(), "r.csv", T, "test").ok
    with pytest.raises(ValueError) as refused:
        auth.create_user(engine, "test", "nieuw", "Nieuw", "provider", "een-lang-wachtwoord", ("P1", "P404", "P405"))
    assert str(refused.value) == "Onbekende opvang: P404, P405. Importeer eerst een export waarin ze voorkomt."
    assert auth.user_info(engine, "nieuw") is None
    auth.create_user(engine, "test", "nieuw", "Nieuw", "provider", "een-lang-wachtwoord", ("P1",))
    assert auth.user_info(engine, "nieuw").provider_ids == ("P1",)


def test_the_signed_in_users_email_is_the_one_on_the_account(engine):
    """Mijn aanvragen puts the provider's e-mail in the reminder to parents, or a placeholder when there is none:
    user_info carries the account's e-mail, and '' without one. Kills user_info 21, 27, 30 and 31."""
    assert import_file(engine, ZONNETJE_EXPORT.encode(), "r.csv", T, "test").ok
    auth.create_user(engine, "test", "zon", "Zonnetje", "provider", "een-lang-wachtwoord", ("P1",),
                     email="info@zonnetje.be")
    auth.create_user(engine, "test", "zonder", "Zonder", "provider", "een-lang-wachtwoord", ("P1",))
    assert auth.user_info(engine, "zon").email == "info@zonnetje.be"
    assert auth.user_info(engine, "zonder").email == ""


def test_coordinator_creates_a_provider_account_with_a_one_time_password(own_demo):
    provider = provider_queries.providers(own_demo).iloc[0]
    at = page("views/gebruikers.py", "coordinator").run()
    at.text_input[0].input("Nieuwe.Opvang")
    at.text_input[1].input("Nieuwe Opvang")
    at.selectbox[0].select("provider")
    at.multiselect[0].select(provider["id"])
    at.button[0].click().run()
    assert not errors(at)
    assert at.success[0].value.startswith("Account 'nieuwe.opvang' aangemaakt")
    one_time = at.code[-1].value
    info = auth.user_info(own_demo, "nieuwe.opvang")
    assert info.role == "provider" and info.provider_ids == (provider["id"],) and info.must_change_password
    assert "nieuwe.opvang" in set(table(at, "Gebruikersnaam")["Gebruikersnaam"])
    # First login: only "Mijn account" until the password is changed.
    at = login(app().run(), "nieuwe.opvang", one_time)
    assert at.title[0].value == "Mijn account"
    assert any("eenmalig wachtwoord" in w.value for w in at.warning)
    at.text_input[0].input(one_time)
    at.text_input[1].input("mijn-eigen-wachtwoord")
    at.text_input[2].input("mijn-eigen-wachtwoord")
    at.button[0].click().run()
    assert not auth.user_info(own_demo, "nieuwe.opvang").must_change_password
    at = login(app().run(), "nieuwe.opvang", "mijn-eigen-wachtwoord")
    assert at.title[0].value == "Mijn aanvragen"


def test_account_creation_with_bad_input_changes_nothing(own_demo):
    before = len(account_queries.users(own_demo))
    at = page("views/gebruikers.py", "coordinator").run()
    at.text_input[0].input("opvang.zonder.koppeling")
    at.text_input[1].input("Iemand")
    at.selectbox[0].select("provider")
    at.button[0].click().run()
    assert any("minstens één opvang" in e for e in errors(at))
    assert len(account_queries.users(own_demo)) == before


def test_coordinator_disables_an_account_and_the_audit_log_shows_it(own_demo):
    at = page("views/gebruikers.py", "coordinator").run()
    at.selectbox(key="edit_user").select("beleid").run()
    at.checkbox[0].uncheck()
    at.button[1].click().run()
    assert at.success and not errors(at)
    assert auth.user_info(own_demo, "beleid") is None  # disabled
    assert errors(login(app().run(), "beleid", DEMO_PASSWORD)) == [sessions.REFUSED]
    audit = page("views/audit.py", "coordinator").run()
    log = table(audit, "Actie")
    assert "Account gewijzigd" in set(log["Actie"])
    changed = log[log["Actie"] == "Account gewijzigd"]
    assert list(changed["Details"]) == ["account beleid, rol beleid, uitgeschakeld, opvang: geen"]


def test_coordinator_cannot_disable_itself(own_demo):
    at = page("views/gebruikers.py", "coordinator").run()
    at.selectbox(key="edit_user").select("coordinator").run()
    at.checkbox[0].uncheck()
    at.button[1].click().run()
    assert any("eigen account" in e for e in errors(at))
    assert auth.user_info(own_demo, "coordinator") is not None


def test_password_reset_gives_a_one_time_password_and_clears_a_lock(own_demo):
    for _ in range(auth.MAX_FAILED_LOGINS):
        sessions.sign_in(own_demo, "opvang04", "fout-wachtwoord")
    assert auth.locked_until(own_demo, "opvang04") is not None
    at = page("views/gebruikers.py", "coordinator").run()
    at.selectbox(key="edit_user").select("opvang04").run()
    at.button(key="reset_password").click().run()
    one_time = at.code[-1].value
    assert auth.locked_until(own_demo, "opvang04") is None
    with own_demo.connect() as conn:  # audited as the coordinator who did it, naming the account
        resets = conn.execute(text("SELECT actor, detail FROM audit_log WHERE action = 'password_reset'")).all()
    assert [(actor, __import__("json").loads(detail)) for actor, detail in resets] == [
        ("coordinator", {"username": "opvang04"})]
    at = login(app().run(), "opvang04", one_time)
    assert at.title[0].value == "Mijn account"


def test_own_password_change_checks_the_current_password(own_demo):
    at = page("views/mijn_account.py", "beleid").run()
    at.text_input[0].input("niet-het-huidige")
    at.text_input[1].input("een-nieuw-wachtwoord")
    at.text_input[2].input("een-nieuw-wachtwoord")
    at.button[0].click().run()
    assert "Het huidige wachtwoord klopt niet." in errors(at)
    at.text_input[0].input(DEMO_PASSWORD)
    at.text_input[1].input("kort")
    at.text_input[2].input("kort")
    at.button[0].click().run()
    assert any("12 tekens" in e for e in errors(at))


def test_multi_provider_account_chooses_among_its_own_providers(own_demo):
    ids = list(provider_queries.providers(own_demo).sort_values("id")["id"])
    mine = ids[:2]
    auth.create_user(own_demo, "test", "groep", "Groep", "provider", "een-lang-wachtwoord", tuple(mine))
    names = provider_queries.providers(own_demo).set_index("id")["name"]
    at = page("views/mijn_aanvragen.py", "groep").run()
    assert list(at.selectbox[0].options) == [names[i] for i in mine]
    # A link to the second one opens it.
    at = page("views/mijn_aanvragen.py", "groep", query={"opvang": mine[1]}).run()
    assert at.selectbox[0].value == mine[1]
    second = set(queries.requests(own_demo, Selection(provider_ids=(mine[1],)))["id"])
    shown = {i for frame in at.dataframe if "Aanvraag" in frame.value for i in frame.value["Aanvraag"]}
    assert shown and shown <= second


@pytest.mark.parametrize("username, own_count", [("opvang01", 1), ("groep", 2)])
def test_a_forged_provider_in_the_url_is_refused_and_shows_nothing(own_demo, downloads, username, own_count):
    """The forged value reaches the page's own check (a URL query parameter is not a widget Streamlit resets);
    without that check this test sees the other provider's requests."""
    ids = list(provider_queries.providers(own_demo).sort_values("id")["id"])
    if username == "groep":
        auth.create_user(own_demo, "test", "groep", "Groep", "provider", "een-lang-wachtwoord", tuple(ids[:2]))
    mine = auth.user_info(own_demo, username).provider_ids
    assert len(mine) == own_count
    other = next(i for i in ids if i not in mine)
    at = page("views/mijn_aanvragen.py", username, query={"opvang": other}).run()
    assert errors(at) == ["U hebt geen toegang tot de gegevens van deze opvang."]
    assert not at.metric and not at.dataframe and not downloads.names()
    page_text = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    others = set(queries.requests(own_demo, Selection(provider_ids=(other,)))["id"])
    assert not any(i in page_text for i in others)


def test_provider_account_without_link_sees_nothing(own_demo):
    with own_demo.begin() as conn:
        conn.execute(text("DELETE FROM user_providers WHERE user_id = (SELECT id FROM users WHERE username = 'opvang05')"))
    at = page("views/mijn_aanvragen.py", "opvang05").run()
    assert at.warning and not at.dataframe and not at.metric


def test_audit_page_filters_by_action(own_demo):
    sessions.sign_in(own_demo, "opvang06", "fout-wachtwoord")
    sessions.sign_in(own_demo, "coordinator", DEMO_PASSWORD)
    at = page("views/audit.py", "coordinator").run()
    at.multiselect[1].select("login_failed").run()
    log = table(at, "Actie")
    assert list(log["Actie"]) == ["Aanmelding mislukt"] and list(log["Wie"]) == ["opvang06"]
    assert list(log["Details"]) == ["poging 1"]


def test_pages_refuse_an_account_that_must_change_its_password(own_demo):
    one_time = auth.reset_password(own_demo, "test", "opvang07")
    assert one_time
    assert errors(page("views/mijn_aanvragen.py", "opvang07").run()) == ["U hebt geen toegang tot deze pagina."]
    assert not errors(page("views/mijn_account.py", "opvang07").run())


def test_login_page_lists_only_the_demo_accounts(own_demo):
    auth.create_user(own_demo, "test", "echte.gebruiker", "Echt", "coordinator", "een-lang-wachtwoord")
    accounts = app().run().dataframe[0].value
    assert "echte.gebruiker" not in set(accounts["gebruikersnaam"])
    assert {"coordinator", "beleid", "opvang01"} <= set(accounts["gebruikersnaam"])


def test_the_new_account_form_starts_empty_again_and_has_no_default_role(own_demo):
    """Today a second account silently inherited the first one's provider link: after an account is made the
    form is empty, and without a chosen role nothing is made."""
    provider = provider_queries.providers(own_demo).iloc[0]
    at = page("views/gebruikers.py", "coordinator").run()
    assert at.selectbox[0].label == "Rol" and at.selectbox[0].value is None
    at.text_input[0].input("zonder.rol")
    at.text_input[1].input("Zonder Rol")
    at.button[0].click().run()
    assert errors(at) == ["Kies een rol."] and auth.user_info(own_demo, "zonder.rol") is None
    at.selectbox[0].select("provider")
    at.multiselect[0].select(provider["id"])
    at.button[0].click().run()
    assert not errors(at) and auth.user_info(own_demo, "zonder.rol").provider_ids == (provider["id"],)
    assert [t.value for t in at.text_input[:3]] == ["", "", ""]
    assert at.selectbox[0].value is None and at.multiselect[0].value == []
    at.text_input[0].input("tweede")
    at.text_input[1].input("Tweede")
    at.selectbox[0].select("policy")
    at.button[0].click().run()
    assert auth.user_info(own_demo, "tweede").provider_ids == () and auth.user_info(own_demo, "tweede").role == "policy"


def test_the_accounts_table_shows_locks_and_last_logins(own_demo):
    for _ in range(auth.MAX_FAILED_LOGINS):
        sessions.sign_in(own_demo, "opvang04", "fout-wachtwoord")
    sessions.sign_in(own_demo, "beleid", DEMO_PASSWORD)
    with own_demo.begin() as conn:  # a login at a known moment: 30/11/2026 15:05 UTC = 16:05 in Belgium
        conn.execute(text("UPDATE audit_log SET at = :at WHERE actor = 'beleid' AND action = 'login'"),
                     {"at": __import__("datetime").datetime(2026, 11, 30, 15, 5, tzinfo=__import__("datetime").timezone.utc)})
    with own_demo.begin() as conn:  # a lock until a known moment: 01/07/2099 10:05 UTC = 12:05 in Belgium (summer)
        conn.execute(text("UPDATE users SET locked_until = :t WHERE username = 'opvang04'"),
                     {"t": __import__("datetime").datetime(2099, 7, 1, 10, 5, tzinfo=__import__("datetime").timezone.utc)})
    accounts = table(page("views/gebruikers.py", "coordinator").run(), "Toestand").set_index("Gebruikersnaam")
    assert accounts.loc["opvang04", "Toestand"] == "Vergrendeld tot 01/07/2099 12:05"
    assert accounts.loc["beleid", "Toestand"] == "Actief"
    assert accounts.loc["beleid", "Laatst aangemeld"] == "30/11/2026 16:05"
    assert pd.isna(accounts.loc["opvang05", "Laatst aangemeld"])


def test_an_accounts_state_in_words_by_hand():
    """The Toestand column of Gebruikers, at 15:00 UTC: disabled first; a lock until 15:10 UTC reads in Belgian
    time; a lock that ends now is over; then 'must change password'; else active."""
    now = LOGIN_T0
    assert auth.state(False, now + timedelta(minutes=10), True, now) == "Uitgeschakeld"
    assert auth.state(True, now + timedelta(minutes=10), True, now) == "Vergrendeld tot 30/11/2026 16:10"
    assert auth.state(True, now, False, now) == "Actief"
    assert auth.state(True, pd.NaT, True, now) == "Moet wachtwoord wijzigen"
    assert auth.state(True, None, False, now) == "Actief"
