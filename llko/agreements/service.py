"""Writing R10's registers: a provider's signature under the cooperation agreement (with its scan), a meeting of
the Lokaal Overleg Kinderopvang (with who attended and its minutes), and the yearly evaluation of the procedure
with the LOK's advice. Each write is one transaction with an audit entry; nothing is replaced or removed unless
the call says so (replace=True), and then the audit keeps what was there before. A signature or a meeting recorded
by mistake is corrected or withdrawn with a reason (R14): the original stays, marked, and only what stands counts."""

from datetime import date
from typing import Iterable

from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlalchemy.orm import Session

from llko import audit, corrections
from llko.clock import typed_day_problem
from llko.files import documents
from llko.agreements.models import Agreement, LokAttendance, LokMeeting, ProcedureEvaluation
from llko.db import unit_of_work
from llko.models import assign_changed, utcnow
from llko.providers.models import Provider
from llko.refusals import Refused

NAME_MAX = 120  # signatory, function
SUBJECT_MAX = 300
TEXT_MAX = 4000  # an evaluation, an advice


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _provider(session, provider_id: str) -> Provider:
    found = session.get(Provider, provider_id)
    if found is None:
        raise ValueError(f"Onbekende opvang '{provider_id}'.")
    return found


def _file(check, data: bytes | None, field: str, problems: dict) -> str | None:
    """The kind of an uploaded file (None when there is none); a problem when it is refused."""
    if data is None:
        return None
    try:
        return check(data)
    except documents.FileRefused as exc:
        problems[field] = str(exc)
        return None


# --- the cooperation agreement ------------------------------------------------------------------------------


def _signature_problems(signed_on: date | None, signatory: str, function: str, today: date) -> dict[str, str]:
    """What is wrong with a signature's date, signatory and function (already stripped): {field: message}."""
    problems: dict[str, str] = {}
    if signed_on is None:
        problems["signed_on"] = "Ondertekend op: kies de datum van de handtekening."
    elif wrong := typed_day_problem("Ondertekend op", signed_on, today):
        problems["signed_on"] = wrong
    if not signatory:
        problems["signatory"] = "Ondertekenaar: vul in wie de overeenkomst ondertekende."
    elif len(signatory) > NAME_MAX:
        problems["signatory"] = f"Ondertekenaar: hoogstens {NAME_MAX} tekens."
    if not function:
        problems["function"] = "Functie: vul de functie van de ondertekenaar in."
    elif len(function) > NAME_MAX:
        problems["function"] = f"Functie: hoogstens {NAME_MAX} tekens."
    return problems


def _signed_already(session, provider: Provider, signed_on: date, but: int | None = None) -> dict[str, str]:
    """A standing signature of the provider on that day (other than `but`): {"signed_on": message} or {}."""
    query = select(Agreement.id).where(Agreement.provider_id == provider.id, Agreement.signed_on == signed_on,
                                       corrections.standing(Agreement))
    if but is not None:
        query = query.where(Agreement.id != but)
    if session.execute(query).first() is None:
        return {}
    return {"signed_on": f"Ondertekend op: voor {provider.name} is al een handtekening van {signed_on:%d/%m/%Y} "
                         "vastgelegd; er is niets gewijzigd. Voeg er zo nodig de scan aan toe."}


@unit_of_work
def record_signature(session: Session, actor: str, provider_id: str, signed_on: date, signatory: str, function: str,
                     today: date, scan: bytes | None = None, scan_name: str | None = None) -> int:
    """A provider signed the cooperation agreement on `signed_on` (optionally with the signed scan, a PDF).
    An earlier signature stays; the latest one counts. Returns its id."""
    signatory, function = _text(signatory), _text(function)
    problems = _signature_problems(signed_on, signatory, function, today)
    kind = _file(documents.check_scan, scan, "scan", problems)
    if "scan" in problems:
        problems["scan"] = "Scan: " + problems["scan"]
    if problems:
        raise Refused(problems)
    try:
        provider = _provider(session, provider_id)
        if already := _signed_already(session, provider, signed_on):
            raise Refused(already)
        record = Agreement(provider_id=provider_id, signed_on=signed_on, signatory=signatory, function=function,
                           scan=scan if kind else None,
                           scan_name=documents.file_name(scan_name, kind) if kind else None)
        session.add(record)
        session.flush()
        audit.record(session, actor, "agreement_signed", opvang=provider_id, op=signed_on,
                     ondertekenaar=signatory, functie=function, scan=record.scan_name)
        return record.id
    except IntegrityError:  # the same signature recorded at the same moment by someone else
        raise Refused({"signed_on": f"Ondertekend op: voor deze opvang is al een handtekening van "
                                    f"{signed_on:%d/%m/%Y} vastgelegd; er is niets gewijzigd."}) from None


