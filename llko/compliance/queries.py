"""Reads for R11: the data of every provider from the database, judged by llko.compliance.rules, and the
compliance contract of DESIGN.md (`python -m llko compliance --from F --to T --json`)."""

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Date, bindparam, text
from sqlalchemy.engine import Engine

from llko import settings as settings_store
from llko.agreements import queries as agreement_queries
from llko.compliance import rules
from llko.infopagina import queries as infopagina_queries
from llko.requests import statuses
from llko.requests.queries import parse_dates
from llko.settings import Settings
from llko.vacancies import queries as vacancy_queries

COLUMNS = "id, child_id, provider_id, received, desired_start, status, status_date, answer_date, vulnerable"
DATES = ["received", "desired_start", "status_date", "answer_date"]

# A superset of the requests any obligation may look at over [F, T] (the rules themselves decide): a deadline in
# the period (answering), `in behandeling` (lingering, whatever F), and approvals or cancellations by the provider
# dated in the period (vacancies, plus_share, direct cancellations).
RELEVANT = (f"(received >= :received_from AND received <= :received_to) OR status = '{statuses.IN_PROGRESS}' "
            f"OR (status IN ('{statuses.APPROVED}', '{statuses.CANCELLED_BY_PROVIDER}') "
            "AND status_date >= :date_from AND status_date <= :date_to)")


def _params(date_from: date, date_to: date, settings: Settings) -> list:
    days = timedelta(days=settings.deadline_days)
    return [bindparam("received_from", date_from - days, type_=Date),
            bindparam("received_to", date_to - days, type_=Date),
            bindparam("date_from", date_from, type_=Date), bindparam("date_to", date_to, type_=Date)]


def requests(engine: Engine, date_from: date, date_to: date, settings: Settings) -> tuple[pd.DataFrame, dict]:
    """The requests R11 may look at over [F, T], in their latest known state, and R3's earliest approval date of
    each of their children (at any provider, whatever its date)."""
    params = _params(date_from, date_to, settings)
    rows = text(f"SELECT {COLUMNS} FROM requests WHERE {RELEVANT} ORDER BY provider_id, id").bindparams(*params)
    approvals = text(f"SELECT child_id, MIN(status_date) AS approved_on FROM requests "
                     f"WHERE status = '{statuses.APPROVED}' AND child_id IN "
                     f"(SELECT child_id FROM requests WHERE {RELEVANT}) GROUP BY child_id").bindparams(*params)
    with engine.connect() as conn:
        frame = pd.read_sql(rows, conn)
        first = pd.read_sql(approvals, conn)
    frame = parse_dates(frame, DATES)
    first = parse_dates(first, ["approved_on"])
    return frame, {child: day.date() for child, day in zip(first["child_id"], first["approved_on"])}


def _providers(engine: Engine) -> list[tuple[str, str | None]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, subsidy_level FROM providers ORDER BY id"))]


def verdicts(engine: Engine, date_from: date, date_to: date,
             settings: Settings | None = None) -> dict[str, dict[str, rules.Verdict]]:
    """Per provider id (every provider in the database, by id): its verdicts in OBLIGATIONS order, over [F, T]
    with T as today and the settings in force now (or those given). F > T: Dutch ValueError."""
    rules.check_period(date_from, date_to)
    settings = settings or settings_store.load(engine)
    frame, approvals = requests(engine, date_from, date_to, settings)
    by_provider = {pid: rows for pid, rows in frame.groupby("provider_id", sort=False)}
    checks: dict[str, list] = {}
    for check in infopagina_queries.checks(engine):
        checks.setdefault(check.provider_id, []).append(check)
    places: dict[str, list] = {}
    for vacancy in vacancy_queries.vacancies(engine):
        places.setdefault(vacancy.provider_id, []).append(vacancy)
    signed: dict[str, list] = {}
    for provider_id, signed_on in agreement_queries.signatures(engine)[["provider_id", "signed_on"]].itertuples(
            index=False):
        signed.setdefault(provider_id, []).append(pd.Timestamp(signed_on).date())
    meetings = agreement_queries.meetings(engine)
    found = {}
    for provider_id, level in _providers(engine):
        own = by_provider.get(provider_id, frame.iloc[0:0])
        found[provider_id] = rules.provider_verdicts(
            provider_id, level, own, checks.get(provider_id, []), meetings, signed.get(provider_id, []),
            places.get(provider_id, []), date_from, date_to, settings, approvals)
    return found


def compliance(engine: Engine, date_from: date, date_to: date) -> dict:
    """The compliance contract: {"from", "to", "providers": {opvang_id: {obligation: {verdict, category, evidence
    [, share]}, ..., negative_advice, zero_score}}} for every provider, R11 with the settings in force now."""
    found = verdicts(engine, date_from, date_to)
    return {"from": date_from.isoformat(), "to": date_to.isoformat(),
            "providers": {pid: rules.contract_entry(v) for pid, v in found.items()}}
