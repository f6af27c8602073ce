"""Which pages a signed-in user may open (the page registry), 'today', flash messages, the app's style."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from llko import clock
from llko.accounts import auth
from ui.choices import choose
from ui.login import current_user
from ui.text import literal

LOCAL_TZ = clock.LOCAL_TZ
PAGE = "_llko_page"  # session_state: the registry path of the page this run draws (ui.downloads checks it)
ROLE_PAGES_NOTE = "U hebt geen toegang tot deze pagina."


def today() -> date:
    """'Today' for every page (llko.clock: Belgian time, LLKO_TODAY pins it for demos and tests)."""
    return clock.today()


@dataclass(frozen=True)
class PageSpec:
    """One screen: its file, its title (menu and heading), its icon and the roles that may open it."""

    path: str
    title: str
    icon: str
    roles: tuple[str, ...]
    with_one_time_password: bool = False  # the only page open before a one-time password is changed


# The one list of pages. The navigation (app.py), every page's guard (open_page) and the tests read it,
# so a page cannot be in a role's menu and refuse it, or the reverse. Menu order = this order: the coordinator's
# daily pages (Import among them), the registers, compliance and policy, then administration. No section headings:
# Streamlit 1.67 draws a sectioned menu as lists that axe-core refuses (list, listitem: serious).
PAGES = (
    PageSpec("views/overzicht.py", "Overzicht", "📋", ("coordinator",)),
    PageSpec("views/aanvragen.py", "Aanvragen", "📄", ("coordinator",)),
    PageSpec("views/mijn_aanvragen.py", "Mijn aanvragen", "📄", ("provider",)),
    PageSpec("views/vrije_plaatsen.py", "Vrije plaatsen", "🧸", ("coordinator",)),
    PageSpec("views/mijn_vrije_plaatsen.py", "Mijn vrije plaatsen", "🧸", ("provider",)),
    PageSpec("views/importeren.py", "Import", "⬆️", ("coordinator",)),
    PageSpec("views/infopagina.py", "Infopagina", "ℹ️", ("coordinator",)),
    PageSpec("views/mijn_infopagina.py", "Mijn infopagina", "ℹ️", ("provider",)),
    PageSpec("views/opvang.py", "Opvang", "🏠", ("coordinator",)),
    PageSpec("views/overeenkomsten.py", "Overeenkomst en LOK", "🤝", ("coordinator",)),
    PageSpec("views/beleid.py", "Beleid", "🏛️", ("coordinator", "policy")),
    PageSpec("views/cijfers.py", "Cijfers", "📊", ("coordinator", "policy")),
    PageSpec("views/naleving.py", "Naleving", "⚖️", ("coordinator", "policy")),
    PageSpec("views/dossier.py", "Dossier", "🗂️", ("coordinator",)),
    PageSpec("views/mijn_naleving.py", "Mijn naleving", "⚖️", ("provider",)),
    PageSpec("views/meldingen.py", "Meldingen", "✉️", ("coordinator",)),
    PageSpec("views/gebruikers.py", "Gebruikers", "👥", ("coordinator",)),
    PageSpec("views/audit.py", "Audit", "🔎", ("coordinator",)),
    PageSpec("views/instellingen.py", "Instellingen", "⚙️", ("coordinator",)),
    PageSpec("views/mijn_account.py", "Mijn account", "🔑", tuple(auth.ROLES), with_one_time_password=True),
)


def allowed(spec: PageSpec, user: auth.UserInfo | None) -> bool:
    """May this user open this page? Signed-out visitors none; a one-time password only Mijn account."""
    if user is None or user.role not in spec.roles:
        return False
    return spec.with_one_time_password or not user.must_change_password


def menu(user: auth.UserInfo) -> list[PageSpec]:
    """The pages of this user's navigation, in order."""
    return [spec for spec in PAGES if allowed(spec, user)]


def page_spec(file: str) -> PageSpec:
    """The registry entry of a page file (its __file__)."""
    name = Path(file).name
    return next(spec for spec in PAGES if Path(spec.path).name == name)


def open_page(file: str) -> auth.UserInfo:
    """The first line of every page: stop with the refusal unless the registry lets this user in, then the
    page's title. Returns the signed-in user."""
    spec = page_spec(file)
    user = current_user()
    st.session_state[PAGE] = spec.path if allowed(spec, user) else None  # what this run's downloads belong to
    if not allowed(spec, user):
        st.error(ROLE_PAGES_NOTE)
        st.stop()
    st.title(spec.title)
    return user


def own_provider(user: auth.UserInfo, names: dict[str, str], first: str | None = None) -> str:
    """The provider a provider's own page shows: the account's only one, or the one it chooses among its own
    (first, when given, chosen at the start). Whatever a browser sends for any other provider comes back as the
    account's first provider: options are the account's ids, labels made unique. Stops the page for an unlinked
    account."""
    own = user.provider_ids
    if not own:
        st.warning("Uw account is nog aan geen opvang gekoppeld. Neem contact op met het Lokaal Loket Kinderopvang.")
        st.stop()
    if len(own) == 1:
        return own[0]
    chosen = choose("Opvang", {p: names.get(p, p) for p in own}, key="own_provider",
                    index=own.index(first) if first in own else 0)
    return chosen if chosen in own else own[0]


def clear_caches() -> None:
    """After every write: cached frames must not show the old state."""
    st.cache_data.clear()


def flash(message: str, code: str | None = None) -> None:
    """Show a success message after the rerun that follows a write (so every table shows the new state); code: a
    value to copy (a one-time password), shown as it is under the message."""
    st.session_state["_flash"] = (message, code)
    clear_caches()
    st.rerun()


def show_flash() -> None:
    message, code = st.session_state.pop("_flash", None) or (None, None)
    if message:
        st.success(literal(message))  # a flash names what was written: a provider, a file, a date
    if code:
        st.code(code, language=None)


# The app's few style rules: KPI labels wrap instead of being cut off; the file uploader speaks Dutch and the
# date range's English quick-select and the tables' English toolbar (whose CSV is not the Belgian-Excel download
# below every table) are hidden: Streamlit has no translation for its own texts.
STYLE = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricLabel"] { height: auto !important; min-height: 2.5rem; align-items: flex-start !important; }
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small {
  display: none;
}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {
  content: "Sleep het bestand hierheen of kies het met de knop"; display: block;
}
[data-testid="stDateInputQuickSelect"] { display: none; }
[data-testid="stElementToolbar"] { display: none; }
</style>"""


# Streamlit's page says <html lang="en">; a screen reader must read Dutch (WCAG 3.1.1). A line of script sets the
# document's language (Streamlit has no setting for it, and its files are not patched).
LANGUAGE = "<script>document.documentElement.lang = 'nl-BE';</script>"


def style() -> None:
    """Apply the app's style rules and its language (app.py, on every run)."""
    st.html(STYLE)
    st.html(LANGUAGE, unsafe_allow_javascript=True)