@unit_of_work
def attach_scan(session: Session, actor: str, agreement_id: int, scan: bytes, scan_name: str | None,
                replace: bool = False) -> None:
    """Add the signed scan (a PDF) to a recorded signature that stands; an existing scan is replaced only when
    asked."""
    kind = documents.check_scan(scan)
    record = session.execute(select(Agreement).where(Agreement.id == agreement_id).with_for_update()
                             ).scalars().first()
    if record is None:
        raise ValueError("Deze handtekening bestaat niet (meer).")
    _refuse_voided(record, "Deze handtekening")
    previous = record.scan_name if record.scan is not None else None
    if previous and not replace:
        raise ValueError(f"Deze handtekening heeft al een scan ({previous}); er is niets gewijzigd. Kies "
                         "‘bestaande scan vervangen’ om ze te vervangen.")
    record.scan, record.scan_name = scan, documents.file_name(scan_name, kind)
    session.add(record)
    audit.record(session, actor, "agreement_scan_added", opvang=record.provider_id, op=record.signed_on,
                 scan=record.scan_name, vervangt=previous)


# --- corrections (R14) --------------------------------------------------------------------------------------


def _refuse_voided(record, what: str) -> None:
    """A corrected or withdrawn entry takes no more writes: Refused (nothing written) unless it stands."""
    if record.voided_at is None:
        return
    if record.replaced_by is not None:
        raise Refused({"entry": f"{what} is gecorrigeerd; er is niets gewijzigd. Werk verder met de gecorrigeerde "
                                "versie."})
    raise Refused({"entry": f"{what} is ingetrokken; er is niets gewijzigd."})


def _standing(session, model, entry_id: int, what: str, heavy):
    """The entry to correct or withdraw, locked, without its file (`heavy`, copied in SQL when needed); refused when
    it does not exist or no longer stands."""
    found = session.execute(select(model).options(defer(heavy)).where(model.id == entry_id).with_for_update()
                            ).scalars().first()
    if found is None:
        raise Refused({"entry": f"{what} bestaat niet."})
    if problems := corrections.stands_problems(found, what):
        raise Refused(problems)
    return found


def _copy_file(session, model, heavy, source_id: int, target_id: int) -> None:
    """Copy a file column (a scan, minutes) from one row to another inside the database."""
    session.execute(update(model).where(model.id == target_id)
                    .values({heavy.key: select(heavy).where(model.id == source_id).scalar_subquery()})
                    .execution_options(synchronize_session=False))


def _void_first(session, original, actor: str, reason: str) -> None:
    """Mark the original voided and write it at once, so its key is free for the corrected version."""
    corrections.void(original, actor, reason)
    session.add(original)
    session.flush()


