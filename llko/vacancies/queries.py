"""Reads of the vacancies register: the free places as rule objects, and the vacancies contract."""

from datetime import date

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko.providers.models import Provider
from llko.requests import statuses
from llko.vacancies import rules
from llko.vacancies.models import VacancyRecord


def as_vacancy(record: VacancyRecord) -> rules.Vacancy:
    return rules.Vacancy(
        provider_id=record.provider_id, vanaf=record.start_date, dagen=tuple(record.weekdays.split(",")),
        plaatsen=record.places, gemeld_op=record.reported_on, tot=record.end_date, dagdeel=record.day_part,
        leeftijd=record.age_group, soort=record.kind, bevestigd_op=record.confirmed_on,
        afgesloten_op=record.closed_on, reden=record.close_reason, opmerking=record.remark or "", id=record.id)


def vacancies(engine: Engine, provider_ids: tuple[str, ...] | None = None) -> list[rules.Vacancy]:
    """Every vacancy (of these providers only, when given), by provider, vanaf and gemeld_op."""
    query = select(VacancyRecord).order_by(VacancyRecord.provider_id, VacancyRecord.start_date,
                                           VacancyRecord.reported_on, VacancyRecord.id)
    if provider_ids is not None:
        query = query.where(VacancyRecord.provider_id.in_(provider_ids))
    with Session(engine) as session:
        return [as_vacancy(r) for r in session.execute(query).scalars()]


def register_row(v: rules.Vacancy) -> dict:
    """A vacancy with the register's column names: dates jjjj-mm-dd, dagen a list."""
    def iso(d):
        return d.isoformat() if d else None
    return {"opvang_id": v.provider_id, "vanaf": iso(v.vanaf), "gemeld_op": iso(v.gemeld_op), "tot": iso(v.tot),
            "dagen": list(v.dagen), "dagdeel": v.dagdeel, "plaatsen": v.plaatsen, "leeftijd": v.leeftijd,
            "soort": v.soort, "bevestigd_op": iso(rules.last_confirmed(v)), "afgesloten_op": iso(v.afgesloten_op),
            "reden": v.reden, "opmerking": v.opmerking}


def contract(engine: Engine, day: date) -> dict:
    """`python -m llko vacancies --as-of D --json`: places per provider (every provider, 0 when none) and the
    active vacancies (R7) on D, sorted by opvang_id, vanaf, gemeld_op."""
    with Session(engine) as session:
        provider_ids = sorted(session.execute(select(Provider.id)).scalars())
    active = sorted((v for v in vacancies(engine) if rules.is_active(v, day)),
                    key=lambda v: (v.provider_id, v.vanaf, v.gemeld_op))
    places = {p: 0 for p in provider_ids}
    for v in active:
        places[v.provider_id] = places.get(v.provider_id, 0) + v.plaatsen
    return {"as_of": day.isoformat(), "places": places, "active": [register_row(v) for v in active]}


WAITING_STATUSES = (*statuses.OPEN, statuses.NOT_POSSIBLE)


def waiting_requests(engine: Engine) -> pd.DataFrame:
    """Every request of the children that may still be waiting (an open or a 'niet mogelijk' request): what R12
    needs to see each such child whole (R3, R5), and nothing of the others."""
    marks = ", ".join(f":s{i}" for i in range(len(WAITING_STATUSES)))
    sql = ("SELECT id, child_id, provider_id, received, desired_start, status, status_date, answer_date, vulnerable, "
           "days_per_week FROM requests WHERE child_id IN (SELECT child_id FROM requests WHERE status IN "
           f"({marks})) ORDER BY child_id, received, id")
    with engine.connect() as conn:
        frame = pd.read_sql(text(sql), conn, params={f"s{i}": s for i, s in enumerate(WAITING_STATUSES)})
    for column in ("received", "desired_start", "status_date", "answer_date"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame


def recorded_at(engine: Engine) -> dict[int, "pd.Timestamp"]:
    """When each vacancy entered the register (its first line of history), in UTC."""
    with engine.connect() as conn:
        frame = pd.read_sql(text("SELECT vacancy_id, min(at) AS at FROM vacancy_history GROUP BY vacancy_id"), conn)
    return dict(zip(frame["vacancy_id"], pd.to_datetime(frame["at"], format="ISO8601", utc=True)))


def version(engine: Engine, vacancy_id: int) -> int | None:
    """The edit version of a vacancy (optimistic locking: an edit names the version it saw)."""
    with Session(engine) as session:
        return session.execute(select(VacancyRecord.version).where(VacancyRecord.id == vacancy_id)).scalar()
