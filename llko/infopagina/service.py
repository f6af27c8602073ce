"""Recording infopagina checks (R6): the loket's own look, the provider's declaration, and the loket's
confirmation of a declaration (which records a loket check); a check or declaration made by mistake is corrected or
withdrawn with a reason (R14), the original kept and marked. One transaction with an audit entry each.

allowed: the provider ids the actor may declare for (a provider account's links); None for the coordinator.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from llko import audit, corrections
from llko.clock import typed_day_problem
from llko.db import unit_of_work
from llko.infopagina.models import InfopaginaCheck
from llko.models import assign_changed
from llko.infopagina.rules import ITEMS, LOKET, OPVANG, SOURCES
from llko.providers.models import Provider

NOT_YOURS = "U kunt alleen de infopagina van uw eigen opvang verklaren."
NOT_YOUR_ENTRY = "U kunt alleen de verklaringen van uw eigen opvang corrigeren of intrekken."
SAME_DAY = "Opnieuw vastgelegd op dezelfde dag."


def _problems(day: date | None, source: str, present: dict[str, bool], today: date | None) -> str | None:
    """What is wrong with a check's values (a day a person entered is checked against today, when given)."""
    if day is None:
        return "Gecontroleerd op: kies de datum van de controle."
    if today is not None and (wrong := typed_day_problem("Gecontroleerd op", day, today,
                                                         not_yet="leg een controle vast nadat ze gebeurde")):
        return wrong
    if source not in SOURCES:
        return f"Onbekende bron '{source}': kies {' of '.join(SOURCES)}."
    if set(present) != set(ITEMS):
        return "Zeg voor elk van de vijf onderdelen of het op de infopagina staat."
    return None


def _new(provider_id: str, day: date, source: str, present: dict[str, bool], by: str) -> InfopaginaCheck:
    return InfopaginaCheck(provider_id=provider_id, checked_on=day, source=source, checked_by=by.strip()[:120],
                           **{item: bool(present[item]) for item in ITEMS})


@unit_of_work
def record(session: Session, actor: str, provider_id: str, day: date | None, source: str, present: dict[str, bool],
           by: str = "", allowed: tuple[str, ...] | None = None, today: date | None = None) -> None:
    """A check of one provider's infopagina on `day`; a second one of the same source that day replaces it (the
    first kept, marked corrected). With today given (a day a person entered), a day in the future or more than ten
    years back is refused."""
    if wrong := _problems(day, source, present, today):
        raise ValueError(wrong)
    if allowed is not None and (provider_id not in allowed or source != OPVANG):
        raise ValueError(NOT_YOURS)
    if session.get(Provider, provider_id) is None:
        raise ValueError(f"Onbekende opvang '{provider_id}'.")
    earlier = session.execute(select(InfopaginaCheck).filter_by(
        provider_id=provider_id, checked_on=day, source=source).where(corrections.standing(InfopaginaCheck))
        .with_for_update()).scalars().first()
    check = _new(provider_id, day, source, present, by)
    if earlier is not None:
        corrections.void(earlier, actor, SAME_DAY)
        session.flush()  # the key is free before the new check takes it
    session.add(check)
    session.flush()
    if earlier is not None:
        earlier.replaced_by = check.id
    audit.record(session, actor, "infopagina_checked" if source == LOKET else "infopagina_declared",
                 opvang=provider_id, op=day, ontbreekt=[i for i in ITEMS if not present[i]])


def _entry(session, check_id: int, allowed: tuple[str, ...] | None) -> InfopaginaCheck:
    """The standing check to correct or withdraw, locked; a provider only reaches its own declarations."""
    found = session.execute(select(InfopaginaCheck).where(InfopaginaCheck.id == check_id).with_for_update()
                            ).scalars().first()
    if found is None or (allowed is not None and (found.provider_id not in allowed or found.source != OPVANG)):
        raise ValueError(NOT_YOUR_ENTRY if allowed is not None else "Deze controle bestaat niet.")
    what = "Deze controle" if found.source == LOKET else "Deze verklaring"
    if problems := corrections.stands_problems(found, what):
        raise ValueError(problems["entry"])
    return found


@unit_of_work
def correct(session: Session, actor: str, check_id: int, reason: str, day: date | None, present: dict[str, bool],
            today: date, by: str = "", allowed: tuple[str, ...] | None = None) -> int:
    """R14: a check or declaration recorded wrongly (its day or its five answers) is replaced by its corrected
    version; the original stays, marked `gecorrigeerd`. A provider (allowed: its links) corrects only its own
    declarations. Returns the new check's id."""
    problems = list(corrections.reason_problems(reason).values())
    original = _entry(session, check_id, allowed)
    if wrong := _problems(day, original.source, present, today):
        problems.insert(0, wrong)
    if problems:
        raise ValueError(" ".join(problems))
    corrections.void(original, actor, reason)
    session.flush()  # the key is free before the corrected check takes it
    clash = session.execute(select(InfopaginaCheck.id).filter_by(
        provider_id=original.provider_id, checked_on=day, source=original.source).where(
        corrections.standing(InfopaginaCheck))).first()
    if clash:
        raise ValueError(f"Gecontroleerd op: op {day:%d/%m/%Y} staat al een andere "
                         f"{'controle' if original.source == LOKET else 'verklaring'}; corrigeer die.")
    check = _new(original.provider_id, day, original.source, present, by or original.checked_by)
    session.add(check)
    session.flush()
    original.replaced_by = check.id
    audit.record(session, actor, "infopagina_corrected", opvang=original.provider_id,
                 bron=original.source, was=original.checked_on, op=day,
                 ontbreekt=[i for i in ITEMS if not present[i]], reden=reason.strip())
    return check.id


@unit_of_work
def withdraw(session: Session, actor: str, check_id: int, reason: str, allowed: tuple[str, ...] | None = None) -> None:
    """R14: a check or declaration recorded by mistake is withdrawn; it stays in the history, marked
    `ingetrokken`, and the rules no longer read it."""
    problems = corrections.reason_problems(reason)
    original = _entry(session, check_id, allowed)
    if problems:
        raise ValueError(problems["reason"])
    corrections.void(original, actor, reason)
    audit.record(session, actor, "infopagina_withdrawn", opvang=original.provider_id, bron=original.source,
                 op=original.checked_on, reden=reason.strip())


@unit_of_work
def import_check(session: Session, values: dict) -> str:
    """A row of the register workbook's infopagina sheet (typed, by attribute; key: provider, day, source): the check
    added, or the standing one's items changed (R14: a withdrawn check is not the one a row updates). Returns 'new',
    'updated' or 'unchanged'."""
    key = {k: values[k] for k in ("provider_id", "checked_on", "source")}
    record = session.execute(select(InfopaginaCheck).filter_by(**key)
                             .where(corrections.standing(InfopaginaCheck))).scalars().first()
    if record is None:
        session.add(InfopaginaCheck(**values))
        return "new"
    return "updated" if assign_changed(record, values) else "unchanged"
