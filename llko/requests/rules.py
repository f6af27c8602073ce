"""Rules R1-R5 as pure functions of a requests frame and a day. No database, no Streamlit.

A requests frame has one row per request with the columns id, child_id, provider_id, received,
status, status_date and answer_date (datetime64; answer_date NaT when there is no answer yet).
"""

from datetime import date, timedelta

import pandas as pd

from llko.requests import statuses
from llko.settings import DEFAULTS, Settings

REMINDER_AFTER = pd.DateOffset(months=1)  # R4: parents silent for one month
CLOSE_AFTER_REMINDER = pd.Timedelta(days=7)  # R4: close one week after the reminder
SHORTEST_MONTH_DAYS = 28  # R4 in SQL: whoever is silent for a month is silent for at least this many days
IN_TIME_WINDOW_DAYS = 90  # the tiles' "tijdig beantwoord": deadlines of the last 90 days

COUNT_KEYS = (
    "open", "overdue", "answered", "answered_in_time", "not_possible", "approved",
    "cancelled_by_provider", "closed_elsewhere_approved",
)


def deadline(received: date, settings: Settings = DEFAULTS) -> date:
    """R2: the day by which the parents must have an answer."""
    return received + timedelta(days=settings.deadline_days)


def first_answer(steps) -> date | None:
    """R2: the date of the first answer status among (status, date) steps in time order, or None."""
    return next((day for status, day in steps if status in statuses.ANSWER), None)


def first_answers(history: pd.DataFrame) -> pd.Series:
    """R2 over many requests: per id, the earliest status_date of an answer status (history: id, status,
    status_date)."""
    answers = history[history["status"].isin(statuses.ANSWER)]
    return pd.to_datetime(answers["status_date"]).groupby(answers["id"]).min().dt.date


def reminder_message(provider_name: str, contact: str) -> str:
    """R4: the procedure's message to silent parents, with the provider's own contact line instead of 'via …'."""
    return ("Aangezien we geen reactie meer krijgen, wordt deze aanvraag binnen 1 week afgesloten. "
            f"Wenst u toch nog kinderopvang, neem dan contact met ons op: {provider_name} via {contact}.")


def close_day(silent_since: date) -> date:
    """R4: the day a request whose parents are silent since this day should be closed (a month, then a week)."""
    return (pd.Timestamp(silent_since) + REMINDER_AFTER + CLOSE_AFTER_REMINDER).date()


def classify(requests: pd.DataFrame, today: date, approved_children=None, settings: Settings = DEFAULTS) -> pd.DataFrame:
    """Add the R1-R3 flags of every request on day `today` (a copy; the input is left alone).

    approved_children: the children with an approved request anywhere; by default taken from the
    frame itself (pass it when the frame holds only some providers' requests). A request closed by R3
    'ended' on its child's earliest approval date (column closed_on; unknown when only the children are given).
    """
    t = pd.Timestamp(today)
    df = requests.copy()
    status = df["status"]
    if approved_children is None:
        approvals = df[status == statuses.APPROVED]
        first_approval = approvals.groupby("child_id")["status_date"].min()
        approved_children = list(first_approval.index)
    else:
        approved_children = list(approved_children)
        first_approval = pd.Series(pd.NaT, index=pd.Index(approved_children, dtype=object), dtype="datetime64[ns]")
    is_open_status = status.isin(statuses.OPEN)
    df["closed_elsewhere"] = is_open_status & df["child_id"].isin(approved_children)  # R3
    df["closed_on"] = pd.to_datetime(df["child_id"].map(first_approval.to_dict())).where(df["closed_elsewhere"])
    df["is_open"] = is_open_status & ~df["closed_elsewhere"]  # R1
    df["deadline"] = df["received"] + pd.Timedelta(days=settings.deadline_days)
    # R2: 'nieuw' and 'vraag ontvangen' are no answer, whatever answer date an export puts beside them.
    df["answered"] = df["answer_date"].notna() & ~status.isin(statuses.UNANSWERED)
    df["answer_date"] = df["answer_date"].where(df["answered"])  # what the pages show as "Antwoord op"
    df["answered_in_time"] = df["answered"] & (df["answer_date"] <= df["deadline"])
    waiting = df["is_open"] & ~df["answered"]
    days_left = (df["deadline"] - t).dt.days
    df["days_left"] = days_left.where(waiting)
    df["overdue"] = waiting & (days_left < 0)
    df["due_soon"] = waiting & (days_left >= 0) & (days_left <= settings.due_soon_days)
    df["days_late"] = (-days_left).where(df["overdue"])
    return df


