"""When a provider counts (the register's gestart and gestopt), as pure functions of the dates and a day."""

from datetime import date


def has_stopped(stopped_on: date | None, day: date) -> bool:
    """The provider stopped on or before `day` (a stop announced for later does not count yet)."""
    return stopped_on is not None and stopped_on <= day


def works_on(started_on: date | None, stopped_on: date | None, day: date) -> bool:
    """The provider works on `day`: started on or before it (blank: since always) and not stopped by then."""
    return (started_on is None or started_on <= day) and not has_stopped(stopped_on, day)
