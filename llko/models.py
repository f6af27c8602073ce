"""The core tables (SQLModel): the audit trail and the settings. Moments are UTC datetimes."""

from datetime import datetime, timezone
from typing import Optional

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class AuditEntry(SQLModel, table=True):
    """Who did what, when: every write and every login event."""

    __tablename__ = "audit_log"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60, index=True)
    detail: str = ""


class Setting(SQLModel, table=True):
    """Key/value settings of this installation (demo flag, demo accounts)."""

    __tablename__ = "settings"
    key: str = Field(primary_key=True, max_length=60)
    value: str = ""


def assign_changed(record, changes: dict) -> bool:
    """Set the attributes whose value differs; True when something changed (a register row read again changes
    nothing)."""
    changed = False
    for attribute, value in changes.items():
        if getattr(record, attribute) != value:
            setattr(record, attribute, value)
            changed = True
    return changed