@unit_of_work
def correct_signature(session: Session, actor: str, agreement_id: int, reason: str, signed_on: date | None,
                      signatory: str, function: str, today: date) -> int:
    """R14: a signature recorded wrongly (its date, signatory or function) is replaced by its corrected version,
    the scan included; the original stays, marked `gecorrigeerd` with who, when and why. Returns the new id."""
    signatory, function = _text(signatory), _text(function)
    problems = corrections.reason_problems(reason) | _signature_problems(signed_on, signatory, function, today)
    try:
        original = _standing(session, Agreement, agreement_id, "Deze handtekening", Agreement.scan)
        provider = _provider(session, original.provider_id)
        if "signed_on" not in problems:
            problems |= _signed_already(session, provider, signed_on, but=original.id)
        if problems:
            raise Refused(problems)
        was = original.signed_on
        _void_first(session, original, actor, reason)
        record = Agreement(provider_id=original.provider_id, signed_on=signed_on, signatory=signatory,
                           function=function, scan_name=original.scan_name)
        session.add(record)
        session.flush()
        _copy_file(session, Agreement, Agreement.scan, original.id, record.id)
        original.replaced_by = record.id
        session.add(original)
        audit.record(session, actor, "agreement_corrected", opvang=original.provider_id, was=was, op=signed_on,
                     ondertekenaar=signatory, functie=function, reden=reason.strip())
        return record.id
    except IntegrityError:  # the same signature recorded at the same moment by someone else
        raise Refused({"signed_on": f"Ondertekend op: voor deze opvang is intussen al een handtekening van "
                                    f"{signed_on:%d/%m/%Y} vastgelegd; er is niets gewijzigd."}) from None


@unit_of_work
def withdraw_signature(session: Session, actor: str, agreement_id: int, reason: str) -> None:
    """R14: a signature recorded by mistake is withdrawn; it stays in the history, marked `ingetrokken`, and no
    longer counts (an earlier signature that stands counts again)."""
    problems = corrections.reason_problems(reason)
    original = _standing(session, Agreement, agreement_id, "Deze handtekening", Agreement.scan)
    if problems:
        raise Refused(problems)
    corrections.void(original, actor, reason)
    session.add(original)
    audit.record(session, actor, "agreement_withdrawn", opvang=original.provider_id, op=original.signed_on,
                 ondertekenaar=original.signatory, reden=reason.strip())


# --- the Lokaal Overleg Kinderopvang ------------------------------------------------------------------------


def _attending(session, attending: Iterable[str], problems: dict) -> list[str]:
    ids = sorted({_text(p) for p in attending or () if _text(p)})
    known = set(session.execute(select(Provider.id).where(Provider.id.in_(ids))).scalars()) if ids else set()
    unknown = [p for p in ids if p not in known]
    if unknown:
        problems["attending"] = f"Aanwezig: onbekende opvang {', '.join(unknown)}."
    return ids


def _meeting_problems(held_on: date | None, subject: str, today: date) -> dict[str, str]:
    """What is wrong with a meeting's date and subject (already stripped): {field: message}."""
    problems: dict[str, str] = {}
    if held_on is None:
        problems["held_on"] = "Datum: kies de datum van de vergadering."
    elif wrong := typed_day_problem("Datum", held_on, today, not_yet="leg een vergadering vast nadat ze plaatsvond"):
        problems["held_on"] = wrong
    if not subject:
        problems["subject"] = "Onderwerp: vul het onderwerp van de vergadering in."
    elif len(subject) > SUBJECT_MAX:
        problems["subject"] = f"Onderwerp: hoogstens {SUBJECT_MAX} tekens."
    return problems


def _held_already(session, held_on: date, but: int | None = None) -> dict[str, str]:
    """A standing meeting on that day (other than `but`): {"held_on": message} or {}."""
    query = select(LokMeeting.id).where(LokMeeting.held_on == held_on, corrections.standing(LokMeeting))
    if but is not None:
        query = query.where(LokMeeting.id != but)
    if session.execute(query).first() is None:
        return {}
    return {"held_on": f"Datum: op {held_on:%d/%m/%Y} is al een LOK-vergadering vastgelegd; pas die aan in plaats "
                       "van een nieuwe te maken."}


