"""The tables of the vacancies feature: free places reported to the loket (R7), their history and referrals."""

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel, UniqueConstraint

from llko.corrections import Correctable
from llko.models import utcnow
import llko.providers.models  # noqa: F401  (providers.id, the target of foreign keys here, registered first)


class VacancyRecord(SQLModel, table=True):
    """A free place as the register holds it; (provider, vanaf, gemeld_op) is its key in the register workbook."""

    __tablename__ = "vacancies"
    __table_args__ = (UniqueConstraint("provider_id", "start_date", "reported_on", name="uq_vacancy_key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", index=True, max_length=64)
    start_date: date  # vanaf
    end_date: Optional[date] = None  # tot
    weekdays: str = Field(max_length=30)  # "ma,di,wo" in R7's order
    day_part: str = Field(default="dag", max_length=12)
    places: int
    age_group: str = Field(default="alle", max_length=10)
    kind: str = Field(default="vast", max_length=12)
    reported_on: date  # gemeld_op
    confirmed_on: date  # bevestigd_op (starts at gemeld_op)
    closed_on: Optional[date] = None  # afgesloten_op
    close_reason: Optional[str] = Field(default=None, max_length=12)  # ingevuld / ingetrokken
    remark: str = Field(default="", max_length=500)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # optimistic locking of edits


class VacancyChange(SQLModel, table=True):
    """The history of a vacancy: every version it had, who made it and when."""

    __tablename__ = "vacancy_history"
    id: Optional[int] = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancies.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=30)  # created / updated / confirmed / closed / imported
    state: str  # the vacancy after the change, as JSON with the register's column names


class Referral(Correctable, table=True):
    """The loket told a waiting family about a free place (R12's neutral referral)."""

    __tablename__ = "vacancy_referrals"
    id: Optional[int] = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancies.id", index=True)
    child_id: str = Field(max_length=64)
    told_on: date
    told_by: str = Field(max_length=100)
    note: str = Field(default="", max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow)


class VacancyVisit(SQLModel, table=True):
    """When a user last opened the vacancies overview (what is new since then): per-user state, not a setting."""

    __tablename__ = "vacancy_visits"
    username: str = Field(primary_key=True, max_length=60)
    seen_at: datetime
