"""Writing the compliance records (R9): an override of a derived advice with its motivation, a contact of the loket
with a provider, an enforcement file opened and moved along the ladder (with attachments). Each write is checked
whole first (a Refused names every field that is wrong, nothing is written) and is one transaction with an audit
entry. Nothing is ever updated in place or removed: a newer override replaces (corrects) an older one, a file closes,
and a contact or a step made by mistake is corrected or withdrawn with a reason (R14), the original kept and marked."""

from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import insert, literal, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from llko import audit, corrections
from llko.files import documents
from llko.refusals import Refused
from llko.compliance import evidence, ladder
from llko.compliance import queries, rounds
from llko.compliance.models import AdviceOverride, Contact, EnforcementFile, EnforcementStep, StepAttachment
from llko.compliance.rules import OBLIGATIONS, SHORT_LABELS
from llko.db import retry_when_busy, transaction, unit_of_work
from llko.providers.models import Provider
from llko.requests.models import Request

ATTACHMENTS_MAX = 5  # per step

__all__ = ["Refused", "override_advice", "record_contact", "correct_contact", "withdraw_contact", "open_file",
           "add_step", "correct_step", "withdraw_step"]


def _provider(session, provider_id: str) -> Provider:
    found = session.get(Provider, provider_id)
    if found is None:
        raise Refused({"provider": f"Onbekende opvang ‘{provider_id}’."})
    return found


def _obligations(chosen: Iterable[str], problems: dict, required: bool) -> list[str]:
    keys = [o for o in OBLIGATIONS if o in set(chosen or ())]
    unknown = sorted(set(chosen or ()) - set(OBLIGATIONS))
    if unknown:
        problems["obligations"] = f"Verplichtingen: onbekend: {', '.join(unknown)}."
    elif required and not keys:
        problems["obligations"] = "Verplichtingen: kies minstens één verplichting waarover het dossier gaat."
    return keys


def _labels(keys: list[str]) -> list[str]:
    """Obligations as the audit names them (Dutch)."""
    return [SHORT_LABELS[k] for k in keys]


def _attachments(files: Sequence[tuple[str, bytes]], problems: dict) -> list[tuple[str, bytes]]:
    """Each (name, data) checked by its content; the names they are kept under."""
    if len(files) > ATTACHMENTS_MAX:
        problems["attachments"] = f"Bijlagen: hoogstens {ATTACHMENTS_MAX} per stap."
        return []
    kept = []
    for name, data in files:
        try:
            kind = documents.check_document(data, "de bijlage")
        except documents.FileRefused as exc:
            problems["attachments"] = f"Bijlage {name}: {exc}"
            return []
        kept.append((documents.file_name(name, kind), data))
    return kept


# --- advice overrides -------------------------------------------------------------------------------------------

@retry_when_busy
def override_advice(engine: Engine, actor: str, provider_id: str, key: str, round_id: int, value: bool | None,
                    motivation: str) -> int:
    """The coordinator decides, in an open advice round, that `key` (negative_advice / zero_score) of a provider is
    `value` (None: back to the derived value), with a written motivation. The derived value is computed here over
    the round's period, from the data and the settings in force, and kept beside the decision. Returns the new
    row's id."""
    if key not in evidence.ADVICE_KEYS:
        raise ValueError(f"unknown advice {key!r}")
    current_round = rounds.by_id(engine, round_id)
    if current_round is None:
        raise Refused({"round": "Adviesronde: deze ronde bestaat niet."})
    if current_round.is_fixed:
        raise Refused({"round": f"Adviesronde: ‘{current_round.name}’ is vastgelegd; heropen ze eerst (met een "
                                "motivering) om het advies aan te passen."})
    date_from, date_to = current_round.date_from, current_round.date_to
    motivation = (motivation or "").strip()
    problems = ladder.motivation_problems(value, motivation)
    derived = queries.verdicts(engine, date_from, date_to).get(provider_id)
    if derived is None:
        raise Refused({"provider": f"Onbekende opvang ‘{provider_id}’."})
    derived_value = evidence.derived(derived)[key]
    current = queries.overrides_of_round(engine, round_id, (provider_id,)).get(provider_id, {}).get(key)
    if value is None and current is None:
        problems["value"] = "Dit advies is niet aangepast; er is niets terug te zetten."
    elif value is not None and value == derived_value:
        problems["value"] = (f"Het afgeleide advies is al ‘{'ja' if value else 'nee'}’; een aanpassing moet een andere "
                             "waarde geven.")
    if problems:
        raise Refused(problems)
    with transaction(engine) as session:
        _provider(session, provider_id)
        record = AdviceOverride(round_id=round_id, provider_id=provider_id, advice=key, period_from=date_from,
                                period_to=date_to, derived=derived_value, value=value, motivation=motivation,
                                decided_by=actor)
        session.add(record)
        session.flush()
        replaced = session.execute(select(AdviceOverride).where(
            AdviceOverride.round_id == round_id, AdviceOverride.provider_id == provider_id, AdviceOverride.advice == key,
            AdviceOverride.id != record.id, corrections.standing(AdviceOverride))).scalars().all()
        for earlier in replaced:
            corrections.void(earlier, actor, motivation[:corrections.REASON_MAX], replaced_by=record.id)
        audit.record(session, actor, "advice_overridden" if value is not None else "advice_override_withdrawn",
                     opvang=provider_id, advies=evidence.ADVICE_SHORT[key], ronde=current_round.name,
                     periode=f"{date_from:%d/%m/%Y} – {date_to:%d/%m/%Y}", afgeleid=derived_value,
                     waarde=value, motivering=motivation)
        return record.id


