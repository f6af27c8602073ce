"""R13's provider reminder as pure functions, at its edges, against answers worked out by hand (DESIGN.md R13:
at most reminder_max (2) reminders name a request, at least reminder_interval_days (7) apart; only the requests
overdue or due soon on D, R2, not closed by R3)."""

from dataclasses import replace
from datetime import date

import pandas as pd

from llko.notify.rules import Named, may_name, to_remind
from llko.requests.rules import classify
from llko.settings import DEFAULTS

D = date(2026, 11, 20)


def test_a_request_never_named_may_be_named():
    assert may_name([], D, DEFAULTS)


def test_the_second_reminder_comes_seven_days_after_the_first_at_the_earliest():
    assert not may_name([date(2026, 11, 14)], D, DEFAULTS)  # 6 days before D
    assert may_name([date(2026, 11, 13)], D, DEFAULTS)  # exactly 7 days


def test_after_two_reminders_a_request_is_named_no_more():
    assert not may_name([date(2026, 10, 1), date(2026, 10, 20)], D, DEFAULTS)
    assert may_name([date(2026, 10, 1), date(2026, 10, 20)], D, replace(DEFAULTS, reminder_max=3))
    assert not may_name([], D, replace(DEFAULTS, reminder_max=0))  # reminders switched off for everyone


def test_a_reminder_of_the_same_or_a_later_day_does_not_count():
    """A second run on D composes nothing new through the outbox, not through this rule; a reminder with a later
    as-of date (a run for another day) is no earlier reminder."""
    assert may_name([D, date(2026, 11, 25)], D, DEFAULTS)


def test_the_interval_is_a_setting():
    assert may_name([date(2026, 11, 17)], D, replace(DEFAULTS, reminder_interval_days=3))
    assert not may_name([date(2026, 11, 18)], D, replace(DEFAULTS, reminder_interval_days=3))


def _requests(*rows) -> pd.DataFrame:
    columns = ["id", "child_id", "provider_id", "received", "status", "status_date", "answer_date"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("received", "status_date", "answer_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_only_late_and_nearly_late_requests_that_may_still_be_named():
    # D = 20/11; deadline = received + 14.
    frame = _requests(
        ("A1", "K1", "P1", date(2026, 11, 5), "nieuw", date(2026, 11, 5), None),  # deadline 19/11: late
        ("A2", "K2", "P1", date(2026, 11, 9), "vraag ontvangen", date(2026, 11, 10), None),  # 23/11: 3 days left
        ("A3", "K3", "P1", date(2026, 11, 10), "nieuw", date(2026, 11, 10), None),  # 24/11: 4 days left, not yet
        ("A4", "K4", "P1", date(2026, 11, 1), "in behandeling", date(2026, 11, 3), date(2026, 11, 3)),  # answered
        ("A5", "K5", "P1", date(2026, 11, 1), "nieuw", date(2026, 11, 1), None),  # late, but K5 approved elsewhere
        ("A6", "K5", "P2", date(2026, 11, 2), "goedgekeurd", date(2026, 11, 8), date(2026, 11, 8)),
        ("A7", "K7", "P1", date(2026, 10, 20), "nieuw", date(2026, 10, 20), None),  # late, named twice already
        ("A8", "K8", "P1", date(2026, 10, 30), "nieuw", date(2026, 10, 30), None),  # late, named 5 days ago
    )
    classified = classify(frame, D)
    own = classified[classified["provider_id"] == "P1"]
    sent = {"A7": [date(2026, 11, 5), date(2026, 11, 12)], "A8": [date(2026, 11, 15)], "A1": [date(2026, 11, 13)]}
    assert to_remind(own, sent, D, DEFAULTS) == [
        Named("A1", date(2026, 11, 5), date(2026, 11, 19), True),
        Named("A2", date(2026, 11, 9), date(2026, 11, 23), False),
    ]
