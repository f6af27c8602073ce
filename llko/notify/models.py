"""The outbox (R13): every mail stored before it is sent, with the requests it names, so that a mail is never sent
twice and never lost."""

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel, UniqueConstraint

from llko.models import utcnow

REMINDER, DIGEST = "herinnering", "overzicht"  # a provider reminder / the coordinator's digest
KINDS = (REMINDER, DIGEST)
PENDING, SENT, FAILED = "pending", "sent", "failed"
STATES = (PENDING, SENT, FAILED)


class OutboxMail(SQLModel, table=True):
    """One mail of one notify run. target: the provider id of a reminder, the user name of a digest; one mail per
    kind, day and target (a second run on the same day composes nothing new)."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("kind", "as_of", "target", name="uq_outbox_kind_day_target"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    as_of: date = Field(index=True)
    target: str = Field(max_length=64)
    recipient: str = Field(max_length=200)
    subject: str = Field(max_length=300)
    body_text: str
    body_html: str
    state: str = Field(default=PENDING, max_length=10, index=True)
    tries: int = 0
    error: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    last_try_at: Optional[datetime] = None
    sent_at: Optional[datetime] = None


class OutboxRequest(SQLModel, table=True):
    """A request a mail names (by aanvraag_id): what R13's cap on reminders counts."""

    __tablename__ = "outbox_requests"
    mail_id: int = Field(foreign_key="outbox.id", primary_key=True)
    request_id: str = Field(max_length=64, primary_key=True, index=True)