# --- contacts ---------------------------------------------------------------------------------------------------

def _standing(session, model, entry_id: int, what: str):
    """The entry to correct or withdraw, locked; refused when it does not exist or no longer stands."""
    found = session.execute(select(model).where(model.id == entry_id).with_for_update()).scalars().first()
    if found is None:
        raise Refused({"entry": f"{what} bestaat niet."})
    if problems := corrections.stands_problems(found, what):
        raise Refused(problems)
    return found


def _contact_values(session, provider_id: str, on: date | None, channel: str, note: str, today: date,
                    obligations: Iterable[str], request_ids: Iterable[str], problems: dict) -> dict:
    """A contact's values, checked (problems filled in), as the table stores them."""
    note, channel = (note or "").strip(), (channel or "").strip().lower()
    problems.update(ladder.contact_problems(on, channel, note, today))
    keys = _obligations(obligations, problems, required=False)
    ids = sorted({str(r).strip() for r in request_ids or () if str(r).strip()})
    if ids:
        own = set(session.execute(select(Request.id).where(Request.provider_id == provider_id,
                                                           Request.id.in_(ids))).scalars())
        strangers = [r for r in ids if r not in own]
        if strangers:
            problems["request_ids"] = f"Aanvragen: {', '.join(strangers)} is geen aanvraag bij deze opvang."
    return dict(contact_on=on, channel=channel, note=note, obligations=",".join(keys), request_ids=",".join(ids))


@unit_of_work
def record_contact(session: Session, actor: str, provider_id: str, on: date | None, channel: str, note: str,
                   today: date, obligations: Iterable[str] = (), request_ids: Iterable[str] = ()) -> int:
    """A contact of the loket with a provider (phone, mail or visit): when, a note, and what it was about (obligations
    and requests of that provider). Returns its id."""
    problems: dict[str, str] = {}
    _provider(session, provider_id)
    values = _contact_values(session, provider_id, on, channel, note, today, obligations, request_ids, problems)
    if problems:
        raise Refused(problems)
    record = Contact(provider_id=provider_id, recorded_by=actor, **values)
    session.add(record)
    session.flush()
    audit.record(session, actor, "contact_recorded", opvang=provider_id, op=on, kanaal=values["channel"],
                 verplichtingen=_labels(_listed(values["obligations"])), aanvragen=_listed(values["request_ids"]))
    return record.id


def _listed(joined: str) -> list[str]:
    return [x for x in joined.split(",") if x]


@unit_of_work
def correct_contact(session: Session, actor: str, contact_id: int, reason: str, on: date | None, channel: str,
                    note: str, today: date, obligations: Iterable[str] = (), request_ids: Iterable[str] = ()) -> int:
    """R14: a contact recorded wrongly is replaced by its corrected version; the original stays, marked
    `gecorrigeerd` with who, when and why. Returns the new contact's id."""
    problems = corrections.reason_problems(reason)
    original = _standing(session, Contact, contact_id, "Dit contact")
    values = _contact_values(session, original.provider_id, on, channel, note, today, obligations, request_ids,
                             problems)
    if problems:
        raise Refused(problems)
    record = Contact(provider_id=original.provider_id, recorded_by=actor, **values)
    session.add(record)
    session.flush()
    corrections.void(original, actor, reason, replaced_by=record.id)
    audit.record(session, actor, "contact_corrected", opvang=original.provider_id, contact=original.id,
                 nieuw=record.id, was=f"{original.contact_on:%d/%m/%Y} ({original.channel})", op=on,
                 kanaal=values["channel"], reden=reason.strip())
    return record.id


