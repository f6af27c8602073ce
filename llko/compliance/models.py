"""The tables of the compliance feature (R9): the coordinator's overrides of a derived advice, the loket's contacts
with a provider, and enforcement files moving along the agreement's ladder (each step with its attachments)."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from llko.corrections import Correctable
from llko.models import utcnow
import llko.providers.models  # noqa: F401  (providers.id, the target of foreign keys here, registered first)


class AdviceRound(SQLModel, table=True):
    """An advice round (R9): advice given for one decision — the city's yearly subsidy (minimum obligations only) or
    an expansion round (both advices) — over a period. Open, its verdicts are R11 over its period, live; fixed
    (`vastgelegd`), it shows the snapshot taken then (verdicts, evidence, advice, overrides, settings), whatever is
    imported or changed later, until it is reopened with a motivation."""

    __tablename__ = "advice_rounds"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: str = Field(max_length=20)  # subsidie / uitbreidingsronde
    period_from: date
    period_to: date
    state: str = Field(default="open", max_length=20)  # open / vastgelegd
    fixed_on: Optional[date] = None
    fixed_by: Optional[str] = Field(default=None, max_length=100)
    snapshot: Optional[str] = None  # JSON, while fixed
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class AdviceOverride(Correctable, table=True):
    """The coordinator's decision on one derived advice of one provider in one advice round (over the round's
    period). Never updated: a newer row for the same provider, advice and round replaces it; value None withdraws
    the override."""

    __tablename__ = "advice_overrides"
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: Optional[int] = Field(default=None, foreign_key="advice_rounds.id", index=True)
    provider_id: str = Field(foreign_key="providers.id", index=True, max_length=64)
    advice: str = Field(max_length=20)  # negative_advice / zero_score
    period_from: date
    period_to: date
    derived: bool  # the derived value when the decision was taken
    value: Optional[bool] = None  # the coordinator's value; None: back to the derived value
    motivation: str = ""
    decided_by: str = Field(max_length=100)
    decided_at: datetime = Field(default_factory=utcnow)


class Contact(Correctable, table=True):
    """A contact of the loket with a provider about its obligations (the first rung of the follow-up)."""

    __tablename__ = "compliance_contacts"
    id: Optional[int] = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", index=True, max_length=64)
    contact_on: date
    channel: str = Field(max_length=20)  # telefoon / mail / bezoek
    note: str = ""
    obligations: str = ""  # the obligations it was about, comma-separated keys (R11)
    request_ids: str = ""  # the requests it was about, comma-separated
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)


class EnforcementFile(Correctable, table=True):
    """A provider's enforcement file: opened when a shortcoming is noted, closed with its outcome."""

    __tablename__ = "enforcement_files"
    id: Optional[int] = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", index=True, max_length=64)
    obligations: str = ""  # the obligations it is about, comma-separated keys (R11)
    opened_on: date
    closed_on: Optional[date] = None
    outcome: str = ""


class EnforcementStep(Correctable, table=True):
    """One step of a file along the ladder: what, when, by whom, and a note."""

    __tablename__ = "enforcement_steps"
    id: Optional[int] = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="enforcement_files.id", index=True)
    step: str = Field(max_length=30)
    taken_on: date
    author: str = Field(max_length=100)
    note: str = ""
    recorded_at: datetime = Field(default_factory=utcnow)


class StepAttachment(SQLModel, table=True):
    """A document kept with a step (a letter, a report, minutes), stored with the data so a backup holds it."""

    __tablename__ = "enforcement_attachments"
    id: Optional[int] = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="enforcement_steps.id", index=True)
    name: str = Field(max_length=255)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
