"""Every download button of the app, checked when the file is served, not only when the page ran.

A file is built when its button is clicked, which may be long after the page was drawn: the tab may have stayed
open after the account signed out elsewhere, was disabled, lost its role or its link to a provider, or the session
expired. `download` remembers which browser session and page drew the button and, at the click, serves the file
only when that session is still signed in, may still open that page and, for a provider, still holds every
provider the file is about; otherwise nothing is served (the browser shows that the download failed).
"""

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from llko.accounts import auth, sessions
from ui import login
from ui.database import engine
from ui.session import PAGE, PAGES, allowed

REFUSED = "Download geweigerd: uw sessie is beëindigd of u hebt geen toegang meer. Meld u opnieuw aan."


class DownloadRefused(PermissionError):
    """The session that drew the button may no longer have the file."""


def may_serve(user: auth.UserInfo | None, page: str | None, providers: tuple[str, ...] | None) -> bool:
    """May this (freshly checked) user still get a file drawn on this page about these providers?"""
    spec = next((s for s in PAGES if s.path == page), None)
    if user is None or spec is None or not allowed(spec, user):
        return False
    return user.role != "provider" or (providers is not None and set(providers) <= set(user.provider_ids))


def guarded(build: Callable[[], Any], providers: Iterable[str] | None = None) -> Callable[[], Any]:
    """build, run only after the session that drew the button is checked again at the click."""
    token, page, db = login.token(), st.session_state.get(PAGE), engine()
    scope = tuple(providers) if providers is not None else None

    def serve():
        if not may_serve(sessions.session_user(db, token), page, scope):
            raise DownloadRefused(REFUSED)
        return build()

    return serve


def download(label: str, build: Callable[[], Any], file_name: str, mime: str | None = None, *, key: str,
             providers: Iterable[str] | None = None, where: Any = st, **kwargs) -> None:
    """A download button whose file is built (and the session checked) only when it is clicked. providers: the
    providers the file is about (required for a file a provider account may download)."""
    where.download_button(label, guarded(build, providers), file_name, mime, key=key, **kwargs)
