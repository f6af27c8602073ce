"""The loket's time zone and 'today': the one place both are defined."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Brussels")


def today() -> date:
    """Today in Belgium; LLKO_TODAY (jjjj-mm-dd) pins it for demos and tests. Rules never call this: they get
    the day as a parameter."""
    pinned = os.environ.get("LLKO_TODAY")
    return date.fromisoformat(pinned) if pinned else datetime.now(LOCAL_TZ).date()


DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # dd/mm/jjjj as Belgians write it, jjjj-mm-dd as machines do


def parse_day(value) -> date:
    """A day from a date (a datetime's date), or text as dd/mm/jjjj or jjjj-mm-dd; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in DAY_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"geen datum: {value!r}")
