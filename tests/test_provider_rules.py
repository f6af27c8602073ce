"""When a provider counts: started on or before the day (blank: always), not stopped on or before it."""

from datetime import date

from llko.providers.rules import has_stopped, works_on

DAY = date(2026, 11, 2)


def test_a_provider_stops_counting_on_the_day_it_stopped():
    assert not has_stopped(None, DAY)
    assert not has_stopped(date(2026, 11, 3), DAY)  # announced for tomorrow
    assert has_stopped(DAY, DAY)
    assert has_stopped(date(2026, 11, 1), DAY)


def test_a_provider_works_from_the_day_it_started_until_the_day_before_it_stopped():
    assert works_on(None, None, DAY)
    assert works_on(DAY, None, DAY)
    assert not works_on(date(2026, 11, 3), None, DAY)
    assert works_on(date(2026, 1, 1), date(2026, 11, 3), DAY)
    assert not works_on(date(2026, 1, 1), DAY, DAY)
