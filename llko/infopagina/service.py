"""Recording infopagina checks (R6): the loket's own look, the provider's declaration, and the loket's
confirmation of a declaration (which records a loket check). One transaction with an audit entry each.

allowed: the provider ids the actor may declare for (a provider account's links); None for the coordinator.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine

from llko import audit
from llko.clock import typed_day_problem
from llko.db import retry_when_busy, transaction
from llko.infopagina.models import InfopaginaCheck
from llko.infopagina.rules import ITEMS, LOKET, OPVANG, SOURCES
from llko.providers.models import Provider

NOT_YOURS = "U kunt alleen de infopagina van uw eigen opvang verklaren."


@retry_when_busy
def record(engine: Engine, actor: str, provider_id: str, day: date | None, source: str, present: dict[str, bool],
           by: str = "", allowed: tuple[str, ...] | None = None, today: date | None = None) -> None:
    """A check of one provider's infopagina on `day`; a second one of the same source that day replaces it. With
    today given (a day a person entered), a day in the future or more than ten years back is refused."""
    if day is None:
        raise ValueError("Gecontroleerd op: kies de datum van de controle.")
    if today is not None and (wrong := typed_day_problem("Gecontroleerd op", day, today,
                                                         not_yet="leg een controle vast nadat ze gebeurde")):
        raise ValueError(wrong)
    if source not in SOURCES:
        raise ValueError(f"Onbekende bron '{source}': kies {' of '.join(SOURCES)}.")
    if allowed is not None and (provider_id not in allowed or source != OPVANG):
        raise ValueError(NOT_YOURS)
    if set(present) != set(ITEMS):
        raise ValueError("Zeg voor elk van de vijf onderdelen of het op de infopagina staat.")
    with transaction(engine) as session:
        if session.get(Provider, provider_id) is None:
            raise ValueError(f"Onbekende opvang '{provider_id}'.")
        found = session.execute(select(InfopaginaCheck).filter_by(
            provider_id=provider_id, checked_on=day, source=source).with_for_update()).scalars().first()
        check = found or InfopaginaCheck(provider_id=provider_id, checked_on=day, source=source,
                                         **{item: False for item in ITEMS})
        for item in ITEMS:
            setattr(check, item, bool(present[item]))
        check.checked_by = by.strip()[:120]
        session.add(check)
        audit.record(session, actor, "infopagina_checked" if source == LOKET else "infopagina_declared",
                     opvang=provider_id, op=day, ontbreekt=[i for i in ITEMS if not present[i]])
