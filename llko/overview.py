"""What the daily check shows: classified requests, KPI figures, overdue list, R4 to-dos, per-provider table."""

from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from llko import queries, rules


def classified_requests(engine: Engine, today: date, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Requests with the R1-R3 flags on `today`; limited to provider_ids when given (R3 still sees every approval)."""
    frame = queries.requests(engine, provider_ids)
    approved = None
    if provider_ids is not None:
        approved = queries.approved_children(engine, frame["child_id"].unique().tolist())
    return rules.classify(frame, today, approved)


def kpis(classified: pd.DataFrame, today: date) -> dict:
    return {
        "open": int(classified["is_open"].sum()),
        "overdue": int(classified["overdue"].sum()),
        "due_soon": int(classified["due_soon"].sum()),
        "in_time_rate": rules.in_time_rate(classified, today),
        "children_unmet": int(len(rules.children_unmet(classified))),
    }


def overdue(classified: pd.DataFrame) -> pd.DataFrame:
    """Overdue requests, longest late first."""
    return classified[classified["overdue"]].sort_values(["days_late", "received"], ascending=[False, True])


def due_soon(classified: pd.DataFrame) -> pd.DataFrame:
    return classified[classified["due_soon"]].sort_values(["days_left", "received"])


def per_provider(classified: pd.DataFrame, providers: pd.DataFrame) -> pd.DataFrame:
    """One row per provider: the report counts plus the share answered in time (of the answered)."""
    counts = rules.provider_counts(classified)
    table = providers.set_index("id")[["name", "kind"]].join(counts, how="left").fillna(
        {k: 0 for k in rules.COUNT_KEYS}).astype({k: int for k in rules.COUNT_KEYS})
    answered = table["answered"].where(table["answered"] > 0)
    table["in_time_share"] = table["answered_in_time"] / answered
    return table.rename_axis("provider_id").reset_index()
