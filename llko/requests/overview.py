"""What the pages show: KPI figures, request lists, the per-provider table, requests per month.

Counts come from the database (llko.requests.sql_rules); only the rows a page lists travel into pandas.
"""

from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from llko.requests import queries, rules, sql_rules
from llko.providers import queries as provider_queries
from llko.requests.queries import EVERYTHING, Selection
from llko.settings import Settings

LIST_LIMIT = 1000  # rows a request list shows at most; the figures above it count them all


def kpis(engine: Engine, today: date, settings: Settings, provider_ids: tuple[str, ...] | None = None) -> dict:
    """The tiles: open, overdue, due soon, the 90-day in-time share and (for everyone) R5's children."""
    selection = Selection(provider_ids=provider_ids)
    figures = sql_rules.open_counts(engine, today, selection, settings)
    if provider_ids is None:
        return figures | shares(engine, today, settings)
    return figures | {"in_time_rate": sql_rules.in_time_rate(engine, today, selection, settings=settings)}


def shares(engine: Engine, today: date, settings: Settings) -> dict:
    """The two figures the per-provider table cannot sum to: the 90-day in-time share and R5's children."""
    return {"in_time_rate": sql_rules.in_time_rate(engine, today, settings=settings),
            "children_unmet": sql_rules.children_unmet(engine)}


def request_list(engine: Engine, today: date, settings: Settings, which: str,
                 provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """'overdue' (longest late first), 'due_soon' and 'waiting' (shortest time left first) or 'followups'
    (R4, oldest first): classified rows, at most LIST_LIMIT."""
    return sql_rules.open_request_rows(engine, today, which, Selection(provider_ids=provider_ids), LIST_LIMIT,
                                       settings)


def classified_requests(engine: Engine, today: date, settings: Settings, selection: Selection = EVERYTHING) -> pd.DataFrame:
    """Every request of the selection with the R1-R3 flags on `today` (R3 still sees every approval)."""
    frame = queries.requests(engine, selection)
    approved = queries.approved_children(engine, frame["child_id"].unique().tolist())
    return rules.classify(frame, today, approved, settings)


def per_provider(engine: Engine, today: date, settings: Settings, selection: Selection = EVERYTHING) -> pd.DataFrame:
    """One row per provider with requests in the selection (every provider when nothing is selected): the
    report counts, due_soon, total, and the 90-day in-time share of the tiles ('in_time_share': of the
    requests whose deadline fell in the last 90 days and that had to be answered, those answered in time;
    whatever the selection's statuses or period, so that every page gives one provider the same share)."""
    counts = sql_rules.provider_counts(engine, today, selection, settings)
    providers = provider_queries.providers(engine).set_index("id")[["name", "kind"]]
    if selection == EVERYTHING:
        counts = counts.reindex(providers.index.union(counts.index), fill_value=0)
    table = counts.join(providers, how="left")
    table["name"] = table["name"].fillna(table.index.to_series())
    window = sql_rules.in_time_counts(engine, today, Selection(provider_ids=selection.provider_ids),
                                      settings=settings).reindex(table.index, fill_value=0)
    table["in_time_share"] = window["in_time"] / window["due"].where(window["due"] > 0)
    return table.rename_axis("provider_id").reset_index()


def monthly(engine: Engine) -> pd.DataFrame:
    """Requests per month of receipt and current status (columns month, status, count)."""
    days = queries.received_per_day(engine)
    days["month"] = days["received"].dt.to_period("M").dt.to_timestamp()
    return days.groupby(["month", "status"], as_index=False)["n"].sum().rename(columns={"n": "count"})
