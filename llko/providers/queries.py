"""Reads of the providers table."""

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine


def providers(engine: Engine) -> pd.DataFrame:
    """Every provider (id, name, kind), by name."""
    with engine.connect() as conn:
        return pd.read_sql(text("SELECT id, name, kind FROM providers ORDER BY name"), conn)


DETAIL_COLUMNS = ["id", "name", "kind", "subsidy_level", "licensed_places", "address", "district", "email", "phone",
                  "contact_person", "started_on", "stopped_on"]


def provider_details(engine: Engine) -> pd.DataFrame:
    """Every provider with its full master data, by name: licensed_places as a whole number (blank when unknown),
    started_on and stopped_on as datetime.date (None when unknown)."""
    with engine.connect() as conn:
        frame = pd.read_sql(text(f"SELECT {', '.join(DETAIL_COLUMNS)} FROM providers ORDER BY name, id"), conn)
    frame["licensed_places"] = frame["licensed_places"].astype("Int64")
    for name in ("started_on", "stopped_on"):
        frame[name] = pd.to_datetime(frame[name], format="ISO8601").dt.date.astype(object).where(
            frame[name].notna(), None)
    return frame
