"""The providers table: every licensed childcare provider the loket works with."""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from llko.models import utcnow


class Provider(SQLModel, table=True):
    """A licensed childcare provider; id is its Opvang.Vlaanderen dossiernummer."""

    __tablename__ = "providers"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: Optional[str] = Field(default=None, max_length=40)  # groepsopvang / gezinsopvang
    created_at: datetime = Field(default_factory=utcnow)
    subsidy_level: Optional[str] = Field(default=None, max_length=2)  # subsidietrap: 0, 1, 2A, 2B, 3
    licensed_places: Optional[int] = None
    address: Optional[str] = Field(default=None, max_length=200)
    district: Optional[str] = Field(default=None, max_length=100)  # deelgemeente
    email: Optional[str] = Field(default=None, max_length=200)
    phone: Optional[str] = Field(default=None, max_length=50)
    contact_person: Optional[str] = Field(default=None, max_length=120)
    started_on: Optional[date] = None
    stopped_on: Optional[date] = None  # a stopped provider stays in history, not in today's lists
    reminders: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})  # R13: mail reminders