@unit_of_work
def add_meeting(session: Session, actor: str, held_on: date, subject: str, attending: Iterable[str], today: date,
                minutes: bytes | None = None, minutes_name: str | None = None) -> int:
    """A LOK meeting that took place: its date (one meeting a day), subject, the providers that attended, and
    optionally its minutes (PDF, DOCX or ODT). Returns its id."""
    subject = _text(subject)
    problems = _meeting_problems(held_on, subject, today)
    kind = _file(documents.check_minutes, minutes, "minutes", problems)
    if "minutes" in problems:
        problems["minutes"] = "Verslag: " + problems["minutes"]
    try:
        ids = _attending(session, attending, problems)
        if "held_on" not in problems:
            problems |= _held_already(session, held_on)
        if problems:
            raise Refused(dict(sorted(problems.items(), key=lambda p: _ORDER.index(p[0]))))
        record = LokMeeting(held_on=held_on, subject=subject, minutes=minutes if kind else None,
                            minutes_name=documents.file_name(minutes_name, kind) if kind else None)
        session.add(record)
        session.flush()
        session.add_all(LokAttendance(meeting_id=record.id, provider_id=p) for p in ids)
        audit.record(session, actor, "lok_meeting_added", datum=held_on, onderwerp=subject, aanwezig=ids,
                     verslag=record.minutes_name)
        return record.id
    except IntegrityError:  # the same day recorded at the same moment by someone else
        raise Refused({"held_on": f"Datum: op {held_on:%d/%m/%Y} is al een LOK-vergadering vastgelegd."}) from None


_ORDER = ("reason", "entry", "held_on", "subject", "attending", "minutes")


def _meeting(session, meeting_id: int) -> LokMeeting:
    """A meeting that stands, locked; a Dutch refusal when it does not exist or was corrected or withdrawn."""
    record = session.execute(select(LokMeeting).where(LokMeeting.id == meeting_id).with_for_update()).scalars().first()
    if record is None:
        raise ValueError("Deze LOK-vergadering bestaat niet (meer).")
    _refuse_voided(record, "Deze LOK-vergadering")
    return record


@unit_of_work
def set_attendance(session: Session, actor: str, meeting_id: int, attending: Iterable[str]) -> tuple[list, list]:
    """Who attended a LOK meeting, corrected: exactly these providers. Returns (added, removed); the audit entry
    names both."""
    record = _meeting(session, meeting_id)
    problems: dict[str, str] = {}
    ids = _attending(session, attending, problems)
    if problems:
        raise Refused(problems)
    present = set(session.execute(select(LokAttendance.provider_id)
                                  .where(LokAttendance.meeting_id == meeting_id)).scalars())
    added, removed = sorted(set(ids) - present), sorted(present - set(ids))
    if not added and not removed:
        return [], []
    if removed:
        session.execute(delete(LokAttendance).where(LokAttendance.meeting_id == meeting_id,
                                                    LokAttendance.provider_id.in_(removed)))
    session.add_all(LokAttendance(meeting_id=meeting_id, provider_id=p) for p in added)
    audit.record(session, actor, "lok_attendance_changed", datum=record.held_on, erbij=added, eraf=removed)
    return added, removed


@unit_of_work
def attach_minutes(session: Session, actor: str, meeting_id: int, minutes: bytes, minutes_name: str | None,
                   replace: bool = False) -> None:
    """Add the minutes (PDF, DOCX or ODT) to a LOK meeting that stands; existing minutes are replaced only when
    asked."""
    kind = documents.check_minutes(minutes)
    record = _meeting(session, meeting_id)
    previous = record.minutes_name if record.minutes is not None else None
    if previous and not replace:
        raise ValueError(f"Deze vergadering heeft al een verslag ({previous}); er is niets gewijzigd. Kies "
                         "‘bestaand verslag vervangen’ om het te vervangen.")
    record.minutes, record.minutes_name = minutes, documents.file_name(minutes_name, kind)
    session.add(record)
    audit.record(session, actor, "lok_minutes_added", datum=record.held_on, verslag=record.minutes_name,
                 vervangt=previous)


def _advised_at(session, meeting_id: int) -> list[int]:
    """The years whose evaluation names this meeting as the one that gave the LOK's advice."""
    return list(session.execute(select(ProcedureEvaluation.year).where(ProcedureEvaluation.meeting_id == meeting_id)
                                .order_by(ProcedureEvaluation.year)).scalars())


