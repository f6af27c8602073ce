"""What a notify run reads: the outbox (what was composed and sent before) and the rows of day D that the reminders
and the digest are made of. Counts stay in SQL; only the rows a mail lists travel into pandas."""

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko.accounts.models import User
from llko.compliance import ladder
from llko.compliance import queries as compliance_queries
from llko.compliance.rules import LABELS as OBLIGATION_LABELS
from llko.infopagina import queries as infopagina_queries
from llko.infopagina import rules as infopagina_rules
from llko.notify import compose, rules, stale
from llko.notify.models import DIGEST, FAILED, PENDING, REMINDER, SENT, OutboxMail, OutboxRequest
from llko.providers.models import Provider
from llko.requests import sql_rules
from llko.settings import Settings
from llko.vacancies import queries as vacancy_queries
from llko.vacancies import rules as vacancy_rules

FIRST_DIGEST_DAYS = 7  # without an earlier digest, "newly reported" places are those of the last week


def sent_reminders(engine: Engine, day: date) -> dict[str, list[date]]:
    """Request id -> the as-of days of the sent reminders with an earlier as-of date that named it (R13's cap)."""
    query = (select(OutboxRequest.request_id, OutboxMail.as_of)
             .join(OutboxMail, OutboxMail.id == OutboxRequest.mail_id)
             .where(OutboxMail.kind == REMINDER, OutboxMail.state == SENT, OutboxMail.as_of < day))
    found: dict[str, list[date]] = {}
    with engine.connect() as conn:
        for request_id, as_of in conn.execute(query):
            found.setdefault(request_id, []).append(_day(as_of))
    return found


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def previous_digest(engine: Engine, day: date) -> date | None:
    """The as-of day of the latest sent digest before `day`."""
    with engine.connect() as conn:
        found = conn.execute(select(func.max(OutboxMail.as_of))
                             .where(OutboxMail.kind == DIGEST, OutboxMail.state == SENT, OutboxMail.as_of < day)
                             ).scalar()
    return None if found is None else _day(found)


def composed(engine: Engine, day: date) -> set[tuple[str, str]]:
    """(kind, target) of the mails already composed for `day`: a second run composes nothing new for them."""
    with engine.connect() as conn:
        return {(k, t) for k, t in conn.execute(select(OutboxMail.kind, OutboxMail.target)
                                                 .where(OutboxMail.as_of == day))}


def to_send(engine: Engine, tries_max: int) -> list[int]:
    """The mails a run tries (again), oldest first: pending ones, and failed ones tried fewer than tries_max times."""
    query = (select(OutboxMail.id).where((OutboxMail.state == PENDING)
                                         | and_(OutboxMail.state == FAILED, OutboxMail.tries < tries_max))
             .order_by(OutboxMail.as_of, OutboxMail.id))
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


HISTORY_COLUMNS = ["id", "as_of", "kind", "target", "recipient", "subject", "state", "tries", "error", "request_ids",
                   "created_at", "sent_at"]