@unit_of_work
def withdraw_contact(session: Session, actor: str, contact_id: int, reason: str) -> None:
    """R14: a contact recorded by mistake is withdrawn; it stays in the history, marked `ingetrokken`."""
    problems = corrections.reason_problems(reason)
    original = _standing(session, Contact, contact_id, "Dit contact")
    if problems:
        raise Refused(problems)
    corrections.void(original, actor, reason)
    audit.record(session, actor, "contact_withdrawn", opvang=original.provider_id, contact=original.id,
                 op=original.contact_on, kanaal=original.channel, reden=reason.strip())


# --- enforcement files ------------------------------------------------------------------------------------------

def _add_step(session, file: EnforcementFile, step: str, on: date, author: str, note: str,
              kept: list[tuple[str, bytes]]) -> EnforcementStep:
    record = EnforcementStep(file_id=file.id, step=step, taken_on=on, author=author, note=note)
    session.add(record)
    session.flush()
    session.add_all(StepAttachment(step_id=record.id, name=name, data=data) for name, data in kept)
    return record


@unit_of_work
def open_file(session: Session, actor: str, author: str, provider_id: str, on: date | None, obligations: Iterable[str],
              note: str, today: date, attachments: Sequence[tuple[str, bytes]] = ()) -> int:
    """Open an enforcement file: a shortcoming is noted (the ladder's first step) about these obligations. A provider
    has at most one open file. Returns the file's id."""
    note = (note or "").strip()
    problems = ladder.step_problems(None, None, ladder.FIRST, on, note, "", today)
    keys = _obligations(obligations, problems, required=True)
    kept = _attachments(attachments, problems)
    provider = _provider(session, provider_id)
    already = session.execute(select(EnforcementFile.id).where(
        EnforcementFile.provider_id == provider_id, EnforcementFile.closed_on.is_(None),
        corrections.standing(EnforcementFile)).with_for_update()).first()
    if already:
        problems["provider"] = (f"{provider.name} heeft al een open dossier; zet daar de volgende stap of sluit "
                                "het eerst af.")
    if problems:
        raise Refused(problems)
    file = EnforcementFile(provider_id=provider_id, obligations=",".join(keys), opened_on=on)
    session.add(file)
    session.flush()
    step = _add_step(session, file, ladder.FIRST, on, author, note, kept)
    audit.record(session, actor, "enforcement_file_opened", opvang=provider_id, dossier=file.id, op=on,
                 verplichtingen=_labels(keys), notitie=note, bijlagen=[n for n, _ in kept], stap=step.id)
    return file.id


@unit_of_work
def add_step(session: Session, actor: str, author: str, file_id: int, step: str, on: date | None, note: str,
             today: date, outcome: str = "", attachments: Sequence[tuple[str, bytes]] = ()) -> int:
    """Move a file one or more rungs up the ladder (or close it, with its outcome). Returns the step's id."""
    note, outcome = (note or "").strip(), (outcome or "").strip()
    file = session.execute(select(EnforcementFile).where(EnforcementFile.id == file_id,
                                                         corrections.standing(EnforcementFile)).with_for_update()
                           ).scalars().first()
    if file is None:
        raise Refused({"file": "Dit dossier bestaat niet (meer)."})
    found = _steps(session, file_id)
    last = found[-1] if found else None
    problems = ladder.step_problems(last.step if last else None, last.taken_on if last else None, step, on,
                                    note, outcome, today)
    kept = _attachments(attachments, problems)
    if problems:
        raise Refused(problems)
    record = _add_step(session, file, step, on, author, note, kept)
    if step == ladder.CLOSED:
        file.closed_on, file.outcome = on, outcome
        session.add(file)
    audit.record(session, actor, "enforcement_step", opvang=file.provider_id, dossier=file.id,
                 stap=ladder.STEP_LABELS[step], op=on,
                 notitie=note, uitkomst=outcome or None, bijlagen=[n for n, _ in kept])
    return record.id