def _relink_evaluations(session, old_id: int, new_id: int | None) -> None:
    """The evaluations that named one meeting as the LOK's advice name another (None: no meeting)."""
    session.execute(update(ProcedureEvaluation).where(ProcedureEvaluation.meeting_id == old_id)
                    .values(meeting_id=new_id).execution_options(synchronize_session=False))


@unit_of_work
def correct_meeting(session: Session, actor: str, meeting_id: int, reason: str, held_on: date | None, subject: str,
                    today: date) -> int:
    """R14: a LOK meeting recorded wrongly (its date or subject) is replaced by its corrected version, which keeps
    who attended, the minutes and the evaluations that name it; the original stays, marked `gecorrigeerd` with who,
    when and why. Returns the new id."""
    subject = _text(subject)
    problems = corrections.reason_problems(reason) | _meeting_problems(held_on, subject, today)
    try:
        original = _standing(session, LokMeeting, meeting_id, "Deze LOK-vergadering", LokMeeting.minutes)
        if "held_on" not in problems:
            problems |= _held_already(session, held_on, but=original.id)
        if problems:
            raise Refused(dict(sorted(problems.items(), key=lambda p: _ORDER.index(p[0]))))
        was, years = original.held_on, _advised_at(session, original.id)
        _void_first(session, original, actor, reason)
        record = LokMeeting(held_on=held_on, subject=subject, minutes_name=original.minutes_name)
        session.add(record)
        session.flush()
        _copy_file(session, LokMeeting, LokMeeting.minutes, original.id, record.id)
        session.execute(insert(LokAttendance).from_select(
            ["meeting_id", "provider_id"],
            select(literal(record.id), LokAttendance.provider_id).where(LokAttendance.meeting_id == original.id)))
        _relink_evaluations(session, original.id, record.id)
        original.replaced_by = record.id
        session.add(original)
        audit.record(session, actor, "lok_meeting_corrected", was=was, datum=held_on, onderwerp=subject,
                     evaluaties=years, reden=reason.strip())
        return record.id
    except IntegrityError:  # the same day recorded at the same moment by someone else
        raise Refused({"held_on": f"Datum: op {held_on:%d/%m/%Y} is intussen al een LOK-vergadering vastgelegd; er "
                                  "is niets gewijzigd."}) from None


@unit_of_work
def withdraw_meeting(session: Session, actor: str, meeting_id: int, reason: str) -> None:
    """R14: a LOK meeting recorded by mistake is withdrawn; it stays in the history (with its attendance), marked
    `ingetrokken`, and no longer counts. An evaluation that named it as the LOK's advice loses the link; the audit
    entry names its year."""
    problems = corrections.reason_problems(reason)
    original = _standing(session, LokMeeting, meeting_id, "Deze LOK-vergadering", LokMeeting.minutes)
    if problems:
        raise Refused(problems)
    years = _advised_at(session, original.id)
    corrections.void(original, actor, reason)
    session.add(original)
    _relink_evaluations(session, original.id, None)
    audit.record(session, actor, "lok_meeting_withdrawn", datum=original.held_on, onderwerp=original.subject,
                 evaluaties=years, reden=reason.strip())


# --- the yearly evaluation of the procedure ----------------------------------------------------------------


