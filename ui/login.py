"""Sign-in, the re-login cookie, sign-out and the check on every run: the only module that knows how.

The session itself lives on the server (llko.accounts.sessions); the browser holds its random token in
st.session_state and in a cookie, so that a reload or a new tab signs in again. Streamlit reads cookies from the
request that opened the connection (st.context.cookies) and cannot send a Set-Cookie header, so the cookie is
written by a line of JavaScript: SameSite=Strict, Secure when the page is served over HTTPS. A cookie nobody
signed in with, ended or malformed, signs in nobody.
"""

import streamlit as st

from llko.accounts import auth, sessions
from llko.models import utcnow
from ui.database import engine

COOKIE = "llko_session"
_TOKEN = "_llko_token"  # session_state: the token of this browser session (None after a sign-out)
_MESSAGE = "_llko_login_message"
ENDED = ("Uw sessie is beëindigd: u of de coördinator heeft u afgemeld, het wachtwoord of de rol van uw account "
         "is gewijzigd, of het account is uitgeschakeld. Meld u opnieuw aan.")


def token() -> str | None:
    """The session token of this browser session, if any (for a change that keeps this session alive)."""
    return st.session_state.get(_TOKEN)


def current_user() -> auth.UserInfo | None:
    """The signed-in, still active account, checked against the database on every run."""
    return sessions.session_user(engine(), token())


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser request behind this run (bare or test runs)
        return None
    return value if isinstance(value, str) else None


def _write_cookie(value: str, max_age: int) -> None:
    """Set (or, with max_age 0, delete) the re-login cookie in the browser."""
    safe = "".join(c for c in value if c.isalnum() or c in "-_")  # tokens are URL-safe base64: nothing to escape
    st.html(
        "<script>document.cookie = "
        f"'{COOKIE}={safe}; Path=/; Max-Age={int(max_age)}; SameSite=Strict'"
        " + (window.location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def _submit() -> None:
    """The login form's callback: one attempt, before the run that shows its outcome."""
    result = sessions.sign_in(engine(), st.session_state.get("login_username", ""),
                              st.session_state.get("login_password", ""))
    st.session_state["login_password"] = ""
    st.session_state[_TOKEN] = result.token
    st.session_state[_MESSAGE] = result.message


def _sign_out() -> None:
    sessions.sign_out(engine(), token())
    st.session_state[_TOKEN] = None
    st.session_state[_MESSAGE] = None


def _form() -> None:
    message = st.session_state.pop(_MESSAGE, None)
    with st.form("login_form"):
        st.title("Aanmelden")
        if message:
            st.error(message)
        st.text_input("Gebruikersnaam", key="login_username", autocomplete="username")
        st.text_input("Wachtwoord", type="password", key="login_password", autocomplete="current-password")
        st.form_submit_button("Aanmelden", on_click=_submit, type="primary")


def gate() -> auth.UserInfo | None:
    """Sign in the browser session: returns the signed-in user (and draws the sign-out button), or draws the
    login form and returns None. Call once per run, before the navigation."""
    if _TOKEN not in st.session_state:  # a new browser session: a reload, a new tab, a fresh visit
        st.session_state[_TOKEN] = _cookie()
    user = current_user()
    cookie = _cookie()
    if user is None:
        if token():  # this browser was signed in (in this session or by its cookie), and is no longer
            st.session_state[_TOKEN] = None
            st.session_state[_MESSAGE] = ENDED
        if cookie:
            _write_cookie("", 0)
        _form()
        return None
    if cookie != token():
        ends = sessions.expires_at(engine(), token())
        _write_cookie(token(), int((ends - utcnow()).total_seconds()) if ends else 0)
    st.sidebar.button("Afmelden", key="logout_button", on_click=_sign_out)
    return user