def _steps(session, file_id: int) -> list[EnforcementStep]:
    """The standing steps of a file, oldest first."""
    found = session.execute(select(EnforcementStep).where(EnforcementStep.file_id == file_id,
                                                          corrections.standing(EnforcementStep))).scalars()
    return sorted(found, key=lambda s: (s.taken_on, ladder.STEPS.index(s.step), s.id))  # the ladder is only climbed


def _step_and_file(session, step_id: int) -> tuple[EnforcementStep, EnforcementFile, list[EnforcementStep]]:
    """A standing step, its file (locked) and the file's standing steps."""
    step = _standing(session, EnforcementStep, step_id, "Deze stap")
    file = session.execute(select(EnforcementFile).where(EnforcementFile.id == step.file_id).with_for_update()
                           ).scalars().one()
    return step, file, _steps(session, file.id)


@unit_of_work
def correct_step(session: Session, actor: str, author: str, step_id: int, reason: str, on: date | None, note: str,
                 today: date, outcome: str = "") -> int:
    """R14: a step recorded wrongly (its date, note or outcome) is replaced by its corrected version, attachments
    included; the step itself stays what it was and between its neighbours on the ladder. The original stays,
    marked `gecorrigeerd`. Returns the new step's id."""
    note, outcome = (note or "").strip(), (outcome or "").strip()
    problems = corrections.reason_problems(reason)
    original, file, found = _step_and_file(session, step_id)
    at = next(i for i, s in enumerate(found) if s.id == original.id)
    before = found[at - 1].taken_on if at > 0 else None
    after = found[at + 1].taken_on if at + 1 < len(found) else None
    problems.update(ladder.correction_problems(original.step, before, after, on, note, outcome, today))
    if problems:
        raise Refused(problems)
    record = EnforcementStep(file_id=file.id, step=original.step, taken_on=on, author=author, note=note)
    session.add(record)
    session.flush()
    session.execute(insert(StepAttachment).from_select(
        ["step_id", "name", "data"],
        select(literal(record.id), StepAttachment.name, StepAttachment.data).where(
            StepAttachment.step_id == original.id).order_by(StepAttachment.id)))
    corrections.void(original, actor, reason, replaced_by=record.id)
    if original.step == ladder.FIRST:
        file.opened_on = on
    if original.step == ladder.CLOSED:
        file.closed_on, file.outcome = on, outcome
    session.add(file)
    audit.record(session, actor, "enforcement_step_corrected", opvang=file.provider_id, dossier=file.id,
                 stap=ladder.STEP_LABELS[original.step], was=original.taken_on, op=on, notitie=note,
                 uitkomst=outcome or None, reden=reason.strip())
    return record.id


@unit_of_work
def withdraw_step(session: Session, actor: str, step_id: int, reason: str) -> None:
    """R14: the latest step of a file, recorded by mistake, is withdrawn (it stays, marked `ingetrokken`): the file
    is back on the step before — reopened when the withdrawn step closed it, withdrawn itself when it was its
    first step."""
    problems = corrections.reason_problems(reason)
    original, file, found = _step_and_file(session, step_id)
    if found[-1].id != original.id:
        problems["entry"] = ("Enkel de laatste stap van een dossier kan ingetrokken worden; trek eerst de stappen "
                             "erna in, of corrigeer deze stap.")
    if original.step == ladder.CLOSED and session.execute(select(EnforcementFile.id).where(
            EnforcementFile.provider_id == file.provider_id, EnforcementFile.closed_on.is_(None),
            EnforcementFile.id != file.id, corrections.standing(EnforcementFile))).first():
        problems["entry"] = ("Deze opvang heeft intussen een ander open dossier; het afsluiten van dit dossier kan "
                             "niet ingetrokken worden zolang dat open is.")
    if problems:
        raise Refused(problems)
    corrections.void(original, actor, reason)
    if original.step == ladder.CLOSED:
        file.closed_on, file.outcome = None, ""
    if len(found) == 1:
        corrections.void(file, actor, reason)
    session.add(file)
    audit.record(session, actor, "enforcement_step_withdrawn", opvang=file.provider_id, dossier=file.id,
                 stap=ladder.STEP_LABELS[original.step], op=original.taken_on, reden=reason.strip(),
                 dossier_ingetrokken=len(found) == 1 or None)
