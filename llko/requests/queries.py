"""Bulk reads as pandas frames (pandas.read_sql on SQL), with dates parsed. Pages and reports read here."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Date, bindparam, text
from sqlalchemy.engine import Engine

from llko.providers.queries import providers
from llko.requests import statuses

REQUEST_DATES = ["received", "status_date", "answer_date"]


def parse_dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """SQLite gives dates as strings, PostgreSQL as date objects: make both datetime64."""
    for col in columns:
        frame[col] = pd.to_datetime(frame[col], format="ISO8601")
    return frame


@dataclass(frozen=True)
class Selection:
    """Which requests: some providers, some current statuses, received in a period (each optional)."""

    provider_ids: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    received_from: date | None = None
    received_until: date | None = None

    def where(self) -> tuple[str, list]:
        """SQL conditions joined with AND, and the bind parameters they need."""
        parts, params = ["1 = 1"], []
        if self.provider_ids is not None:
            parts.append("provider_id IN :provider_ids")
            params.append(bindparam("provider_ids", list(self.provider_ids) or [""], expanding=True))
        if self.statuses is not None:
            parts.append("status IN :statuses")
            params.append(bindparam("statuses", list(self.statuses) or [""], expanding=True))
        if self.received_from is not None:
            parts.append("received >= :received_from")
            params.append(bindparam("received_from", self.received_from, type_=Date))
        if self.received_until is not None:
            parts.append("received <= :received_until")
            params.append(bindparam("received_until", self.received_until, type_=Date))
        return " AND ".join(parts), params


EVERYTHING = Selection()


def requests(engine: Engine, selection: Selection = EVERYTHING, condition: str = "1 = 1", params: tuple = (),
             order_by: str = "received, id", limit: int | None = None) -> pd.DataFrame:
    """Requests in their latest state, with the provider's name: those of the selection that meet condition
    (SQL from llko, never from a page, with its bind params), in order_by order, at most limit.

    Only the columns the rules and pages use: every extra column costs at a million rows.
    """
    where, bound = selection.where()
    sql = (f"SELECT id, child_id, provider_id, received, status, status_date, answer_date FROM requests "
           f"WHERE {where} AND ({condition}) ORDER BY {order_by}")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with engine.connect() as conn:
        frame = pd.read_sql(text(sql).bindparams(*bound, *params), conn)
    frame["provider_name"] = frame["provider_id"].map(providers(engine).set_index("id")["name"])
    return parse_dates(frame, REQUEST_DATES)


def received_span(engine: Engine) -> tuple[date | None, date | None]:
    """The first and the last date of receipt of any request (None, None without requests)."""
    with engine.connect() as conn:
        first, last = conn.execute(text("SELECT MIN(received), MAX(received) FROM requests")).one()
    return tuple(None if v is None else pd.Timestamp(v).date() for v in (first, last))


def received_per_day(engine: Engine) -> pd.DataFrame:
    """How many requests arrived per day and current status: small at any scale (days x 7 statuses)."""
    stmt = text("SELECT received, status, COUNT(*) AS n FROM requests GROUP BY received, status")
    with engine.connect() as conn:
        return parse_dates(pd.read_sql(stmt, conn), ["received"])


def approved_children(engine: Engine, child_ids: list[str]) -> set[str]:
    """Which of these children have an approved request anywhere (R3), without revealing where."""
    if not child_ids:
        return set()
    stmt = text("SELECT DISTINCT child_id FROM requests WHERE status = :approved AND child_id IN :ids")
    stmt = stmt.bindparams(bindparam("ids", expanding=True))
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(stmt, {"ids": child_ids, "approved": statuses.APPROVED})}


def status_history(engine: Engine, request_id: str) -> pd.DataFrame:
    stmt = text("""SELECT status, status_date, snapshot_date FROM status_history
                   WHERE request_id = :rid ORDER BY status_date, snapshot_date""")
    with engine.connect() as conn:
        frame = pd.read_sql(stmt, conn, params={"rid": request_id})
    return parse_dates(frame, ["status_date", "snapshot_date"])


def import_runs(engine: Engine, limit: int = 200) -> pd.DataFrame:
    stmt = text("""SELECT id, file_name, as_of, imported_at, imported_by, rows_total, rows_new,
                          rows_updated, status_changes FROM import_runs ORDER BY imported_at DESC, id DESC LIMIT :n""")
    with engine.connect() as conn:
        frame = pd.read_sql(stmt, conn, params={"n": limit})
    frame = parse_dates(frame, ["as_of"])
    frame["imported_at"] = pd.to_datetime(frame["imported_at"], format="ISO8601", utc=True)
    return frame




def known_ids(engine: Engine, candidates: set[str]) -> set[str]:
    """Which of these strings are a request id or a child id in the database (to mask them in text)."""
    if not candidates:
        return set()
    query = text("SELECT id FROM requests WHERE id IN :c UNION SELECT child_id FROM requests WHERE child_id IN :c"
                 ).bindparams(bindparam("c", sorted(candidates), expanding=True))
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(query)}
