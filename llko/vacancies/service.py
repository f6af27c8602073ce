"""Writing free places: report, edit, confirm ("nog steeds vrij"), close, and the loket's referrals (corrected or
withdrawn with a reason, R14). Each change is one transaction with an audit entry and a line of history; a provider
touches only its own places.

allowed: the provider ids the actor may change (a provider account's own links); None for the coordinator.
"""

import json
from datetime import date, datetime, timezone

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from llko import audit, corrections
from llko.clock import typed_day_problem
from llko.db import unit_of_work
from llko.models import assign_changed
from llko.providers.models import Provider
from llko.vacancies import rules
from llko.vacancies.models import Referral, VacancyChange, VacancyRecord, VacancyVisit
from llko.vacancies.queries import as_vacancy, register_row
from llko.refusals import Refused

NOT_YOURS = "U kunt alleen de vrije plaatsen van uw eigen opvang melden of wijzigen."


class VacancyRefused(Refused):
    """The form's values are not acceptable: {field: Dutch message}; nothing was written."""


def _check_form(fields: dict, today: date, new: bool) -> None:
    """Refuse a form (a free place reported or edited; it is not closed there) with one message per field, each
    message led by the field's name on the form."""
    problems = rules.problems({**fields, "afgesloten_op": None, "reden": None}, today, new=new)
    if problems:
        raise VacancyRefused({field: f"{rules.FORM_LABELS[field]}: {message}" for field, message in problems.items()})


def _check_allowed(provider_id: str, allowed: tuple[str, ...] | None) -> None:
    if allowed is not None and provider_id not in allowed:
        raise ValueError(NOT_YOURS)


def _log(session, record: VacancyRecord, actor: str, action: str, **detail) -> None:
    session.flush()
    state = register_row(as_vacancy(record))
    session.add(VacancyChange(vacancy_id=record.id, actor=actor, action=action, state=json.dumps(state)))
    audit.record(session, actor, f"vacancy_{action}", id=record.id, opvang=record.provider_id, vanaf=state["vanaf"],
                 plaatsen=record.places, **detail)


def _assign(record: VacancyRecord, values: dict) -> None:
    record.start_date, record.end_date = values["vanaf"], values["tot"]
    record.weekdays = ",".join(values["dagen"])
    record.day_part, record.places = values["dagdeel"], values["plaatsen"]
    record.age_group, record.kind, record.remark = values["leeftijd"], values["soort"], values["opmerking"]


def _own(session, vacancy_id: int, allowed) -> VacancyRecord:
    record = session.execute(select(VacancyRecord).where(VacancyRecord.id == vacancy_id).with_for_update()).scalars().first()
    if record is None:
        raise ValueError("Deze vrije plaats bestaat niet (meer).")
    _check_allowed(record.provider_id, allowed)
    return record


@unit_of_work
def report(session: Session, actor: str, provider_id: str, fields: dict, today: date,
           allowed: tuple[str, ...] | None = None) -> int:
    """A new free place, reported today (gemeld_op = bevestigd_op = today). Returns its id."""
    _check_allowed(provider_id, allowed)
    _check_form(fields, today, new=True)
    values = rules.clean(fields)
    try:
        if session.get(Provider, provider_id) is None:
            raise ValueError(f"Onbekende opvang '{provider_id}'.")
        record = VacancyRecord(provider_id=provider_id, weekdays="", places=1, reported_on=today, confirmed_on=today)
        _assign(record, values)
        session.add(record)
        _log(session, record, actor, "reported")
        return record.id
    except IntegrityError:
        raise VacancyRefused({"vanaf": f"Vandaag werd al een vrije plaats vanaf {values['vanaf']:%d/%m/%Y} gemeld "
                                       "voor deze opvang: pas die aan in plaats van ze opnieuw te melden."}) from None


@unit_of_work
def edit(session: Session, actor: str, vacancy_id: int, fields: dict, today: date, version: int,
         allowed: tuple[str, ...] | None = None) -> None:
    """Change a free place's details (not the day it was reported); version: the one the editor saw."""
    _check_form(fields, today, new=False)
    values = rules.clean(fields)
    record = _own(session, vacancy_id, allowed)
    if record.version != version:
        raise ValueError("Deze vrije plaats werd intussen door iemand anders gewijzigd; er is niets bewaard. "
                         "Bekijk de nieuwe gegevens en probeer opnieuw.")
    _assign(record, values)
    record.version += 1
    _log(session, record, actor, "updated")