def history(engine: Engine, since: date | None = None, state: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The outbox, newest first: HISTORY_COLUMNS (request_ids comma-separated), at most `limit` mails."""
    conditions, params = ["1 = 1"], {"limit": limit}
    if since is not None:
        conditions.append("m.as_of >= :since")
        params["since"] = since
    if state is not None:
        conditions.append("m.state = :state")
        params["state"] = state
    sql = (f"SELECT m.id, m.as_of, m.kind, m.target, m.recipient, m.subject, m.state, m.tries, m.error, "
           f"m.created_at, m.sent_at FROM outbox m WHERE {' AND '.join(conditions)} "
           f"ORDER BY m.as_of DESC, m.id DESC LIMIT :limit")
    with engine.connect() as conn:
        frame = pd.read_sql(text(sql), conn, params=params)
        ids = pd.read_sql(text("SELECT mail_id, request_id FROM outbox_requests WHERE mail_id IN "
                               f"(SELECT m.id FROM outbox m WHERE {' AND '.join(conditions)} "
                               "ORDER BY m.as_of DESC, m.id DESC LIMIT :limit)"), conn, params=params)
    named = ids.sort_values("request_id").groupby("mail_id")["request_id"].agg(", ".join)
    frame["request_ids"] = frame["id"].map(named).fillna("")
    frame["as_of"] = pd.to_datetime(frame["as_of"], format="ISO8601").dt.date
    for column in ("created_at", "sent_at"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601", utc=True)
    return frame[HISTORY_COLUMNS]


def mail(engine: Engine, mail_id: int) -> OutboxMail | None:
    with Session(engine) as session:
        found = session.get(OutboxMail, mail_id)
        if found is not None:
            session.expunge(found)
        return found


def providers(engine: Engine) -> dict[str, compose.Recipient]:
    """Every provider as a reminder's recipient: id, name, e-mail (blank when none), reminders on or off."""
    with engine.connect() as conn:
        rows = conn.execute(select(Provider.id, Provider.name, Provider.email, Provider.reminders)).all()
    return {pid: compose.Recipient(pid, name, (email or "").strip(), bool(on)) for pid, name, email, on in rows}


def coordinators(engine: Engine) -> list[compose.Recipient]:
    """The active coordinator accounts (user name, name, e-mail; blank when none), by user name."""
    with engine.connect() as conn:
        rows = conn.execute(select(User.username, User.name, User.email)
                            .where(User.role == "coordinator", User.active.is_(True))
                            .order_by(User.username)).all()
    return [compose.Recipient(u, n, (e or "").strip()) for u, n, e in rows]


def waiting(engine: Engine, day: date, settings: Settings) -> pd.DataFrame:
    """The requests overdue or due soon on `day` (R2, not closed by R3), with the flags of requests.rules.classify."""
    frames = [sql_rules.open_request_rows(engine, day, which, settings=settings) for which in ("overdue", "due_soon")]
    return pd.concat(frames, ignore_index=True)


def named_per_provider(engine: Engine, day: date, settings: Settings) -> dict[str, list[rules.Named]]:
    """Provider id -> the requests its reminder on `day` may name (R13), for providers with at least one."""
    found = waiting(engine, day, settings)
    sent = sent_reminders(engine, day)
    named = {pid: rules.to_remind(rows, sent, day, settings) for pid, rows in found.groupby("provider_id")}
    return {pid: n for pid, n in named.items() if n}


def _provider_label(names: dict[str, compose.Recipient], provider_id: str) -> str:
    found = names.get(provider_id)
    return f"{found.name} ({provider_id})" if found else provider_id


def digest_rows(engine: Engine, day: date, settings: Settings, unsent: tuple[compose.Line, ...] = ()
                ) -> compose.DigestRows:
    """What the coordinator's digest on `day` lists (R13); unsent: the reminders of this run that could not go."""
    since = previous_digest(engine, day)
    names = providers(engine)
    label = lambda pid: _provider_label(names, pid)  # noqa: E731
    found = waiting(engine, day, settings)
    overdue = found[found["overdue"]]
    if since is not None:  # overdue on day, not yet on the previous digest's day: its deadline is on or after it
        overdue = overdue[overdue["deadline"] >= pd.Timestamp(since)]
    overdue = overdue.sort_values(["days_late", "id"], ascending=[False, True])
    due_soon = found[found["due_soon"]].sort_values(["deadline", "id"])
    followups = sql_rules.open_request_rows(engine, day, "followups", settings=settings)
    todo = {"herinnering": "herinnering sturen", "afsluiten": "afsluiten als geannuleerd door opvang"}
    places = vacancy_queries.vacancies(engine)
    first = since + timedelta(days=1) if since is not None else day - timedelta(days=FIRST_DIGEST_DAYS - 1)
    new_places = [v for v in places if first <= v.gemeld_op <= day]
    flags = stale.flags(engine, day, settings)
    states = infopagina_rules.states(infopagina_queries.checks(engine), day, list(names))
    declarations = [compose.Line(label(pid), _declared(s.to_confirm), s.to_confirm.datum)
                    for pid, s in sorted(states.items()) if s.to_confirm is not None]
    files = compliance_queries.files(engine)
    files = files[files["closed_on"].isna()]
    return compose.DigestRows(
        since=since,
        newly_overdue=tuple(_late(r, label) for r in overdue.itertuples(index=False)),
        due_soon=tuple(_late(r, label) for r in due_soon.itertuples(index=False)),
        followups=tuple(compose.Late(str(r.id), label(r.provider_id), r.received.date(), r.deadline.date(),
                                     todo=todo[r.todo], since=r.status_date.date())
                        for r in followups.itertuples(index=False)),
        new_places=tuple(_place(v, label) for v in sorted(new_places, key=lambda v: (v.gemeld_op, v.provider_id))),
        stale=tuple(compose.Line(label(f.provider_id), f"{f.kind}: {f.text}", f.since) for f in flags),
        declarations=tuple(declarations),
        files=tuple(compose.Line(label(r.provider_id), _file(r), r.step_on.date())
                    for r in files.itertuples(index=False)),
        unsent=tuple(unsent) + failed_reminders(engine, since, names),
    )


def _late(row, label) -> compose.Late:
    days_late = None if pd.isna(row.days_late) else int(row.days_late)
    return compose.Late(str(row.id), label(row.provider_id), row.received.date(), row.deadline.date(), days_late)


def _place(v: vacancy_rules.Vacancy, label) -> compose.Place:
    return compose.Place(label(v.provider_id), v.plaatsen, v.vanaf, v.gemeld_op, vacancy_rules.last_confirmed(v))


def _declared(check: infopagina_rules.Check) -> str:
    absent = [infopagina_rules.ITEM_LABELS[i] for i in infopagina_rules.ITEMS if not check.present[i]]
    return "alles aanwezig" if not absent else "ontbreekt: " + ", ".join(absent)


def _file(row) -> str:
    obligations = ", ".join(OBLIGATION_LABELS.get(o, o) for o in row.obligations)
    return f"{ladder.STEP_LABELS.get(row.step, row.step)} ({obligations})" if obligations else \
        ladder.STEP_LABELS.get(row.step, row.step)


def failed_reminders(engine: Engine, since: date | None, names: dict[str, compose.Recipient]
                     ) -> tuple[compose.Line, ...]:
    """The reminders in the outbox that failed (composed since the previous digest), with their error."""
    query = select(OutboxMail.target, OutboxMail.as_of, OutboxMail.error).where(
        OutboxMail.kind == REMINDER, OutboxMail.state == FAILED)
    if since is not None:
        query = query.where(OutboxMail.as_of >= since)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(OutboxMail.target, OutboxMail.as_of)).all()
    return tuple(compose.Line(_provider_label(names, t), f"verzending mislukt: {e}", _day(d)) for t, d, e in rows)
