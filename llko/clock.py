"""The loket's time zone and 'today': the one place both are defined."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from llko import config

LOCAL_TZ = ZoneInfo("Europe/Brussels")


def today() -> date:
    """Today in Belgium; LLKO_TODAY (jjjj-mm-dd) pins it for demos and tests. Rules never call this: they get
    the day as a parameter."""
    return config.pinned_today() or datetime.now(LOCAL_TZ).date()


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
