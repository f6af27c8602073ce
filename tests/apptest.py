"""Helpers to run the app and its pages through streamlit.testing.

Every AppTest made here is remembered; conftest's autouse fixture fails a test whose app or page raised
(`at.exception`), so no page test can pass over a crash unless it says it expects one.
"""

import io
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from llko.accounts import sessions
from llko.db import database_url, make_engine

made: list[AppTest] = []  # the AppTests of the running test, checked for exceptions at its end
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_read(markdown: str) -> str:
    """Markdown source with its backslash escapes undone: the characters a reader sees where the page escaped text
    from data (ui.literal). The element tree's .value gives this (conftest); .proto.body keeps the source."""
    return _ESCAPE.sub(r"\1", markdown).replace("\u2060", "")  # and the invisible joiners that stop autolinks


def _new(path: str, timeout: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    made.append(at)
    return at


def page(path: str, username: str | None = None, timeout: int = 60, query: dict | None = None) -> AppTest:
    """A page as the given (already signed-in) user, with these URL query parameters; not yet run."""
    at = _new(path, timeout)
    if username:
        signed_in(at, username)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def signed_in(at: AppTest, username: str) -> AppTest:
    """Give the AppTest's browser session a real session of this account (as the login form would)."""
    engine = make_engine(database_url())
    try:
        at.session_state["_llko_token"] = sessions.start(engine, username)
    finally:
        engine.dispose()  # one engine per test database would hold PostgreSQL connections until the end
    return at


def app(timeout: int = 60) -> AppTest:
    return _new("app.py", timeout)


def login(at: AppTest, username: str, password: str) -> AppTest:
    """Fill the login form and submit it."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has this (Dutch) column; KeyError when none has it."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise KeyError(column)


def read_csv(data: bytes) -> pd.DataFrame:
    """A downloaded CSV as Excel in Belgium reads it: BOM, semicolons, every cell as text."""
    assert data.startswith("\ufeff".encode()), "CSV without a BOM: Excel would misread the accents"
    return pd.read_csv(io.BytesIO(data[3:]), sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


def run_sending(at: AppTest, raw: dict[str, str | list[str]]) -> AppTest:
    """Run once more with these raw widget values (element id -> text, or a list of texts for a multiselect), as a
    browser can send any value over its websocket: what the widgets would send for those ids is replaced."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    tree = at._tree
    original = tree.get_widget_states

    def forged() -> WidgetStates:
        states = WidgetStates()
        states.widgets.extend(w for w in original().widgets if w.id not in raw)
        for element_id, value in raw.items():
            state = states.widgets.add()
            state.id = element_id
            if isinstance(value, list):
                state.string_array_value.data.extend(value)
            else:
                state.string_value = value
        return states

    tree.get_widget_states = forged
    try:
        return at.run()
    finally:
        del tree.get_widget_states


def element_id(elements, key: str) -> str:
    """The element id of the widget or table with this key (what a browser names in what it sends)."""
    return next(e for e in elements if e.key == key).proto.id
