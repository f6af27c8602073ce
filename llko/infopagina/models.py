"""The infopagina checks (R6): per provider, a date, a source, who, and present yes/no per item."""

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field

from llko.corrections import Correctable, unique_while_standing
from llko.models import utcnow
import llko.providers.models  # noqa: F401  (providers.id, the target of foreign keys here, registered first)


class InfopaginaCheck(Correctable, table=True):
    """One look at a provider's infopagina: by the loket (counts for compliance) or the provider's own declaration."""

    __tablename__ = "infopagina_checks"
    __table_args__ = (unique_while_standing("uq_infopagina_check", "provider_id", "checked_on", "source"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", index=True, max_length=64)
    checked_on: date  # datum_controle
    source: str = Field(max_length=10)  # loket / opvang
    checked_by: str = Field(default="", max_length=120)  # door
    openingsuren: bool
    openingsdagen: bool
    contact: bool
    foto_logo: bool
    tarief: bool
    recorded_at: datetime = Field(default_factory=utcnow)
