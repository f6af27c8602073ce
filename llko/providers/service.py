"""Changing a provider's master data (the loket's own register of the providers it works with): checked field by
field with a Dutch message naming the field, written in one transaction with an audit entry of what changed."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from llko import audit
from llko.db import unit_of_work
from llko.clock import parse_day
from llko.models import assign_changed
from llko.providers.models import Provider
from llko.refusals import Refused

# The master data a coordinator may change, with the name the form and the messages give it.
FIELD_LABELS = {
    "name": "Naam", "kind": "Soort", "subsidy_level": "Subsidietrap", "licensed_places": "Vergunde plaatsen",
    "address": "Adres", "district": "Deelgemeente", "email": "E-mail", "phone": "Telefoon",
    "contact_person": "Contactpersoon", "started_on": "Gestart op", "stopped_on": "Gestopt op",
}
KINDS = ("groepsopvang", "gezinsopvang")
SUBSIDY_LEVELS = ("0", "1", "2A", "2B", "3")
MAX_LENGTHS = {"name": 200, "address": 200, "district": 100, "email": 200, "phone": 50, "contact_person": 120}
DATES = ("started_on", "stopped_on")


class ProviderRefused(Refused):
    """The values are not acceptable: {field: Dutch message naming the field}; nothing was written."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    number = float(str(value).strip().replace(",", ".")) if not isinstance(value, (int, float)) else value
    if number != number or not float(number).is_integer() or number < 0:  # NaN, a fraction, below 0
        raise ValueError
    return int(number)


def clean(fields: dict) -> tuple[dict, dict[str, str]]:
    """The given fields as they are stored (text trimmed, a blank optional field None, trap and kind normalised),
    and a Dutch message per field that is not acceptable. Checks each field on its own; see `problems_between`
    for the dates together."""
    unknown = sorted(set(fields) - set(FIELD_LABELS))
    if unknown:
        raise ValueError(f"Onbekend veld: {', '.join(unknown)}.")
    values, problems = {}, {}
    for field, raw in fields.items():
        label = FIELD_LABELS[field]
        shown = "" if raw is None else str(raw).strip()
        if field == "name":
            if _blank(raw):
                problems[field] = "Naam: vul de naam van de opvang in."
                continue
            value = shown
        elif _blank(raw):
            value = None
        elif field == "kind":
            value = shown.lower()
            if value not in KINDS:
                problems[field] = f"Soort: kies groepsopvang of gezinsopvang, of laat het veld leeg (niet '{shown}')."
                continue
        elif field == "subsidy_level":
            value = shown.upper()
            if value not in SUBSIDY_LEVELS:
                problems[field] = f"Subsidietrap: kies 0, 1, 2A, 2B of 3, of laat het veld leeg (niet '{shown}')."
                continue
        elif field == "licensed_places":
            try:
                value = _whole(raw)
            except (ValueError, TypeError):
                problems[field] = f"Vergunde plaatsen: een geheel getal van minstens 0 (niet '{shown}')."
                continue
        elif field in DATES:
            try:
                value = parse_day(raw)
            except ValueError:
                problems[field] = f"{label}: een datum als dd/mm/jjjj (niet '{shown}')."
                continue
        else:
            value = shown
            if field == "email" and "@" not in value:
                problems[field] = f"E-mail: een e-mailadres bevat een @ (niet '{shown}')."
                continue
        if field in MAX_LENGTHS and value is not None and len(value) > MAX_LENGTHS[field]:
            problems[field] = f"{label}: hoogstens {MAX_LENGTHS[field]} tekens (nu {len(value)})."
            continue
        values[field] = value
    return values, problems


def _comparable(value):
    """A stored value or one a form was shown, comparable: blank and NaN as None, text trimmed, 3.0 as 3."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def problems_between(started_on: date | None, stopped_on: date | None) -> dict[str, str]:
    """The dates together: a provider does not stop before it started."""
    if started_on is not None and stopped_on is not None and stopped_on < started_on:
        return {"stopped_on": f"Gestopt op: {stopped_on:%d/%m/%Y} ligt vóór de start ({started_on:%d/%m/%Y})."}
    return {}


@unit_of_work
def update_provider(session: Session, actor: str, provider_id: str, seen: dict | None = None, **fields) -> dict:
    """Change these master-data fields of one provider (the others stay as they are). Returns what changed,
    {field: (old, new)}; nothing changed, nothing written (no audit entry either).

    seen: the stored values the editor was shown (a form sends every field). A field whose value equals what was
    shown is left alone, so that a change someone else made to it in the meantime stays; when a field this editor
    did change no longer holds the value shown, someone else changed it too and nothing is written.
    """
    values, problems = clean(fields)
    if problems:
        raise ProviderRefused(problems)
    if seen is not None:
        values = {f: v for f, v in values.items() if f not in seen or _comparable(v) != _comparable(seen[f])}
    record = session.execute(select(Provider).where(Provider.id == provider_id).with_for_update()).scalars().first()
    if record is None:
        raise ValueError(f"Onbekende opvang '{provider_id}'.")
    stale = [FIELD_LABELS[f] for f in values
             if seen is not None and f in seen and _comparable(seen[f]) != _comparable(getattr(record, f))]
    if stale:
        raise ValueError(f"De gegevens van deze opvang werden intussen door iemand anders gewijzigd "
                         f"({', '.join(stale)}); er is niets bewaard. Bekijk de nieuwe gegevens en probeer "
                         "opnieuw.")
    problems = problems_between(values.get("started_on", record.started_on),
                                values.get("stopped_on", record.stopped_on))
    if problems:
        raise ProviderRefused(problems)
    changes = {f: (getattr(record, f), v) for f, v in values.items() if getattr(record, f) != v}
    if not changes:
        return {}
    for field, (_, new) in changes.items():
        setattr(record, field, new)
    session.add(record)
    audit.record(session, actor, "provider_updated", opvang=provider_id,
                 changes={f: [old, new] for f, (old, new) in changes.items()})
    return changes


@unit_of_work
def set_reminders(session: Session, actor: str, provider_id: str, on: bool) -> bool:
    """A provider switches R13's reminder mails on or off (its own choice, audited). True when it changed."""
    if not isinstance(on, bool):
        raise ValueError("Herinneringen: kies aan of uit.")
    record = session.execute(select(Provider).where(Provider.id == provider_id).with_for_update()).scalars().first()
    if record is None:
        raise ValueError(f"Onbekende opvang '{provider_id}'.")
    if record.reminders == on:
        return False
    record.reminders = on
    session.add(record)
    audit.record(session, actor, "reminders_switched", opvang=provider_id, aan=on)
    return True


@unit_of_work
def import_provider(session: Session, values: dict) -> str:
    """A row of the register workbook's opvang sheet, its cells already judged by `clean` and typed (by attribute,
    `id` the key): the provider added or its given fields changed. Returns 'new', 'updated' or 'unchanged'. The
    workbook writes its one audit entry for the whole import."""
    record = session.get(Provider, values["id"])
    if record is None:
        session.add(Provider(**values))
        session.flush()
        return "new"
    return "updated" if assign_changed(record, values) else "unchanged"