@unit_of_work
def confirm(session: Session, actor: str, vacancy_id: int, today: date, allowed: tuple[str, ...] | None = None) -> None:
    """"Nog steeds vrij": the provider confirms the place today."""
    record = _own(session, vacancy_id, allowed)
    if record.closed_on is not None:
        raise ValueError("Deze vrije plaats is afgesloten; meld een nieuwe als er opnieuw een plaats vrij is.")
    record.confirmed_on = today
    record.version += 1
    _log(session, record, actor, "confirmed")


@unit_of_work
def close(session: Session, actor: str, vacancy_id: int, day: date, reason: str,
          allowed: tuple[str, ...] | None = None) -> None:
    """Close a free place as filled (ingevuld) or withdrawn (ingetrokken) from `day` on."""
    if reason not in rules.CLOSE_REASONS:
        raise VacancyRefused({"reden": f"Kies een reden: {' of '.join(rules.CLOSE_REASONS)}."})
    record = _own(session, vacancy_id, allowed)
    if record.closed_on is not None:
        raise ValueError(f"Deze vrije plaats is al afgesloten op {record.closed_on:%d/%m/%Y}.")
    record.closed_on, record.close_reason = day, reason
    record.version += 1
    _log(session, record, actor, "closed")


@unit_of_work
def reopen(session: Session, actor: str, vacancy_id: int, reason: str, allowed: tuple[str, ...] | None = None) -> None:
    """Undo a closing made by mistake (R14): the place is free again; the closed version stays in its history and
    the audit says who reopened it and why."""
    reason = (reason or "").strip()
    if not reason:
        raise VacancyRefused({"reden": "Reden: schrijf waarom de plaats opnieuw vrij is (bv. per vergissing "
                                       "afgesloten)."})
    if len(reason) > rules.REMARK_MAX:
        raise VacancyRefused({"reden": f"Reden: hoogstens {rules.REMARK_MAX} tekens."})
    record = _own(session, vacancy_id, allowed)
    if record.closed_on is None:
        raise ValueError("Deze vrije plaats is niet afgesloten; er is niets te heropenen.")
    closed = f"{record.closed_on:%d/%m/%Y} ({record.close_reason})"
    record.closed_on, record.close_reason = None, None
    record.version += 1
    _log(session, record, actor, "reopened", was_afgesloten=closed, reden=reason)


@unit_of_work
def refer(session: Session, actor: str, vacancy_id: int, child_id: str, told_on: date | None, note: str = "",
          today: date | None = None) -> None:
    """The loket told a waiting family about this free place (coordinator only: the page checks the role). With
    today given (a day a person entered), told_on in the future or more than ten years back is refused."""
    if not child_id.strip():
        raise ValueError("Kies het kind (de familie) dat over deze plaats werd ingelicht.")
    if told_on is None:
        raise ValueError("Ingelicht op: kies de datum waarop het gezin werd ingelicht.")
    if today is not None and (wrong := typed_day_problem("Ingelicht op", told_on, today)):
        raise ValueError(wrong)
    record = session.get(VacancyRecord, vacancy_id)
    if record is None:
        raise ValueError("Deze vrije plaats bestaat niet (meer).")
    session.add(Referral(vacancy_id=vacancy_id, child_id=child_id.strip(), told_on=told_on, told_by=actor,
                         note=note.strip()[:500]))
    audit.record(session, actor, "vacancy_referral", id=vacancy_id, opvang=record.provider_id,
                 kind=child_id.strip(), op=told_on)


def history(engine: Engine, vacancy_id: int) -> pd.DataFrame:
    """Every version of a vacancy: when, who, what was done, and the place as it then was."""
    with engine.connect() as conn:
        frame = pd.read_sql(text("SELECT at, actor, action, state FROM vacancy_history WHERE vacancy_id = :v "
                                 "ORDER BY at, id"), conn, params={"v": vacancy_id})
    frame["at"] = pd.to_datetime(frame["at"], format="ISO8601", utc=True)
    return frame


