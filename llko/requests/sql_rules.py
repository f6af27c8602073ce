"""R1-R5 evaluated inside the database, for counts over many requests (the pages and the report).

llko.requests.rules states the rules as pure pandas functions; this module gives the same answers with
GROUP BY queries, so that a region with a million requests never travels into pandas.
tests/test_sql_rules.py checks both agree on random data, on SQLite and PostgreSQL.
Only constants of llko.requests.statuses and the validated whole deadline_days are written into the SQL; every
other value from outside is a bound parameter.
"""

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Date, bindparam, text
from sqlalchemy.engine import Engine

from llko import settings as settings_store
from llko.requests import queries, rules
from llko.requests import statuses
from llko.requests.queries import EVERYTHING, Selection
from llko.settings import DEFAULTS, Settings


def status_list(values) -> str:
    """Statuses as an SQL list literal: ('nieuw', 'vraag ontvangen')."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


OPEN = f"status IN {status_list(statuses.OPEN)}"
ANSWERED = f"(answer_date IS NOT NULL AND status NOT IN {status_list(statuses.UNANSWERED)})"  # R2
APPROVED_CHILDREN = f"SELECT child_id FROM requests WHERE status = '{statuses.APPROVED}'"  # R3
# R3 negated: NOT EXISTS, which the databases run as an anti-join (NOT IN cannot be, because of NULLs).
NOT_APPROVED_ELSEWHERE = (f"NOT EXISTS (SELECT 1 FROM requests a WHERE a.child_id = requests.child_id "
                          f"AND a.status = '{statuses.APPROVED}')")


def deadline_sql(engine: Engine, settings: Settings, received: str = "received") -> str:
    """R2's deadline (received + deadline_days) as an SQL expression of this database; deadline_days is a whole
    number validated by llko.settings, written into the SQL as such."""
    days = int(settings.deadline_days)
    if engine.dialect.name == "sqlite":
        return f"date({received}, '+{days} days')"
    return f"({received} + {days})"


def _flag(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _days_before(name: str, today: date, days: int):
    return bindparam(name, today - timedelta(days=days), type_=Date)


# R2 on day T for a request without an answer, by its date of receipt: overdue when the deadline lies
# before T; due soon when it lies 0 to due_soon_days after T. Both need _deadline_params(T, settings).
OVERDUE = "received < :overdue_before"
DUE_SOON = "received >= :overdue_before AND received <= :due_soon_until"


def _deadline_params(today: date, settings: Settings) -> tuple:
    return (_days_before("overdue_before", today, settings.deadline_days),
            _days_before("due_soon_until", today, settings.deadline_days - settings.due_soon_days))


def _open_part(engine: Engine, today: date, selection: Selection, by_provider: bool, settings: Settings) -> pd.DataFrame:
    """Counts over the open requests only (few, whatever the history): open, overdue, due_soon and
    closed_elsewhere_approved, per provider_id or in one row ('all').

    Counted once over every open request and once over those of approved children (one hash semi-join;
    a lookup per row is ~5x slower at a million requests); R3 is the difference.
    """
    where, params = selection.where()
    waiting = f"{OPEN} AND NOT {ANSWERED}"
    group = ("provider_id", "GROUP BY provider_id") if by_provider else ("'all' AS provider_id", "")
    counts = f"""
        SELECT {group[0]}, COUNT(*) AS n,
               {_flag(f"{waiting} AND {OVERDUE}")} AS overdue,
               {_flag(f"{waiting} AND {DUE_SOON}")} AS due_soon
        FROM requests WHERE {where} AND {OPEN}"""
    with engine.connect() as conn:
        every, elsewhere = (
            pd.read_sql(text(sql).bindparams(*params, *_deadline_params(today, settings)), conn).set_index("provider_id").fillna(0).astype(int)
            for sql in (f"{counts} {group[1]}", f"{counts} AND child_id IN ({APPROVED_CHILDREN}) {group[1]}"))
    elsewhere = elsewhere.reindex(every.index, fill_value=0)
    return pd.DataFrame({"open": every["n"] - elsewhere["n"], "overdue": every["overdue"] - elsewhere["overdue"],
                         "due_soon": every["due_soon"] - elsewhere["due_soon"],
                         "closed_elsewhere_approved": elsewhere["n"]})


def open_counts(engine: Engine, today: date, selection: Selection = EVERYTHING,
                settings: Settings = DEFAULTS) -> dict[str, int]:
    """open, overdue, due_soon and closed_elsewhere_approved summed over the selection."""
    counts = _open_part(engine, today, selection, by_provider=False, settings=settings)
    keys = ("open", "overdue", "due_soon", "closed_elsewhere_approved")
    return {k: int(counts[k].sum()) for k in keys}


SUMMARY_COLUMNS = ("total", "answered", "answered_in_time", "not_possible", "approved", "cancelled_by_provider")


def _day_independent_counts(conn, where: str, settings: Settings) -> str:
    """SELECT provider_id and SUMMARY_COLUMNS, in that order, over the requests that meet where."""
    return f"""
        SELECT provider_id, COUNT(*) AS total,
               {_flag(ANSWERED)} AS answered,
               {_flag(f"{ANSWERED} AND answer_date <= {deadline_sql(conn, settings)}")} AS answered_in_time,
               {_flag(f"status = '{statuses.NOT_POSSIBLE}'")} AS not_possible,
               {_flag(f"status = '{statuses.APPROVED}'")} AS approved,
               {_flag(f"status = '{statuses.CANCELLED_BY_PROVIDER}'")} AS cancelled_by_provider
        FROM requests WHERE {where} GROUP BY provider_id"""


def _children_unmet_sql() -> str:
    """rules.children_unmet in SQL: how many children have all requests closed, one 'niet mogelijk', none approved."""
    return f"""
        SELECT COUNT(*) FROM (
            SELECT DISTINCT child_id FROM requests r WHERE status = '{statuses.NOT_POSSIBLE}' AND NOT EXISTS (
                SELECT 1 FROM requests a WHERE a.child_id = r.child_id
                AND a.status IN {status_list((*statuses.OPEN, statuses.APPROVED))})) unmet"""


def refresh_summary(conn, settings: Settings | None = None) -> None:
    """Rebuild provider_summary and summary_figures from the requests, inside the caller's transaction, with the
    settings stored there (or these, when a change of them is being saved in the same transaction).

    Every writer of requests calls it (importer, demo, benchmark load; llko.bootstrap.migrate after an upgrade;
    a change of deadline_days),
    so the figures that do not depend on the day are read from a few thousand rows instead of counted over
    every request. On PostgreSQL it takes the importer's lock (a no-op inside an import), so two rebuilds
    never interleave.
    """
    settings = settings or settings_store.load_from(conn)
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE requests IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(text("DELETE FROM provider_summary"))
    conn.execute(text(f"INSERT INTO provider_summary (provider_id, {', '.join(SUMMARY_COLUMNS)}) "
                      f"{_day_independent_counts(conn, '1 = 1', settings)}"))
    unmet = conn.execute(text(_children_unmet_sql())).scalar_one()
    conn.execute(text("DELETE FROM summary_figures"))
    conn.execute(text("INSERT INTO summary_figures (name, value) VALUES ('children_unmet', :n), "
                      "('deadline_days', :d)"), {"n": unmet, "d": int(settings.deadline_days)})


def _summary_deadline_days(engine: Engine) -> int | None:
    """The deadline_days provider_summary was built with (its 'answered in time' depends on it)."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT value FROM summary_figures WHERE name = 'deadline_days'")).scalar()