def provider_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """The report counts per provider_id (index), in COUNT_KEYS order."""
    status = classified["status"]
    flags = pd.DataFrame({
        "provider_id": classified["provider_id"],
        "open": classified["is_open"],
        "overdue": classified["overdue"],
        "answered": classified["answered"],
        "answered_in_time": classified["answered_in_time"],
        "not_possible": status == statuses.NOT_POSSIBLE,
        "approved": status == statuses.APPROVED,
        "cancelled_by_provider": status == statuses.CANCELLED_BY_PROVIDER,
        "closed_elsewhere_approved": classified["closed_elsewhere"],
    })
    return flags.groupby("provider_id")[list(COUNT_KEYS)].sum().astype(int)


def children_unmet(requests: pd.DataFrame) -> pd.Index:
    """R5: children whose requests are all closed, one at least 'opvangplan niet mogelijk', none approved."""
    status = requests["status"]
    per_child = pd.DataFrame({
        "child_id": requests["child_id"],
        "open": status.isin(statuses.OPEN),
        "not_possible": status == statuses.NOT_POSSIBLE,
        "approved": status == statuses.APPROVED,
    }).groupby("child_id").any()
    unmet = ~per_child["open"] & per_child["not_possible"] & ~per_child["approved"]
    return per_child.index[unmet]


def followups(classified: pd.DataFrame, today: date) -> pd.DataFrame:
    """R4: open requests 'in behandeling' whose parents are silent for a month: send the reminder, then close.

    The last reaction is the date of the current status. Returns those rows with reminder_date,
    close_date and todo ('herinnering' or 'afsluiten').
    """
    t = pd.Timestamp(today)
    rows = classified[classified["is_open"] & (classified["status"] == statuses.IN_PROGRESS)].copy()
    rows["reminder_date"] = rows["status_date"] + REMINDER_AFTER
    rows["close_date"] = rows["reminder_date"] + CLOSE_AFTER_REMINDER
    rows = rows[rows["reminder_date"] <= t]
    rows["todo"] = (rows["close_date"] <= t).map({True: "afsluiten", False: "herinnering"})
    return rows.sort_values("reminder_date")


def in_time_rate(classified: pd.DataFrame, today: date, days: int = IN_TIME_WINDOW_DAYS) -> float | None:
    """Share of requests whose deadline fell in the last `days` days that were answered by it.

    Requests that ended without any answer on or before their deadline (cancelled by the parents, closed by
    an approval elsewhere dated on or before it, R3) are left out: nobody had to answer them any more. One
    that ended without an answer after its deadline, or is still open, was answered late. None when no
    deadline fell in the window.
    """
    t = pd.Timestamp(today)
    window = classified[(classified["deadline"] > t - pd.Timedelta(days=days)) & (classified["deadline"] <= t)]
    closed_after_deadline = ~window["is_open"] & ~window["closed_elsewhere"] & (window["status_date"] > window["deadline"])
    approved_elsewhere_after_deadline = window["closed_elsewhere"] & (window["closed_on"] > window["deadline"])
    had_to_answer = window["answered"] | window["is_open"] | closed_after_deadline | approved_elsewhere_after_deadline
    window = window[had_to_answer]
    if window.empty:
        return None
    return float(window["answered_in_time"].mean())
