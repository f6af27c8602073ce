"""Reads for R11: the data of every provider from the database, judged by llko.compliance.rules, and the
compliance contract of DESIGN.md (`python -m llko compliance --from F --to T --json`)."""

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Date, bindparam, case, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import corrections, settings as settings_store
from llko.accounts.models import User
from llko.agreements import queries as agreement_queries
from llko.accounts import queries as account_queries
from llko.compliance import bulk, evidence, ladder, redact, rules
from llko.compliance.models import AdviceOverride, AdviceRound, Contact, EnforcementFile, EnforcementStep, StepAttachment
from llko.infopagina import queries as infopagina_queries
from llko.requests import queries as request_queries, statuses
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
    with T as today and the settings in force now (or those given), judged for all providers at once
    (llko.compliance.bulk; rules.provider_verdicts per provider is the reference it is held to). F > T: Dutch
    ValueError."""
    rules.check_period(date_from, date_to)
    settings = settings or settings_store.load(engine)
    frame, approvals = requests(engine, date_from, date_to, settings)
    frame = rules.prepared(frame, date_to, settings, approvals)  # classified once, not once per provider
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
    return bulk.all_verdicts(frame, _providers(engine), checks, meetings, signed, places, date_from, date_to, settings,
                             approvals)


def compliance(engine: Engine, date_from: date, date_to: date) -> dict:
    """The compliance contract over a free period: {"from", "to", "providers": {opvang_id: {obligation: {verdict,
    category, evidence [, share]}, ..., negative_advice, zero_score}}} for every provider, R11 with the settings in
    force now, live, without overrides (overrides belong to an advice round: llko.compliance.rounds.contract)."""
    found = verdicts(engine, date_from, date_to)
    return {"from": date_from.isoformat(), "to": date_to.isoformat(),
            "providers": {pid: rules.contract_entry(v) for pid, v in found.items()}}


# --- the compliance records: overrides, contacts, enforcement files -------------------------------------------

def overrides_of_round(engine: Engine, round_id: int,
                       provider_ids: tuple[str, ...] | None = None) -> dict[str, dict[str, evidence.Override]]:
    """The overrides in force in an advice round: per provider and advice, the latest decision, left out when that
    decision withdrew the override."""
    query = (select(AdviceOverride).where(AdviceOverride.round_id == round_id)
             .order_by(AdviceOverride.decided_at, AdviceOverride.id))
    if provider_ids is not None:
        query = query.where(AdviceOverride.provider_id.in_(provider_ids))
    latest: dict[tuple[str, str], AdviceOverride] = {}
    with Session(engine) as session:
        for row in session.execute(query).scalars():
            latest[(row.provider_id, row.advice)] = row
    found: dict[str, dict[str, evidence.Override]] = {}
    for (provider_id, key), row in latest.items():
        if row.value is not None:
            found.setdefault(provider_id, {})[key] = evidence.Override(row.value, row.motivation, row.decided_by,
                                                                        row.decided_at)
    return found


def named(engine: Engine, overrides: dict[str, dict[str, evidence.Override]]
          ) -> dict[str, dict[str, evidence.Override]]:
    """These overrides with who decided as a full name (the account's, else 'het loket'), as every screen shows it."""
    names = account_queries.full_names(engine) if overrides else {}
    return {pid: {key: replace(o, by=redact.decided_by(o.by, names)) for key, o in by_key.items()}
            for pid, by_key in overrides.items()}


def for_policy(engine: Engine, overrides: dict[str, dict[str, evidence.Override]]
               ) -> dict[str, dict[str, evidence.Override]]:
    """These overrides as a policy maker may read them: who decided as a full name (never a user name), and every
    request or child id in the motivation masked (llko.compliance.redact)."""
    shown = named(engine, overrides)
    ids = request_queries.known_ids(engine, set().union(*(redact.candidates(o.motivation)
                                                          for by_key in shown.values() for o in by_key.values())))
    return {pid: {key: replace(o, motivation=redact.mask_ids(o.motivation, ids)) for key, o in by_key.items()}
            for pid, by_key in shown.items()}


def override_history(engine: Engine, provider_id: str) -> pd.DataFrame:
    """Every decision on a provider's advice, newest first: round (its name), advice, period, derived, value (None:
    withdrawn), motivation, decided_by (the account's full name, else its user name), decided_at, and `state` and
    `remark` (R14: an earlier decision is `gecorrigeerd` by the next one on the same advice in the same round)."""
    query = (select(AdviceRound.name.label("round"), AdviceOverride.advice, AdviceOverride.period_from,
                    AdviceOverride.period_to, AdviceOverride.derived, AdviceOverride.value, AdviceOverride.motivation,
                    func.coalesce(func.nullif(User.name, ""), AdviceOverride.decided_by).label("decided_by"),
                    AdviceOverride.decided_at, *corrections.columns(AdviceOverride))
             .join(AdviceRound, AdviceRound.id == AdviceOverride.round_id, isouter=True)
             .join(User, User.username == AdviceOverride.decided_by, isouter=True)
             .where(AdviceOverride.provider_id == provider_id)
             .order_by(AdviceOverride.decided_at.desc(), AdviceOverride.id.desc()))
    with engine.connect() as conn:
        return corrections.with_remark(parse_dates(pd.read_sql(query, conn), ["period_from", "period_to",
                                                                              "decided_at"]))


def contacts(engine: Engine, provider_ids: tuple[str, ...] | None = None, since: date | None = None,
             history: bool = False) -> pd.DataFrame:
    """The loket's contacts that stand, newest first: id, provider_id, contact_on, channel, note, obligations
    (list), request_ids (list), recorded_by (the account's name; its username when the account is gone). With
    history, the corrected and withdrawn ones too, and `state` and `remark` (R14)."""
    query = (select(Contact.id, Contact.provider_id, Contact.contact_on, Contact.channel, Contact.note,
                    Contact.obligations, Contact.request_ids,
                    func.coalesce(User.name, Contact.recorded_by).label("recorded_by"), *corrections.columns(Contact))
             .outerjoin(User, User.username == Contact.recorded_by)
             .order_by(Contact.contact_on.desc(), Contact.id.desc()))
    if not history:
        query = query.where(corrections.standing(Contact))
    if provider_ids is not None:
        query = query.where(Contact.provider_id.in_(provider_ids))
    if since is not None:
        query = query.where(Contact.contact_on >= since)
    with engine.connect() as conn:
        frame = corrections.with_remark(parse_dates(pd.read_sql(query, conn), ["contact_on"]))
    for column in ("obligations", "request_ids"):
        frame[column] = frame[column].map(_listed)
    return frame if history else frame.drop(columns=["state", "remark"])


def _listed(value: str | None) -> list[str]:
    """A comma-separated column (obligations, request ids) as the list the service joined."""
    return [x for x in (value or "").split(",") if x]


def _ladder_rank():
    """A step's place on the ladder, in SQL: a file's steps are ordered by it (the ladder is only climbed)."""
    return case({step: i for i, step in enumerate(ladder.STEPS)}, value=EnforcementStep.step)


def files(engine: Engine, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The enforcement files that stand, open ones first, then newest: id, provider_id, obligations (list),
    opened_on, closed_on, outcome, step (the latest standing step) and step_on (its date)."""
    rank = _ladder_rank()
    latest = (select(EnforcementStep.file_id, func.max(rank).label("rank"))
              .where(corrections.standing(EnforcementStep)).group_by(EnforcementStep.file_id).subquery())
    query = (select(EnforcementFile.id, EnforcementFile.provider_id, EnforcementFile.obligations,
                    EnforcementFile.opened_on, EnforcementFile.closed_on, EnforcementFile.outcome,
                    EnforcementStep.step, EnforcementStep.taken_on.label("step_on"))
             .join(latest, latest.c.file_id == EnforcementFile.id)
             .join(EnforcementStep, (EnforcementStep.file_id == EnforcementFile.id) & (rank == latest.c.rank)
                   & corrections.standing(EnforcementStep))
             .where(corrections.standing(EnforcementFile))
             .order_by(EnforcementFile.closed_on.is_not(None), EnforcementFile.opened_on.desc(),
                       EnforcementFile.id.desc()))
    if provider_ids is not None:
        query = query.where(EnforcementFile.provider_id.in_(provider_ids))
    with engine.connect() as conn:
        frame = parse_dates(pd.read_sql(query, conn), ["opened_on", "closed_on", "step_on"])
    frame["obligations"] = frame["obligations"].map(_listed)
    return frame


def steps(engine: Engine, provider_id: str, history: bool = False) -> pd.DataFrame:
    """The standing steps of the standing files of a provider, oldest first: id, file_id, step, taken_on, author,
    note, and attachments (a list of (attachment id, name)). With history, the corrected and withdrawn ones too,
    and `state` and `remark` (R14)."""
    query = (select(EnforcementStep.id, EnforcementStep.file_id, EnforcementStep.step, EnforcementStep.taken_on,
                    EnforcementStep.author, EnforcementStep.note, *corrections.columns(EnforcementStep))
             .join(EnforcementFile, EnforcementFile.id == EnforcementStep.file_id)
             .where(EnforcementFile.provider_id == provider_id)
             .order_by(EnforcementStep.taken_on, _ladder_rank(), EnforcementStep.id))
    if not history:
        query = query.where(corrections.standing(EnforcementStep), corrections.standing(EnforcementFile))
    names = (select(StepAttachment.id, StepAttachment.step_id, StepAttachment.name)
             .join(EnforcementStep, EnforcementStep.id == StepAttachment.step_id)
             .join(EnforcementFile, EnforcementFile.id == EnforcementStep.file_id)
             .where(EnforcementFile.provider_id == provider_id).order_by(StepAttachment.id))
    with engine.connect() as conn:
        frame = parse_dates(pd.read_sql(query, conn), ["taken_on"])
        attached: dict[int, list] = {}
        for attachment_id, step_id, name in conn.execute(names):
            attached.setdefault(step_id, []).append((attachment_id, name))
    frame["attachments"] = frame["id"].map(lambda i: attached.get(i, []))
    frame = corrections.with_remark(frame)
    return frame if history else frame.drop(columns=["state", "remark"])


def attachment(engine: Engine, attachment_id: int, provider_id: str | None = None) -> tuple[str, bytes] | None:
    """An attachment's name and bytes (only when it belongs to provider_id, if given)."""
    query = (select(StepAttachment.name, StepAttachment.data, EnforcementFile.provider_id)
             .join(EnforcementStep, EnforcementStep.id == StepAttachment.step_id)
             .join(EnforcementFile, EnforcementFile.id == EnforcementStep.file_id)
             .where(StepAttachment.id == attachment_id))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or (provider_id is not None and row.provider_id != provider_id):
        return None
    return row.name, bytes(row.data)