def provider_counts(engine: Engine, today: date, selection: Selection = EVERYTHING,
                    settings: Settings = DEFAULTS) -> pd.DataFrame:
    """rules.provider_counts in SQL: the report counts per provider_id (index), plus 'due_soon' and 'total'.

    The day-independent counts come from provider_summary for everything (when it was built with this
    deadline_days; else, e.g. after a change written past llko.services, they are counted here), else grouped per provider first (names are joined later, by the
    caller); the open requests, few, apart.
    """
    where, params = selection.where()
    if selection == EVERYTHING and _summary_deadline_days(engine) == settings.deadline_days:
        sql = text(f"SELECT provider_id, {', '.join(SUMMARY_COLUMNS)} FROM provider_summary")
    else:
        sql = text(_day_independent_counts(engine, where, settings)).bindparams(*params)
    with engine.connect() as conn:
        frame = pd.read_sql(sql, conn).set_index("provider_id")
    frame = frame.join(_open_part(engine, today, selection, True, settings)).fillna(0).astype(int)
    return frame[[*rules.COUNT_KEYS, "due_soon", "total"]]


def children_unmet(engine: Engine) -> int:
    """R5 over every request: the figure refresh_summary stored."""
    with engine.connect() as conn:
        value = conn.execute(text("SELECT value FROM summary_figures WHERE name = 'children_unmet'")).scalar()
    return int(value or 0)


