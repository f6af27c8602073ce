"""R14 corrections: an entry made by mistake is corrected or withdrawn with a reason, never changed in place or
deleted. The original stays, marked `gecorrigeerd` (pointing at the entry that replaces it) or `ingetrokken`, with
who, when and why; the rules read only the entries that stand."""

from datetime import datetime
from typing import Optional

import pandas as pd
from sqlalchemy import Index, column, func, select, table, text
from sqlmodel import Field, SQLModel

from llko import dutch
from llko.models import utcnow

REASON_MIN = 10  # a reason is a few words, not a letter
REASON_MAX = 500
STANDS, WITHDRAWN, CORRECTED = "geldt", "ingetrokken", "gecorrigeerd"
STANDING_SQL = "voided_at IS NULL"


class Correctable(SQLModel):
    """The columns R14 adds to every kind of entry; all blank while the entry stands."""

    voided_at: Optional[datetime] = None
    voided_by: Optional[str] = Field(default=None, max_length=100)
    void_reason: Optional[str] = Field(default=None, max_length=REASON_MAX)
    replaced_by: Optional[int] = None  # the entry of the same table that corrects this one; None: withdrawn


def unique_while_standing(name: str, *columns: str) -> Index:
    """A key that only the standing entries must keep unique: a withdrawn entry frees its key."""
    return Index(name, *columns, unique=True, sqlite_where=text(STANDING_SQL), postgresql_where=text(STANDING_SQL))


def standing(model):
    """The SQL condition 'this entry stands' for a Correctable table."""
    return model.voided_at.is_(None)


def reason_problems(reason: str | None) -> dict[str, str]:
    """A correction or a withdrawal needs a reason of a few words: {"reason": Dutch message} or {}."""
    said = (reason or "").strip()
    if len(said) < REASON_MIN:
        return {"reason": f"Reden: schrijf waarom (minstens {REASON_MIN} tekens); ze blijft bij het origineel staan."}
    if len(said) > REASON_MAX:
        return {"reason": f"Reden: hoogstens {REASON_MAX} tekens."}
    return {}


def stands_problems(record: Correctable, what: str) -> dict[str, str]:
    """An entry already corrected or withdrawn cannot be corrected or withdrawn again: {"entry": message} or {}."""
    if record.voided_at is None:
        return {}
    state = CORRECTED if record.replaced_by is not None else WITHDRAWN
    return {"entry": f"{what} is al {state}; er is niets gewijzigd. Corrigeer zo nodig de versie die nu geldt."}


def void(record: Correctable, actor: str, reason: str, replaced_by: int | None = None,
         at: datetime | None = None) -> None:
    """Mark a standing entry withdrawn (replaced_by None) or corrected by the entry `replaced_by`."""
    record.voided_at = at or utcnow()
    record.voided_by = actor
    record.void_reason = reason.strip()
    record.replaced_by = replaced_by


def state(voided_at, replaced_by) -> str:
    """geldt / ingetrokken / gecorrigeerd, from the two columns (blank values as the database gives them)."""
    if voided_at is None or voided_at != voided_at:  # None or NaT/NaN
        return STANDS
    return CORRECTED if replaced_by is not None and replaced_by == replaced_by else WITHDRAWN


def remark(voided_at, replaced_by, by: str | None, reason: str | None) -> str:
    """What happened to an entry, as one Dutch line for a history table: '' while it stands, else e.g.
    'gecorrigeerd door An Peeters op 04/12/2026 14:05: verkeerde datum'."""
    said = state(voided_at, replaced_by)
    if said == STANDS:
        return ""
    moment = voided_at if isinstance(voided_at, datetime) else datetime.fromisoformat(str(voided_at))
    return f"{said} door {by or 'onbekend'} op {dutch.moment(moment)}: {reason or ''}".rstrip(": ")


_USERS = table("users", column("username"), column("name"))  # the accounts feature's table, read by name only


def columns(model) -> tuple:
    """The R14 columns of a Correctable table for a history read (voided_by as the account's full name, else as
    stored); fold them with `with_remark`."""
    full_name = (select(func.nullif(_USERS.c.name, "")).where(_USERS.c.username == model.voided_by)
                 .scalar_subquery())
    return (model.voided_at, func.coalesce(full_name, model.voided_by).label("voided_by"), model.void_reason,
            model.replaced_by)


def with_remark(frame: pd.DataFrame) -> pd.DataFrame:
    """The R14 columns of a history read folded into `state` (geldt / ingetrokken / gecorrigeerd) and `remark`."""
    at = pd.to_datetime(frame["voided_at"], utc=True, format="ISO8601")
    blank = at.isna()
    replaced = frame["replaced_by"].where(frame["replaced_by"].notna(), None)
    frame = frame.assign(
        state=[STANDS if b else state(a, r) for a, r, b in zip(at, replaced, blank)],
        remark=["" if b else remark(a.to_pydatetime(), r, by, why)
                for a, r, by, why, b in zip(at, replaced, frame["voided_by"], frame["void_reason"], blank)])
    return frame.drop(columns=["voided_at", "voided_by", "void_reason", "replaced_by"])
