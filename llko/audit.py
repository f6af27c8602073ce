"""The audit trail: who did what, when. Written inside the caller's transaction."""

import json

from sqlmodel import Session

from llko.models import AuditEntry


def record(session: Session, actor: str, action: str, **detail) -> None:
    """Add one audit entry to the session's transaction; detail is stored as JSON."""
    session.add(AuditEntry(actor=actor, action=action, detail=json.dumps(detail, default=str, ensure_ascii=False)))