@unit_of_work
def record_evaluation(session: Session, actor: str, year: int, findings: str, advice: str, today: date,
                      meeting_id: int | None = None, replace: bool = False) -> bool:
    """The year's evaluation of the procedure for childcare requests and the LOK's advice on it (R10), optionally
    with the LOK meeting that gave the advice. One per year: an existing one is replaced only when asked, and the
    audit entry then keeps the text it replaced. Returns whether an evaluation was replaced."""
    findings, advice = _text(findings), _text(advice)
    problems: dict[str, str] = {}
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= today.year:
        problems["year"] = f"Jaar: een jaar van 2000 tot en met {today.year} (niet '{year}')."
    if not findings:
        problems["findings"] = "Evaluatie: beschrijf hoe de procedure dit jaar liep."
    elif len(findings) > TEXT_MAX:
        problems["findings"] = f"Evaluatie: hoogstens {TEXT_MAX} tekens (nu {len(findings)})."
    if not advice:
        problems["advice"] = "Advies van het LOK: vul het advies in (of schrijf dat het LOK geen advies gaf)."
    elif len(advice) > TEXT_MAX:
        problems["advice"] = f"Advies van het LOK: hoogstens {TEXT_MAX} tekens (nu {len(advice)})."
    if problems:
        raise Refused(problems)
    try:
        meeting = None
        if meeting_id is not None:
            meeting = session.get(LokMeeting, meeting_id, options=[defer(LokMeeting.minutes)])
            if meeting is None:
                raise Refused({"meeting_id": "LOK-vergadering: deze vergadering bestaat niet (meer)."})
            if meeting.voided_at is not None:
                raise Refused({"meeting_id": "LOK-vergadering: deze vergadering is gecorrigeerd of ingetrokken; "
                                             "kies een vergadering die geldt."})
        record = session.execute(select(ProcedureEvaluation).where(ProcedureEvaluation.year == year)
                                 .with_for_update()).scalars().first()
        if record is not None and not replace:
            raise Refused({"year": f"Jaar: voor {year} is al een evaluatie vastgelegd; er is niets gewijzigd. "
                                   "Kies ‘bestaande evaluatie vervangen’ om ze te herschrijven."})
        previous = None if record is None else {"evaluatie": record.findings, "advies": record.advice}
        record = record or ProcedureEvaluation(year=year)
        record.findings, record.advice, record.meeting_id = findings, advice, meeting_id
        record.recorded_by, record.recorded_at = actor[:100], utcnow()
        session.add(record)
        session.flush()  # a year recorded meanwhile by someone else fails here, inside the try
        detail = {"jaar": year, "lok": meeting.held_on if meeting else None}
        if previous is None:
            audit.record(session, actor, "procedure_evaluated", **detail)
        else:
            audit.record(session, actor, "procedure_evaluation_replaced", **detail, vorige=previous)
        return previous is not None
    except IntegrityError:  # the same year recorded at the same moment by someone else
        raise Refused({"year": f"Jaar: voor {year} is intussen al een evaluatie vastgelegd; er is niets "
                               "gewijzigd."}) from None


@unit_of_work
def import_signature(session: Session, values: dict) -> str:
    """A row of the register workbook's overeenkomst sheet (typed, by attribute; key: provider and day): the signature
    added, or the standing one's signatory and function changed. Returns 'new', 'updated' or 'unchanged'."""
    record = session.execute(select(Agreement).filter_by(provider_id=values["provider_id"], signed_on=values["signed_on"])
                             .where(corrections.standing(Agreement))).scalars().first()
    if record is None:
        session.add(Agreement(**values))
        return "new"
    return "updated" if assign_changed(record, values) else "unchanged"


@unit_of_work
def import_meeting(session: Session, values: dict, attendance: tuple[str, ...] | None) -> str:
    """A row of the register workbook's lok sheet (typed, by attribute; key: the day): the meeting added or its
    subject changed, and its attendance set when the sheet has the column. Returns 'new', 'updated' or
    'unchanged'."""
    record = session.execute(select(LokMeeting).filter_by(held_on=values["held_on"])
                             .where(corrections.standing(LokMeeting))).scalars().first()
    outcome = "unchanged"
    if record is None:
        record = LokMeeting(**values)
        session.add(record)
        session.flush()
        outcome = "new"
    elif assign_changed(record, values):
        outcome = "updated"
    if attendance is not None:
        present = set(session.execute(select(LokAttendance.provider_id)
                                      .where(LokAttendance.meeting_id == record.id)).scalars())
        if present != set(attendance):
            session.execute(delete(LokAttendance).where(LokAttendance.meeting_id == record.id))
            session.add_all(LokAttendance(meeting_id=record.id, provider_id=p) for p in attendance)
            outcome = "updated" if outcome == "unchanged" else outcome
    return outcome