def referrals(engine: Engine, vacancy_ids: list[int]) -> pd.DataFrame:
    """Every referral noted for these vacancies, corrected and withdrawn ones included (R14), oldest first: id,
    vacancy_id, child_id, told_on, told_by, note, state and remark."""
    columns = ["id", "vacancy_id", "child_id", "told_on", "told_by", "note", "voided_at", "voided_by", "void_reason",
               "replaced_by"]
    query = (select(Referral.id, Referral.vacancy_id, Referral.child_id, Referral.told_on, Referral.told_by,
                    Referral.note, *corrections.columns(Referral))
             .where(Referral.vacancy_id.in_([int(i) for i in vacancy_ids])).order_by(Referral.told_on, Referral.id))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all() if vacancy_ids else [], columns=columns)
    frame["told_on"] = pd.to_datetime(frame["told_on"]).dt.date
    return corrections.with_remark(frame)


def _referral(session, referral_id: int) -> Referral:
    found = session.execute(select(Referral).where(Referral.id == referral_id).with_for_update()).scalars().first()
    if found is None:
        raise VacancyRefused({"entry": "Deze vermelding bestaat niet."})
    if problems := corrections.stands_problems(found, "Deze vermelding"):
        raise VacancyRefused(problems)
    return found


@unit_of_work
def correct_referral(session: Session, actor: str, referral_id: int, reason: str, told_on: date | None, note: str,
                     today: date) -> int:
    """R14: a referral noted wrongly (its day or note; a wrong child is withdrawn and noted anew) is replaced by its
    corrected version; the original stays, marked `gecorrigeerd`. Returns the new referral's id."""
    problems = corrections.reason_problems(reason)
    if told_on is None:
        problems["told_on"] = "Ingelicht op: kies de datum waarop het gezin werd ingelicht."
    elif wrong := typed_day_problem("Ingelicht op", told_on, today):
        problems["told_on"] = wrong
    if len(note or "") > 500:
        problems["note"] = "Notitie: hoogstens 500 tekens."
    original = _referral(session, referral_id)
    if problems:
        raise VacancyRefused(problems)
    record = Referral(vacancy_id=original.vacancy_id, child_id=original.child_id, told_on=told_on, told_by=actor,
                      note=(note or "").strip())
    session.add(record)
    session.flush()
    corrections.void(original, actor, reason, replaced_by=record.id)
    audit.record(session, actor, "vacancy_referral_corrected", id=original.vacancy_id, kind=original.child_id,
                 was=original.told_on, op=told_on, reden=reason.strip())
    return record.id


@unit_of_work
def withdraw_referral(session: Session, actor: str, referral_id: int, reason: str) -> None:
    """R14: a referral noted by mistake is withdrawn; it stays, marked `ingetrokken`."""
    problems = corrections.reason_problems(reason)
    original = _referral(session, referral_id)
    if problems:
        raise VacancyRefused(problems)
    corrections.void(original, actor, reason)
    audit.record(session, actor, "vacancy_referral_withdrawn", id=original.vacancy_id, kind=original.child_id,
                 op=original.told_on, reden=reason.strip())


@unit_of_work
def last_visit(session: Session, username: str, now: datetime) -> datetime | None:
    """The previous time (UTC) this user opened the vacancies overview (None the first time); records `now`."""
    found = session.get(VacancyVisit, username)
    previous = found.seen_at if found else None
    if found:
        found.seen_at = now.astimezone(timezone.utc)
    else:
        session.add(VacancyVisit(username=username, seen_at=now.astimezone(timezone.utc)))
    return previous


@unit_of_work
def import_vacancy(session: Session, actor: str, values: dict, defaults: dict) -> str:
    """A row of the register workbook's vrije_plaatsen sheet (typed, by attribute; key: provider, vanaf, gemeld_op):
    the place added with `defaults` for the columns the sheet lacks, or its given fields changed; a blank bevestigd_op
    is gemeld_op (R7). A new or changed place gets a line of history. Returns 'new', 'updated' or 'unchanged'."""
    if "confirmed_on" in values and values["confirmed_on"] is None:
        values = {**values, "confirmed_on": values["reported_on"]}  # R7: bevestigd_op starts at gemeld_op
    record = session.execute(select(VacancyRecord).filter_by(
        provider_id=values["provider_id"], start_date=values["start_date"],
        reported_on=values["reported_on"])).scalars().first()
    if record is None:
        record = VacancyRecord(**{**defaults, "confirmed_on": values["reported_on"], **values})
        session.add(record)
        session.flush()
        outcome = "new"
    elif assign_changed(record, values):
        record.version += 1
        outcome = "updated"
    else:
        return "unchanged"
    session.add(VacancyChange(vacancy_id=record.id, actor=actor, action="imported",
                              state=json.dumps(register_row(as_vacancy(record)))))
    return outcome
