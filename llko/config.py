"""What an installation sets in its environment, read here and nowhere else: the database, a pinned 'today' (demos
and tests), the import limits (and, with R13, the mail server). Read on each call, so a test or a scheduled job
that sets a variable is followed at once."""

import os
from datetime import date

DATABASE_URL = "LLKO_DATABASE_URL"  # SQLAlchemy URL; unset: the embedded SQLite file in db/ (the demo town)
TODAY = "LLKO_TODAY"  # jjjj-mm-dd: 'today' for demos and tests; unset: the day in Belgium
IMPORT_LIMITS = {  # name -> default; an installation may raise or lower each (README.md says what each bounds)
    "LLKO_IMPORT_MAX_ROWS": 300_000,
    "LLKO_IMPORT_MAX_CELLS": 5_000_000,
    "LLKO_IMPORT_MAX_XML_MB": 300,
    "LLKO_IMPORT_PARSE_SECONDS": 120,
    "LLKO_IMPORT_MAX_MEMORY_MB": 2048,
}


def database_url() -> str | None:
    return os.environ.get(DATABASE_URL) or None


def pinned_today() -> date | None:
    pinned = os.environ.get(TODAY, "").strip()
    return date.fromisoformat(pinned) if pinned else None


def import_limit(name: str) -> int:
    """One of IMPORT_LIMITS, as the installation set it (a positive whole number) or its default."""
    default = IMPORT_LIMITS[name]
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} moet een positief geheel getal zijn, niet '{value}'")
    return int(value)
