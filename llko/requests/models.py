"""The tables of the requests feature (SQLModel). Dates are datetime.date; moments are UTC datetimes."""

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from llko.models import utcnow
import llko.providers.models  # noqa: F401  (providers.id, the target of foreign keys here, registered first)


class ImportRun(SQLModel, table=True):
    """One uploaded Opvang.Vlaanderen snapshot."""

    __tablename__ = "import_runs"
    id: Optional[int] = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=255)
    checksum: str = Field(max_length=64, index=True)
    as_of: date
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by: str = Field(max_length=100)
    rows_total: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    status_changes: int = 0


class Request(SQLModel, table=True):
    """A childcare request (one child at one provider), in its latest known state."""

    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_provider_cover", "provider_id", "received", "answer_date", "status"),
        Index("ix_requests_received", "received"),  # request lists in date order, the 90-day window
    )
    id: str = Field(primary_key=True, max_length=64)
    child_id: str = Field(index=True, max_length=64)
    provider_id: str = Field(foreign_key="providers.id", max_length=64)
    received: date
    desired_start: Optional[date] = None
    status: str = Field(max_length=40)
    status_date: date
    answer_date: Optional[date] = None  # R2, from the file or derived from the history
    answer_date_reported: Optional[date] = None  # datum_antwoord as the latest snapshot gave it
    vulnerable: Optional[bool] = None
    days_per_week: Optional[float] = None
    snapshot_date: date  # as-of date of the snapshot this state comes from
    import_run_id: Optional[int] = Field(default=None, foreign_key="import_runs.id")


class ProviderSummary(SQLModel, table=True):
    """Per provider, the report counts that do not depend on the day; rebuilt (llko.requests.sql_rules.refresh_summary)
    in every transaction that writes requests, so pages never scan all requests for them."""

    __tablename__ = "provider_summary"
    provider_id: str = Field(primary_key=True, foreign_key="providers.id", max_length=64)
    total: int
    answered: int
    answered_in_time: int
    not_possible: int
    approved: int
    cancelled_by_provider: int


class SummaryFigure(SQLModel, table=True):
    """Database-wide figures that do not depend on the day (children_unmet, R5); rebuilt with ProviderSummary."""

    __tablename__ = "summary_figures"
    name: str = Field(primary_key=True, max_length=60)
    value: int


class StatusChange(SQLModel, table=True):
    """A status observed for a request, with the snapshot that first showed it."""

    __tablename__ = "status_history"
    __table_args__ = (UniqueConstraint("request_id", "status", "status_date", name="uq_status_history"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: str = Field(foreign_key="requests.id", max_length=64)  # looked up via uq_status_history
    status: str = Field(max_length=40)
    status_date: date
    snapshot_date: date
    import_run_id: Optional[int] = Field(default=None, foreign_key="import_runs.id")