def in_time_counts(engine: Engine, today: date, selection: Selection = EVERYTHING,
                   days: int = rules.IN_TIME_WINDOW_DAYS, settings: Settings = DEFAULTS) -> pd.DataFrame:
    """Per provider_id (index): of the requests whose deadline fell in the last `days` days (up to today),
    how many had to be answered ('due') and how many were answered by their deadline ('in_time')."""
    where, params = selection.where()
    deadline = deadline_sql(engine, settings)
    # Three disjoint parts had to be answered: the answered; the unanswered closed after their deadline;
    # the unanswered in an open status, unless an approval of the child closed them by their deadline (R3).
    closed_after_deadline = f"NOT {ANSWERED} AND NOT {OPEN} AND status_date > {deadline}"
    window = f"{where} AND received > :window_start AND received <= :window_end"
    sql = (f"SELECT provider_id, {_flag(f'{ANSWERED} OR ({closed_after_deadline})')} AS due, "
           f"{_flag(f'{ANSWERED} AND answer_date <= {deadline}')} AS in_time FROM requests WHERE {window} "
           f"GROUP BY provider_id")
    # R3: a request closed by an approval dated after its deadline was still waiting then: late.
    not_closed_in_time = (f"NOT EXISTS (SELECT 1 FROM requests a WHERE a.child_id = requests.child_id AND a.status = "
                          f"'{statuses.APPROVED}' AND a.status_date <= {deadline_sql(engine, settings, 'requests.received')})")
    open_here = (f"SELECT provider_id, COUNT(*) AS n FROM requests WHERE {window} AND {OPEN} AND NOT {ANSWERED} "
                 f"AND {not_closed_in_time} GROUP BY provider_id")
    dates = (_days_before("window_start", today, days + settings.deadline_days),
             _days_before("window_end", today, settings.deadline_days))
    with engine.connect() as conn:
        counts = pd.read_sql(text(sql).bindparams(*params, *dates), conn).set_index("provider_id")
        still_open = pd.read_sql(text(open_here).bindparams(*params, *dates), conn).set_index("provider_id")["n"]
    counts = counts.reindex(counts.index.union(still_open.index), fill_value=0).fillna(0)
    counts["due"] = counts["due"] + still_open.reindex(counts.index, fill_value=0)
    return counts[["due", "in_time"]].astype(int)


def in_time_rate(engine: Engine, today: date, selection: Selection = EVERYTHING,
                 days: int = rules.IN_TIME_WINDOW_DAYS, settings: Settings = DEFAULTS) -> float | None:
    """rules.in_time_rate in SQL: of the requests whose deadline fell in the last `days` days and that had
    to be answered, the share answered by their deadline (None when none had to be)."""
    counts = in_time_counts(engine, today, selection, days, settings)
    due = int(counts["due"].sum())
    return None if not due else float(counts["in_time"].sum()) / due


# Which rows each request list needs: a superset of the list (llko.requests.rules then decides exactly) of open
# requests not closed by an approval elsewhere, in the order the list is shown.
_LISTS = {
    "overdue": (f"NOT {ANSWERED} AND {OVERDUE}", "received, id"),
    "due_soon": (f"NOT {ANSWERED} AND {DUE_SOON}", "received, id"),
    "waiting": (f"NOT {ANSWERED} AND NOT ({OVERDUE})", "received, id"),
    "followups": (f"status = '{statuses.IN_PROGRESS}' AND status_date <= :silent_since", "status_date, id"),
}


def open_request_rows(engine: Engine, today: date, which: str, selection: Selection = EVERYTHING,
                      limit: int | None = None, settings: Settings = DEFAULTS) -> pd.DataFrame:
    """The rows of one request list ('overdue', 'due_soon', 'waiting' or 'followups'), classified by
    llko.requests.rules and cut to that list, at most `limit` of them."""
    condition, order_by = _LISTS[which]
    params = [*_deadline_params(today, settings),  # R4 below: a superset, rules.followups decides exactly
              _days_before("silent_since", today, rules.SHORTEST_MONTH_DAYS)]
    used = [p for p in params if f":{p.key}" in condition]
    frame = queries.requests(engine, selection, f"{OPEN} AND {NOT_APPROVED_ELSEWHERE} AND {condition}",
                             tuple(used), order_by, limit)
    classified = rules.classify(frame, today, approved_children=(), settings=settings)
    if which == "followups":
        return rules.followups(classified, today)
    if which == "waiting":
        return classified[classified["is_open"] & ~classified["answered"] & ~classified["overdue"]]
    return classified[classified[which]]
