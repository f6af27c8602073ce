"""LLKO dashboard entry: login, then the navigation built from the user's role. Nothing else."""

import os

import streamlit as st
import streamlit_authenticator as stauth

import ui
from llko import bootstrap
from llko.accounts import auth

st.set_page_config(page_title="LLKO", page_icon="🧸", layout="wide")

ui.style()
engine = ui.engine()
municipality = ui.reads.settings().municipality
st.set_page_config(page_title=f"LLKO {municipality}")
st.sidebar.markdown(f"**Lokaal Loket Kinderopvang {municipality}**")
demo = bootstrap.is_demo(engine)
if demo:
    st.warning("**DEMO** — fictieve gegevens van een demostad, geen echte aanvragen of opvanginitiatieven.", icon="🧪")


def _configured_cookie_key() -> str | None:
    if os.environ.get("LLKO_COOKIE_KEY"):
        return os.environ["LLKO_COOKIE_KEY"]
    try:
        return st.secrets["auth"]["cookie_key"]
    except (KeyError, FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


def _authenticator() -> stauth.Authenticate:
    """One Authenticate per session, its credentials refreshed from the database on every signed-out run."""
    if "_authenticator" not in st.session_state:
        try:
            key = bootstrap.cookie_key(engine, _configured_cookie_key())
        except RuntimeError as exc:
            st.error(str(exc))
            st.stop()
        st.session_state["_authenticator"] = stauth.Authenticate(
            {"usernames": {}}, "llko_login", key, cookie_expiry_days=1, auto_hash=False,
            login_sleep_time=float(os.environ.get("LLKO_LOGIN_SLEEP", "0.6")),
        )
    authenticator = st.session_state["_authenticator"]
    if st.session_state.get("authentication_status"):
        return authenticator  # signed in: the credentials are only read by the login form and the cookie check
    users = authenticator.authentication_controller.authentication_model.credentials["usernames"]
    fresh = auth.login_credentials(engine)
    failed = {u: c.get("failed_login_attempts", 0) for u, c in users.items()}
    users.clear()
    for username, creds in fresh.items():
        users[username] = {**creds, "failed_login_attempts": failed.get(username, 0)}
    return authenticator


def _on_logout(event: dict) -> None:
    auth.record_logout(engine, event.get("username") or "?")
    st.session_state.pop("_logged_in_as", None)
    st.session_state["_login_message"] = None


authenticator = _authenticator()
# The logout button comes before the login form: a logout then shows the form in the same run, without the
# st.rerun() that would cancel the cookie deletion the authenticator draws.
sidebar_user = st.sidebar.container()
if st.session_state.get("authentication_status"):
    authenticator.logout("Afmelden", location="sidebar", key="logout_button", callback=_on_logout)
credentials = authenticator.authentication_controller.authentication_model.credentials["usernames"]
attempts_before = {u: c["failed_login_attempts"] for u, c in credentials.items()}
if st.session_state.get("authentication_status") is False:
    st.session_state["authentication_status"] = None  # so that False below means: refused in this run
with st.container():  # the form stays on screen for the run that accepts it; the cookie's rerun clears it
    try:
        authenticator.login(location="main", key="login_form", fields={
            "Form name": "Aanmelden", "Username": "Gebruikersnaam", "Password": "Wachtwoord", "Login": "Aanmelden"})
    except stauth.utilities.LoginError:
        st.session_state["authentication_status"] = None

if st.session_state.get("authentication_status") is False:
    tried = [u for u, c in credentials.items() if c["failed_login_attempts"] > attempts_before.get(u, 0)]
    lock = auth.record_failed_login(engine, tried[0] if tried else "")
    if lock is not None:
        st.session_state["_login_message"] = (
            f"Dit account is vergrendeld na {auth.MAX_FAILED_LOGINS} mislukte pogingen. "
            f"Probeer opnieuw na {lock.astimezone(ui.LOCAL_TZ).strftime('%H:%M')} ({auth.LOCK_MINUTES} minuten).")
    else:
        st.session_state["_login_message"] = "Gebruikersnaam of wachtwoord is onjuist."
status = st.session_state.get("authentication_status")
if status:
    st.session_state.pop("_login_message", None)
elif st.session_state.get("_login_message"):
    st.error(st.session_state["_login_message"])



def _signed_out_page() -> None:
    """What a visitor sees under the login form; in demo mode the demo accounts."""
    if demo:
        with st.expander("Demo-accounts", expanded=True):
            st.write(f"Alle demo-accounts hebben het wachtwoord `{bootstrap.DEMO_PASSWORD}`.")
            st.dataframe(
                [{"gebruikersnaam": u, "rol": auth.ROLES.get(r, r), "naam": n} for u, r, n in bootstrap.demo_accounts(engine)],
                hide_index=True,
            )


def _signed_out(message: str | None = None) -> None:
    """End the run as a visitor. Navigation is still declared, so no page of views/ is reachable."""
    if message:
        st.info(message)
    st.navigation([st.Page(_signed_out_page, title="Aanmelden", icon="🔐")], position="hidden").run()
    st.stop()


user = ui.current_user()
if user is None:
    if status:  # account disabled or removed since the cookie was made
        authenticator.logout(location="unrendered")
        st.error("Dit account is niet (meer) actief.")
    _signed_out()

if st.session_state.get("_logged_in_as") != user.username:
    st.session_state["_logged_in_as"] = user.username
    auth.record_login(engine, user.username)


sidebar_user.write(f"**{user.name}**  \n{auth.ROLES[user.role]}")
st.navigation([st.Page(spec.path, title=spec.title, icon=spec.icon) for spec in ui.menu(user)]).run()
