"""The tables of the agreements feature (R10): signed cooperation agreements, LOK meetings and attendance."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from llko.corrections import Correctable, unique_while_standing
from llko.models import utcnow
import llko.providers.models  # noqa: F401  (providers.id, the target of foreign keys here, registered first)


class Agreement(Correctable, table=True):
    """A provider's signature under the cooperation agreement, with the signed scan (stored with the data)."""

    __tablename__ = "agreements"
    __table_args__ = (unique_while_standing("uq_agreement_key", "provider_id", "signed_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", index=True, max_length=64)
    signed_on: date  # ondertekend_op
    signatory: str = Field(default="", max_length=120)  # ondertekenaar
    function: str = Field(default="", max_length=120)  # functie
    scan_name: Optional[str] = Field(default=None, max_length=255)
    scan: Optional[bytes] = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    recorded_at: datetime = Field(default_factory=utcnow)


class LokMeeting(Correctable, table=True):
    """A meeting of the Lokaal Overleg Kinderopvang."""

    __tablename__ = "lok_meetings"
    __table_args__ = (unique_while_standing("uq_lok_meeting_day", "held_on"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    held_on: date  # datum
    subject: str = Field(default="", max_length=300)  # onderwerp
    minutes_name: Optional[str] = Field(default=None, max_length=255)
    minutes: Optional[bytes] = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class LokAttendance(SQLModel, table=True):
    """A provider that attended a LOK meeting."""

    __tablename__ = "lok_attendance"
    meeting_id: int = Field(foreign_key="lok_meetings.id", primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", primary_key=True, max_length=64)


class ProcedureEvaluation(SQLModel, table=True):
    """The yearly evaluation of the procedure for childcare requests, with the LOK's advice (R10): one per year."""

    __tablename__ = "procedure_evaluations"
    id: Optional[int] = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    meeting_id: Optional[int] = Field(default=None, foreign_key="lok_meetings.id")  # where the LOK gave its advice
    findings: str = ""  # the loket's evaluation of the procedure
    advice: str = ""  # the LOK's advice
    recorded_by: str = Field(default="", max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
