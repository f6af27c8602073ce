"""Reads of the infopagina checks as R6's rule objects."""

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko.infopagina.models import InfopaginaCheck
from llko.infopagina.rules import ITEMS, Check


def as_check(record: InfopaginaCheck) -> Check:
    return Check(provider_id=record.provider_id, datum=record.checked_on, bron=record.source,
                 present={item: bool(getattr(record, item)) for item in ITEMS}, door=record.checked_by or "")


def checks(engine: Engine, provider_ids: tuple[str, ...] | None = None) -> list[Check]:
    """Every check (of these providers only, when given), by provider and date."""
    query = select(InfopaginaCheck).order_by(InfopaginaCheck.provider_id, InfopaginaCheck.checked_on,
                                             InfopaginaCheck.source)
    if provider_ids is not None:
        query = query.where(InfopaginaCheck.provider_id.in_(provider_ids))
    with Session(engine) as session:
        return [as_check(r) for r in session.execute(query).scalars()]
