"""Helpers to run the app and its pages through streamlit.testing."""

import pandas as pd  # noqa: F401  (type of table())
from streamlit.testing.v1 import AppTest

from conftest import ROOT


def page(path: str, username: str | None = None, timeout: int = 60) -> AppTest:
    """A page as the given (already signed-in) user; not yet run."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    if username:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
    return at


def app(timeout: int = 60) -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)


def login(at: AppTest, username: str, password: str) -> AppTest:
    """Fill the login form and submit it, then the extra run the authenticator needs."""
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def table(at: AppTest, column: str) -> "pd.DataFrame":
    """The first dataframe on the page that has this (Dutch) column; KeyError when none has it."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise KeyError(column)
