"""The loket's time zone and 'today': the one place both are defined."""

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from llko import config

LOCAL_TZ = ZoneInfo("Europe/Brussels")


def today() -> date:
    """Today in Belgium; LLKO_TODAY (jjjj-mm-dd) pins it for demos and tests. Rules never call this: they get
    the day as a parameter."""
    return config.pinned_today() or datetime.now(LOCAL_TZ).date()


DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # dd/mm/jjjj as Belgians write it, jjjj-mm-dd as machines do
SHORT_YEAR = re.compile(r"^(\d{1,2}/\d{1,2}/)(\d{2})$")  # dd/mm/jj, as a Dutch LibreOffice saves a date: 20jj
WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$")  # a date and time


def parse_day(value) -> date:
    """The one reading of a day a person or a file gives (DESIGN.md: dd/mm/jjjj, dd/mm/jj as 20jj, jjjj-mm-dd, or a
    real spreadsheet date, a date with a time of day as its day); ValueError otherwise. The export import reads whole
    columns at once with the same rule (llko.requests.importer.validation)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    text = SHORT_YEAR.sub(r"\g<1>20\g<2>", text)
    text = WITH_TIME.sub(r"\g<1>", text)
    for pattern in DAY_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"geen datum: {value!r}")


TYPED_YEARS = 10  # "Dates people type": a day more than this many years before or after today is a typo


def years_from(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def typed_day_problem(field: str | None, day: date, today: date, *, ahead_years: int = 0,
                      not_yet: str = "") -> str | None:
    """What is wrong with a day a person entered in `field` (DESIGN.md "Dates people type"), as a Dutch message
    that starts with the field's name (field None: the form names it itself), or None. The day may lie at most
    `ahead_years` after today (0: not in the future; not_yet then says what to do instead) and at most TYPED_YEARS
    before it. The day is never replaced by another."""
    said = f"{field}: {day:%d/%m/%Y}" if field else f"{day:%d/%m/%Y}"
    earliest = years_from(today, -TYPED_YEARS)
    if day > years_from(today, ahead_years):
        if not ahead_years:
            return f"{said} ligt in de toekomst" + (f"; {not_yet}." if not_yet else ".")
        return (f"{said} ligt meer dan {ahead_years} jaar in de toekomst; kies een dag tot en met "
                f"{years_from(today, ahead_years):%d/%m/%Y}.")
    if day < earliest:
        return f"{said} ligt meer dan {TYPED_YEARS} jaar terug; kies een dag vanaf {earliest:%d/%m/%Y}."
    return None


def local_moment(at: datetime) -> datetime:
    """A stored moment (UTC; naive when the database dropped its zone) in Belgian time."""
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(LOCAL_TZ)
