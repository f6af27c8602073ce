"""The providers table: every licensed childcare provider the loket works with."""

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from llko.models import utcnow


class Provider(SQLModel, table=True):
    """A licensed childcare provider; id is its Opvang.Vlaanderen dossiernummer."""

    __tablename__ = "providers"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: Optional[str] = Field(default=None, max_length=40)  # groepsopvang / gezinsopvang
    created_at: datetime = Field(default_factory=utcnow)
