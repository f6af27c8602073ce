"""Actions that span features: what a page or the CLI does when one change must ripple through several."""

from sqlalchemy.engine import Engine

from llko import settings
from llko.requests import sql_rules

# Settings the stored summary of the requests depends on (R2's deadline decides 'answered in time').
SUMMARY_KEYS = ("deadline_days",)


def change_setting(engine: Engine, actor: str, key: str, raw: str):
    """Validate, store and audit one setting in one transaction; the figures that depend on it follow at once
    (the summary of the requests is rebuilt in the same transaction). ValueError (Dutch): nothing changed."""
    def rebuild(conn, config):
        sql_rules.refresh_summary(conn, config)

    return settings.save(engine, actor, key, raw, then=rebuild if key in SUMMARY_KEYS else None)
