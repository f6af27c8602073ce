"""Reads of R10's registers: the signatures (without their scans), each provider's latest signature or none, the
LOK meetings with who attended, the yearly evaluations; a scan or minutes only when it is asked for. Only the
signatures and meetings that stand (R14), unless the history is asked for."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import corrections
from llko.agreements.models import Agreement, LokAttendance, LokMeeting, ProcedureEvaluation
from llko.providers.models import Provider

SIGNATURE_COLUMNS = ["id", "provider_id", "signed_on", "signatory", "function", "scan_name", "has_scan",
                     "recorded_at"]
_R14_COLUMNS = ["voided_at", "voided_by", "void_reason", "replaced_by"]


def _dates(frame: pd.DataFrame, *names: str) -> pd.DataFrame:
    """These columns as datetime.date, None when blank (the driver already gives dates: only the blanks change)."""
    for name in names:
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


def signatures(engine: Engine, provider_ids: tuple[str, ...] | None = None, history: bool = False) -> pd.DataFrame:
    """The signatures that stand (of these providers only, when given), by provider and date: whether a scan is
    kept and its name, never the scan itself. With history, the corrected and withdrawn ones too, and `state` and
    `remark` (R14)."""
    query = select(Agreement.id, Agreement.provider_id, Agreement.signed_on, Agreement.signatory, Agreement.function,
                   Agreement.scan_name, Agreement.scan.is_not(None).label("has_scan"), Agreement.recorded_at,
                   *corrections.columns(Agreement)).order_by(Agreement.provider_id, Agreement.signed_on, Agreement.id)
    if not history:
        query = query.where(corrections.standing(Agreement))
    if provider_ids is not None:
        query = query.where(Agreement.provider_id.in_(provider_ids))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=SIGNATURE_COLUMNS + _R14_COLUMNS)
    frame["has_scan"] = frame["has_scan"].astype(bool)
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    frame = corrections.with_remark(_dates(frame, "signed_on"))
    return frame if history else frame.drop(columns=["state", "remark"])


def latest_signatures(engine: Engine) -> pd.DataFrame:
    """One row per provider (by name): its id, name, stopped_on and its latest signature (signed_on, signatory,
    function, agreement_id, scan_name, has_scan), all blank when it never signed."""
    with engine.connect() as conn:
        providers = pd.DataFrame(conn.execute(select(Provider.id, Provider.name, Provider.stopped_on)
                                              .order_by(Provider.name, Provider.id)).all(),
                                 columns=["provider_id", "name", "stopped_on"])
    providers = _dates(providers, "stopped_on")
    latest = signatures(engine).groupby("provider_id").tail(1).rename(columns={"id": "agreement_id"})
    frame = providers.merge(latest.drop(columns=["recorded_at"]), on="provider_id", how="left")
    frame["agreement_id"] = frame["agreement_id"].astype("Int64")
    frame["has_scan"] = frame["has_scan"].astype("boolean").fillna(False).astype(bool)
    frame["signed_on"] = frame["signed_on"].astype(object).where(frame["signed_on"].notna(), None)
    return frame


def scan(engine: Engine, agreement_id: int) -> tuple[str, bytes] | None:
    """The scan of one signature (file name, bytes), or None when it has none."""
    with engine.connect() as conn:
        row = conn.execute(select(Agreement.scan_name, Agreement.scan).where(Agreement.id == agreement_id)).first()
    return (row[0], bytes(row[1])) if row and row[1] is not None else None


@dataclass(frozen=True)
class Meeting:
    """A LOK meeting as the pages show it; the minutes themselves are read on demand (`minutes`)."""

    id: int
    held_on: date
    subject: str
    attending: tuple[str, ...]  # provider ids, sorted
    minutes_name: str | None = None
    state: str = corrections.STANDS  # R14: geldt / gecorrigeerd / ingetrokken
    remark: str = ""  # R14: by whom, when and why it was corrected or withdrawn; '' while it stands

    @property
    def has_minutes(self) -> bool:
        return self.minutes_name is not None


def meetings(engine: Engine, history: bool = False) -> list[Meeting]:
    """The LOK meetings that stand, the newest first, with the providers that attended. With history, the corrected
    and withdrawn ones too, each with its `state` and `remark` (R14)."""
    query = select(LokMeeting.id, LokMeeting.held_on, LokMeeting.subject, LokMeeting.minutes_name,
                   LokMeeting.minutes.is_not(None), *corrections.columns(LokMeeting)
                   ).order_by(LokMeeting.held_on.desc(), LokMeeting.id.desc())
    if not history:
        query = query.where(corrections.standing(LokMeeting))
    with Session(engine) as session:
        rows = session.execute(query).all()
        present: dict[int, list[str]] = {}
        for meeting_id, provider_id in session.execute(select(LokAttendance.meeting_id, LokAttendance.provider_id)):
            present.setdefault(meeting_id, []).append(provider_id)
    return [Meeting(id=i, held_on=held_on, subject=subject or "", attending=tuple(sorted(present.get(i, ()))),
                    minutes_name=name if has else None, state=corrections.state(at, replaced_by),
                    remark=corrections.remark(at, replaced_by, by, why))
            for i, held_on, subject, name, has, at, by, why, replaced_by in rows]


def minutes(engine: Engine, meeting_id: int) -> tuple[str, bytes] | None:
    """The minutes of one meeting (file name, bytes), or None when it has none."""
    with engine.connect() as conn:
        row = conn.execute(select(LokMeeting.minutes_name, LokMeeting.minutes)
                           .where(LokMeeting.id == meeting_id)).first()
    return (row[0], bytes(row[1])) if row and row[1] is not None else None


EVALUATION_COLUMNS = ["year", "meeting_id", "meeting_on", "findings", "advice", "recorded_by", "recorded_at"]


def evaluations(engine: Engine) -> pd.DataFrame:
    """The yearly evaluations of the procedure with the LOK's advice, the newest year first; meeting_on: the date
    of the LOK meeting that gave the advice (None when not linked)."""
    query = (select(ProcedureEvaluation.year, ProcedureEvaluation.meeting_id, LokMeeting.held_on,
                    ProcedureEvaluation.findings, ProcedureEvaluation.advice, ProcedureEvaluation.recorded_by,
                    ProcedureEvaluation.recorded_at)
             .join(LokMeeting, LokMeeting.id == ProcedureEvaluation.meeting_id, isouter=True)
             .order_by(ProcedureEvaluation.year.desc()))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=EVALUATION_COLUMNS)
    frame["meeting_id"] = frame["meeting_id"].astype("Int64")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    return _dates(frame, "meeting_on")
