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
