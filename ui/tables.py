"""Tables, numbers, dates and downloads as every page shows them (Dutch, dd/mm/jjjj, '–' for empty)."""

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from llko import dutch
from llko.reporting import export
from llko.requests import overview, rules, statuses
from ui.downloads import download


fmt_date = dutch.day  # dd/mm/jjjj, '' for none


def fmt_moment(value) -> str:
    """A stored moment as dd/mm/jjjj uu:mm in Belgian time ('' for none)."""
    return "" if value is None or pd.isna(value) else dutch.moment(pd.Timestamp(value).to_pydatetime())


def fmt_moments(values: pd.Series) -> pd.Series:
    """A column of stored moments as dd/mm/jjjj uu:mm in Belgian time (empty stays empty: the table shows '–')."""
    return values.map(lambda v: None if v is None or pd.isna(v) else fmt_moment(v))


def fmt_pct(value: float | None) -> str:
    """A share as a whole percentage, rounded as the tables beside it round it (whole_percent); '–' when none.
    Shares held against a threshold (Naleving, letters) use dutch.percent, which never rounds up to it."""
    return "–" if value is None or pd.isna(value) else f"{value * 100:.0f}%"


def whole_percent(shares: pd.Series) -> pd.Series:
    """Shares (0-1, blank when there is nothing to count) as whole percentages: 0.6667 -> 67."""
    return (shares.astype(float) * 100).round(0).astype("Int64")


def date_columns(*names: str, labels: dict[str, str] | None = None) -> dict:
    """column_config for a dataframe: these columns as dd/mm/jjjj dates."""
    labels = labels or {}
    return {n: st.column_config.DateColumn(labels.get(n, n), format="DD/MM/YYYY") for n in names}


def download_buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, key: str, sheet: str,
                     providers: Iterable[str] | None = None) -> None:
    """CSV and Excel downloads of exactly this table (llko.reporting.export: ready for a Belgian Excel).

    The files are built only when a button is clicked, not on every render, after the session is checked again
    (ui.downloads); so is the table itself when frame is a function that reads it. providers: the providers the
    table is about, for a table a provider account may download.
    """
    rows = frame if callable(frame) else lambda: frame
    left, right = st.columns(2)
    download("Download CSV", lambda: export.to_csv(rows()), f"{stem}.csv", "text/csv", key=f"{key}_csv",
             providers=providers, where=left)
    download("Download Excel", lambda: export.to_xlsx(rows(), sheet), f"{stem}.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
             providers=providers, where=right)


def list_caption(shown: pd.DataFrame, total: int | None = None) -> None:
    """Under a request list: how many rows it has, and when it shows only its first overview.LIST_LIMIT rows, so
    (total: how many there are)."""
    if total is not None and total > len(shown):
        st.write(f"De eerste {dutch.whole(len(shown))} van {dutch.whole(total)} getoond; de cijfers hierboven tellen "
                 "ze allemaal.")
    elif total is None and len(shown) >= overview.LIST_LIMIT:
        st.write(f"De eerste {dutch.whole(len(shown))} getoond; er kunnen er meer zijn.")
    else:
        st.write(f"{dutch.whole(len(shown))} {'aanvraag' if len(shown) == 1 else 'aanvragen'} in deze lijst.")


STATUS_LABELS = {status: status[0].upper() + status[1:] for status in statuses.ALL}  # 'in behandeling' -> 'In …'

# One label, one meaning (llko.requests.rules.in_time_rate), wherever the share is shown.
WINDOW_DAYS = rules.IN_TIME_WINDOW_DAYS
IN_TIME = f"Tijdig beantwoord ({WINDOW_DAYS} dagen)"
IN_TIME_DOWNLOAD = f"Tijdig beantwoord {WINDOW_DAYS} dagen (%)"


def in_time_help(deadline_days: int, whose: str = "de") -> str:
    """The help text of every 'Tijdig beantwoord' tile."""
    return (f"Van {whose} aanvragen waarvan de termijn van {deadline_days} dagen in de voorbije {WINDOW_DAYS} dagen "
            "afliep: het aandeel dat op tijd een antwoord kreeg (een aanvraag die zonder antwoord eindigde vóór haar "
            "termijn telt niet mee).")


# The per-provider table of Aanvragen and Cijfers: column -> header.
PROVIDER_COLUMNS = {
    "name": "Opvang", "kind": "Soort", "open": "Open", "overdue": "Te laat", "answered": "Beantwoord",
    "in_time_pct": IN_TIME, "not_possible": "Tekort (niet mogelijk)", "approved": "Goedgekeurd",
    "cancelled_by_provider": "Geannuleerd door opvang", "closed_elsewhere_approved": "Elders goedgekeurd",
}


def provider_view(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """These per-provider columns (overview.per_provider) with their headers, the share as a whole percentage."""
    view = table.assign(in_time_pct=whole_percent(table["in_time_share"]))[columns]
    return view.rename(columns=PROVIDER_COLUMNS)

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


PIN_FROM_COLUMNS = 6  # tables with more columns than this may be wider than the page


WRAP_ROW_HEIGHT = 72  # three lines of a wrapped cell; Streamlit wraps text only in rows taller than 4rem (64 px)
WRAP_WIDTH = 300  # px: a column of long text at this width wraps instead of running off the page
ROWS_SHOWN_WHOLE = 16  # a table this short is shown whole (twelve deelgemeenten, fifteen providers and a total)
ROW_HEIGHT = 35  # Streamlit's own row height in px
WRAP_ROWS_SHOWN = 12  # a wrapped table up to this many rows is shown whole, without a scroll bar of its own


def table(frame: pd.DataFrame, key: str, column_config: dict | None = None, wrap: tuple[str, ...] = (), **kwargs):
    """A read-only table as every page shows one: no index, full width, '–' for an empty cell, and in a table
    with many columns (wider than the page) the first column pinned, so it scrolls with its row names in view.
    The `wrap` columns hold long text: they get a fixed width and taller rows, so their text wraps over up to
    three lines instead of running off the right edge."""
    config = dict(column_config or {})
    if len(frame.columns) > PIN_FROM_COLUMNS:
        first = frame.columns[0]
        config[first] = {**(config.get(first) or {}), "pinned": True}
    for name in wrap:
        config[name] = {"width": WRAP_WIDTH, **(config.get(name) or {})}  # a width given by the page wins
    rows = len(getattr(frame, "data", frame))  # a Styler holds its frame in .data
    if wrap and rows:
        kwargs.setdefault("row_height", WRAP_ROW_HEIGHT)
        if rows <= WRAP_ROWS_SHOWN:
            kwargs.setdefault("height", kwargs["row_height"] * rows + 40)  # the header and the borders
    elif 10 < rows <= ROWS_SHOWN_WHOLE:  # Streamlit scrolls after ten rows: a town's list fits whole
        kwargs.setdefault("height", ROW_HEIGHT * (rows + 1) + 3)  # the rows, the header and the borders
    return st.dataframe(frame, hide_index=True, width="stretch", key=key, placeholder="–", column_config=config,
                        **kwargs)


def show_requests(frame: pd.DataFrame, columns: list[str], key: str, **kwargs):
    """A request table with Dutch headers and dd/mm/jjjj dates; returns the dataframe event (selection)."""
    view = request_view(frame, columns)
    dates = [REQUEST_COLUMNS[c] for c in columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    config = {c: st.column_config.DateColumn(c, format="DD/MM/YYYY") for c in dates}
    if "Status" in view.columns:
        config["Status"] = {"width": 150}  # 'opvangplan niet mogelijk' stays readable
    return table(view, key=key, column_config=config, **kwargs)


