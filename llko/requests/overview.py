"""What the pages show: KPI figures, request lists, the per-provider table, requests per month.

Counts come from the database (llko.sql_rules); only the rows a page lists travel into pandas.
"""

from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from llko.requests import queries, rules, sql_rules
from llko.providers import queries as provider_queries
from llko.requests.queries import EVERYTHING, Selection

LIST_LIMIT = 1000  # rows a request list shows at most; the figures above it count them all


def kpis(engine: Engine, today: date, provider_ids: tuple[str, ...] | None = None) -> dict:
    """The tiles: open, overdue, due soon, the 90-day in-time share and (for everyone) R5's children."""
    selection = Selection(provider_ids=provider_ids)
    figures = sql_rules.open_counts(engine, today, selection)
    if provider_ids is None:
        return figures | shares(engine, today)
    return figures | {"in_time_rate": sql_rules.in_time_rate(engine, today, selection)}


def shares(engine: Engine, today: date) -> dict:
    """The two figures the per-provider table cannot sum to: the 90-day in-time share and R5's children."""
    return {"in_time_rate": sql_rules.in_time_rate(engine, today), "children_unmet": sql_rules.children_unmet(engine)}


def request_list(engine: Engine, today: date, which: str, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """'overdue' (longest late first), 'due_soon' and 'waiting' (shortest time left first) or 'followups'
    (R4, oldest first): classified rows, at most LIST_LIMIT."""
    return sql_rules.open_request_rows(engine, today, which, Selection(provider_ids=provider_ids), LIST_LIMIT)


def classified_requests(engine: Engine, today: date, selection: Selection = EVERYTHING) -> pd.DataFrame:
    """Every request of the selection with the R1-R3 flags on `today` (R3 still sees every approval)."""
    frame = queries.requests(engine, selection)
    approved = queries.approved_children(engine, frame["child_id"].unique().tolist())
    return rules.classify(frame, today, approved)


def per_provider(engine: Engine, today: date, selection: Selection = EVERYTHING) -> pd.DataFrame:
    """One row per provider with requests in the selection (every provider when nothing is selected): the
    report counts, due_soon, total and the share answered in time (of the answered)."""
    counts = sql_rules.provider_counts(engine, today, selection)
    providers = provider_queries.providers(engine).set_index("id")[["name", "kind"]]
    if selection == EVERYTHING:
        counts = counts.reindex(providers.index.union(counts.index), fill_value=0)
    table = counts.join(providers, how="left")
    table["name"] = table["name"].fillna(table.index.to_series())
    answered = table["answered"].where(table["answered"] > 0)
    table["in_time_share"] = table["answered_in_time"] / answered
    return table.rename_axis("provider_id").reset_index()


def monthly(engine: Engine) -> pd.DataFrame:
    """Requests per month of receipt and current status (columns month, status, count)."""
    days = queries.received_per_day(engine)
    days["month"] = days["received"].dt.to_period("M").dt.to_timestamp()
    return days.groupby(["month", "status"], as_index=False)["n"].sum().rename(columns={"n": "count"})
