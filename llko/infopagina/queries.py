"""Reads of the infopagina checks as R6's rule objects (the checks that stand), and their history (R14)."""

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import corrections
from llko.infopagina.models import InfopaginaCheck
from llko.infopagina.rules import ITEMS, Check


def as_check(record: InfopaginaCheck) -> Check:
    return Check(provider_id=record.provider_id, datum=record.checked_on, bron=record.source,
                 present={item: bool(getattr(record, item)) for item in ITEMS}, door=record.checked_by or "")


def checks(engine: Engine, provider_ids: tuple[str, ...] | None = None) -> list[Check]:
    """Every check that stands (of these providers only, when given), by provider and date."""
    query = select(InfopaginaCheck).where(corrections.standing(InfopaginaCheck)).order_by(
        InfopaginaCheck.provider_id, InfopaginaCheck.checked_on, InfopaginaCheck.source)
    if provider_ids is not None:
        query = query.where(InfopaginaCheck.provider_id.in_(provider_ids))
    with Session(engine) as session:
        return [as_check(r) for r in session.execute(query).scalars()]


HISTORY_COLUMNS = ["id", "provider_id", "checked_on", "source", "checked_by", *ITEMS]


def history(engine: Engine, provider_ids: tuple[str, ...]) -> pd.DataFrame:
    """Every check of these providers, corrected and withdrawn ones included, newest first: HISTORY_COLUMNS (the
    items as booleans), `state` and `remark` (R14)."""
    query = (select(*(getattr(InfopaginaCheck, c) for c in HISTORY_COLUMNS), *corrections.columns(InfopaginaCheck))
             .where(InfopaginaCheck.provider_id.in_(provider_ids))
             .order_by(InfopaginaCheck.checked_on.desc(), InfopaginaCheck.recorded_at.desc(), InfopaginaCheck.id.desc()))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=HISTORY_COLUMNS + ["voided_at", "voided_by",
                                                                                   "void_reason", "replaced_by"])
    frame["checked_on"] = pd.to_datetime(frame["checked_on"]).dt.date
    for item in ITEMS:
        frame[item] = frame[item].astype(bool)
    return corrections.with_remark(frame)
