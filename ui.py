"""Streamlit glue shared by app.py and the pages: the cached engine, the signed-in user, formatting."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from llko import bootstrap, clock
from llko.accounts import auth
from llko.reporting import export
from llko.requests import overview
from llko.db import database_url, is_default_database, make_engine

LOCAL_TZ = clock.LOCAL_TZ
ROLE_PAGES_NOTE = "U hebt geen toegang tot deze pagina."
CHART_MAX_BARS = 30  # bars in a per-provider chart; more are unreadable (the table shows them all)


@st.cache_resource(show_spinner="Databank voorbereiden…")
def _engine(url: str):
    engine = make_engine(url)
    bootstrap.prepare(engine, fill_demo=is_default_database(url), today=clock.today())
    return engine


def engine():
    return _engine(database_url())


def today() -> date:
    """'Today' for every page (llko.clock: Belgian time, LLKO_TODAY pins it for demos and tests)."""
    return clock.today()


def current_user() -> auth.UserInfo | None:
    """The signed-in, still active account, read fresh from the database on every run."""
    if not st.session_state.get("authentication_status"):
        return None
    return auth.user_info(engine(), st.session_state.get("username"))


@dataclass(frozen=True)
class PageSpec:
    """One screen: its file, its title (menu and heading), its icon and the roles that may open it."""

    path: str
    title: str
    icon: str
    roles: tuple[str, ...]
    with_one_time_password: bool = False  # the only page open before a one-time password is changed


# The one list of pages. The navigation (app.py), every page's guard (open_page) and the tests read it,
# so a page cannot be in a role's menu and refuse it, or the reverse. Menu order = this order.
PAGES = (
    PageSpec("pages/overzicht.py", "Overzicht", "📋", ("coordinator",)),
    PageSpec("pages/aanvragen.py", "Aanvragen", "📄", ("coordinator",)),
    PageSpec("pages/mijn_aanvragen.py", "Mijn aanvragen", "📄", ("provider",)),
    PageSpec("pages/cijfers.py", "Cijfers", "📊", ("coordinator", "policy")),
    PageSpec("pages/importeren.py", "Import", "⬆️", ("coordinator",)),
    PageSpec("pages/gebruikers.py", "Gebruikers", "👥", ("coordinator",)),
    PageSpec("pages/audit.py", "Audit", "🔎", ("coordinator",)),
    PageSpec("pages/mijn_account.py", "Mijn account", "🔑", tuple(auth.ROLES), with_one_time_password=True),
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
    if not allowed(spec, user):
        st.error(ROLE_PAGES_NOTE)
        st.stop()
    st.title(spec.title)
    return user


def clear_caches() -> None:
    """After every write: cached frames must not show the old state."""
    st.cache_data.clear()


def fmt_date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%d/%m/%Y")


def fmt_pct(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{value * 100:.0f}%".replace(".", ",")



def whole_percent(shares: pd.Series) -> pd.Series:
    """Shares (0-1, blank when there is nothing to count) as whole percentages: 0.6667 -> 67."""
    return (shares.astype(float) * 100).round(0).astype("Int64")


def date_columns(*names: str, labels: dict[str, str] | None = None) -> dict:
    """column_config for a dataframe: these columns as dd/mm/jjjj dates."""
    labels = labels or {}
    return {n: st.column_config.DateColumn(labels.get(n, n), format="DD/MM/YYYY") for n in names}


def download_buttons(frame: pd.DataFrame, stem: str, key: str, sheet: str) -> None:
    """CSV and Excel downloads of exactly this table (llko.export: ready for a Belgian Excel).

    The files are built only when a button is clicked, not on every render.
    """
    left, right = st.columns(2)
    left.download_button("Download CSV", lambda: export.to_csv(frame), f"{stem}.csv", "text/csv", key=f"{key}_csv")
    right.download_button("Download Excel", lambda: export.to_xlsx(frame, sheet), f"{stem}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def _read(url: str, name: str, args: tuple):
    return getattr(overview, name)(_engine(url), *args)


def read(name: str, *args):
    """overview.<name>(engine, *args), cached for a minute per database and arguments (cleared after writes)."""
    return _read(database_url(), name, args)


def list_caption(shown: pd.DataFrame, total: int | None = None) -> None:
    """Say so when a request list shows only its first overview.LIST_LIMIT rows (total: how many there are)."""
    def nl(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    if total is not None and total > len(shown):
        st.caption(f"De eerste {nl(len(shown))} van {nl(total)} getoond; de cijfers hierboven tellen ze allemaal.")
    elif total is None and len(shown) >= overview.LIST_LIMIT:
        st.caption(f"De eerste {nl(len(shown))} getoond; er kunnen er meer zijn.")


STATUS_LABELS = {
    "nieuw": "Nieuw", "vraag ontvangen": "Vraag ontvangen", "in behandeling": "In behandeling",
    "opvangplan niet mogelijk": "Opvangplan niet mogelijk", "goedgekeurd": "Goedgekeurd",
    "geannuleerd door opvang": "Geannuleerd door opvang", "geannuleerd door ouder": "Geannuleerd door ouder",
}

REQUEST_COLUMNS = {
    "id": "Aanvraag", "provider_name": "Opvang", "child_id": "Kind", "received": "Ontvangen",
    "deadline": "Antwoord uiterlijk", "status": "Status", "status_date": "Statusdatum",
    "answer_date": "Antwoord op", "days_late": "Dagen te laat", "days_left": "Dagen over",
    "reminder_date": "Herinnering vanaf", "close_date": "Afsluiten vanaf", "todo": "Te doen",
    "desired_start": "Gewenste start",
}


def request_view(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """These request columns with Dutch headers and status labels: what a table shows and a download holds."""
    view = frame[columns].rename(columns=REQUEST_COLUMNS)
    if "Status" in view:
        view["Status"] = view["Status"].map(STATUS_LABELS).fillna(view["Status"])
    for name in ("Dagen te laat", "Dagen over"):
        if name in view:
            view[name] = view[name].astype("Int64")
    return view


def table(frame: pd.DataFrame, key: str, **kwargs):
    """A read-only table as every page shows one: no index, full width, '–' for an empty cell."""
    return st.dataframe(frame, hide_index=True, width="stretch", key=key, placeholder="–", **kwargs)


def show_requests(frame: pd.DataFrame, columns: list[str], key: str, **kwargs):
    """A request table with Dutch headers and dd/mm/jjjj dates; returns the dataframe event (selection)."""
    view = request_view(frame, columns)
    dates = [REQUEST_COLUMNS[c] for c in columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    config = {c: st.column_config.DateColumn(c, format="DD/MM/YYYY") for c in dates}
    return table(view, key=key, column_config=config, **kwargs)


def followups(day: date, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """R4's to-dos with their Dutch labels."""
    todos = read("request_list", day, "followups", provider_ids)
    todos["todo"] = todos["todo"].map({"herinnering": "Herinnering sturen", "afsluiten": "Afsluiten"})
    return todos


def flash(message: str) -> None:
    """Show a success message after the rerun that follows a write (so every table shows the new state)."""
    st.session_state["_flash"] = message
    clear_caches()
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)
