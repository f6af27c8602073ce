"""Reads of the providers table."""

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine


def providers(engine: Engine) -> pd.DataFrame:
    """Every provider (id, name, kind), by name."""
    with engine.connect() as conn:
        return pd.read_sql(text("SELECT id, name, kind FROM providers ORDER BY name"), conn)
