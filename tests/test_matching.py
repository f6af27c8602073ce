"""R12 (llko/vacancies/matching.py): which waiting children fit a free place, and in which order. Small requests
frames built by hand; every edge of the rule in a test name, the expected values worked out by hand.

Unless a test says otherwise: today T = 01/03/2027, the window is 30 days, the vacancy is at P1 from 01/02/2027
(in the past, so max(vanaf, T) = T and the latest fitting start is 31/03/2027), open-ended, on ma di wo (3 days).
"""

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from llko.requests import statuses as st
from llko.settings import DEFAULTS
from llko.vacancies import matching
from llko.vacancies.matching import Candidate
from llko.vacancies.rules import Vacancy

D = date
T = D(2027, 3, 1)
PLACE = Vacancy(provider_id="P1", vanaf=D(2027, 2, 1), dagen=("ma", "di", "wo"), plaatsen=1, gemeld_op=D(2027, 2, 1))
COLUMNS = ["id", "child_id", "provider_id", "received", "desired_start", "status", "status_date", "answer_date",
           "vulnerable", "days_per_week"]


def req(id, child, provider="P2", received=D(2027, 1, 10), start=D(2027, 3, 15), status=st.NEW, vulnerable=None,
        days=3.0, status_date=None, answer_date=None):
    """One request row; by default new, at another provider, received 10/01, start 15/03, 3 days a week."""
    return (id, child, provider, received, start, status, status_date or received, answer_date, vulnerable, days)


def frame(*rows) -> pd.DataFrame:
    """A requests frame as llko.requests.queries reads it: the dates datetime64."""
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ["received", "desired_start", "status_date", "answer_date"]:
        df[col] = pd.to_datetime(df[col])
    return df


def ids(found) -> list[str]:
    return [c.child_id for c in found]


def match(*rows, vacancy=PLACE, day=T, settings=DEFAULTS):
    return matching.candidates(vacancy, frame(*rows), day, settings)


def test_an_open_request_elsewhere_is_a_candidate_of_the_third_group():
    assert match(req("A1", "K1", vulnerable=False)) == [Candidate(
        child_id="K1", group=3, start=D(2027, 3, 15), days_per_week=3.0, vulnerable=False,
        first_received=D(2027, 1, 10), reason="open aanvraag elders; start 15/03/2027; 3 dagen per week",
        request_ids=("A1",))]


@pytest.mark.parametrize("status", [st.NEW, st.RECEIVED, st.IN_PROGRESS])
def test_every_open_status_counts(status):
    assert ids(match(req("A1", "K1", status=status))) == ["K1"]


@pytest.mark.parametrize("status", [st.APPROVED, st.CANCELLED_BY_PROVIDER, st.CANCELLED_BY_PARENT])
def test_closed_without_unmet_need_is_no_candidate(status):
    assert match(req("A1", "K1", status=status)) == []


# --- the window: start <= max(vanaf, T) + vacancy_window_days -----------------------------------------------------

@pytest.mark.parametrize("start, fits", [
    (D(2027, 3, 31), True),  # T + 30: the window's last day
    (D(2027, 4, 1), False),  # T + 31: one day past it
    (D(2026, 9, 1), True),  # a start long past: the child is still waiting
])
def test_start_on_the_window_edge_is_in_one_day_past_is_out(start, fits):
    assert ids(match(req("A1", "K1", start=start))) == (["K1"] if fits else [])


@pytest.mark.parametrize("start, fits", [
    (D(2027, 5, 15), True),  # vanaf 15/04 + 30
    (D(2027, 5, 16), False),  # one day past
])
def test_a_future_vanaf_moves_the_window(start, fits):
    later = replace(PLACE, vanaf=D(2027, 4, 15))
    assert ids(match(req("A1", "K1", start=start), vacancy=later)) == (["K1"] if fits else [])


def test_a_past_vanaf_does_not_move_the_window_back():
    """vanaf 01/01/2027 is before T: the window runs from T (to 31/03), not from vanaf (to 31/01)."""
    earlier = replace(PLACE, vanaf=D(2027, 1, 1))
    assert ids(match(req("A1", "K1", start=D(2027, 3, 31)), vacancy=earlier)) == ["K1"]
    assert ids(match(req("A1", "K1", start=D(2027, 4, 1)), vacancy=earlier)) == []


def test_vanaf_today_is_the_same_as_vanaf_in_the_past():
    today = replace(PLACE, vanaf=T)
    assert ids(match(req("A1", "K1", start=D(2027, 3, 31)), vacancy=today)) == ["K1"]
    assert ids(match(req("A1", "K1", start=D(2027, 4, 1)), vacancy=today)) == []


def test_the_window_is_the_setting():
    ten = replace(DEFAULTS, vacancy_window_days=10)
    assert ids(match(req("A1", "K1", start=D(2027, 3, 11)), settings=ten)) == ["K1"]  # T + 10
    assert ids(match(req("A1", "K1", start=D(2027, 3, 12)), settings=ten)) == []


# --- tot ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, fits", [(D(2027, 3, 20), True), (D(2027, 3, 21), False)])
def test_start_on_tot_is_in_the_day_after_is_out(start, fits):
    until = replace(PLACE, tot=D(2027, 3, 20))
    assert ids(match(req("A1", "K1", start=start), vacancy=until)) == (["K1"] if fits else [])


def test_tot_beyond_the_window_does_not_widen_it():
    until = replace(PLACE, tot=D(2027, 12, 31))
    assert ids(match(req("A1", "K1", start=D(2027, 4, 1)), vacancy=until)) == []


def test_latest_start_is_the_earlier_of_the_window_end_and_tot():
    assert matching.latest_start(PLACE, T) == D(2027, 3, 31)
    assert matching.latest_start(replace(PLACE, vanaf=D(2027, 4, 15)), T) == D(2027, 5, 15)
    assert matching.latest_start(replace(PLACE, tot=D(2027, 3, 20)), T) == D(2027, 3, 20)
    assert matching.latest_start(replace(PLACE, tot=D(2027, 4, 30)), T) == D(2027, 3, 31)
    assert matching.latest_start(PLACE, T, replace(DEFAULTS, vacancy_window_days=1)) == D(2027, 3, 2)


# --- days per week ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, fits", [
    (3.0, True),  # equal to the vacancy's 3 weekdays
    (3.5, False),  # half a day more
    (0.5, True),
    (None, True),  # unknown: fits
    (np.nan, True),  # unknown as the database gives it
])
def test_days_per_week_up_to_the_number_of_weekdays(days, fits):
    assert ids(match(req("A1", "K1", days=days))) == (["K1"] if fits else [])


def test_days_per_week_is_the_largest_among_the_open_requests():
    """2 and 4 days: the child needs 4, more than the 3 weekdays."""
    assert match(req("A1", "K1", days=2.0), req("A2", "K1", provider="P3", days=4.0)) == []


def test_a_closed_request_does_not_count_for_days_or_start_of_an_open_child():
    """The cancelled request asked 5 days from 01/03; the open one 2 days from 20/03: only the open one counts."""
    found = match(req("A1", "K1", days=2.0, start=D(2027, 3, 20)),
                  req("A2", "K1", provider="P3", status=st.CANCELLED_BY_PARENT, days=5.0, start=D(2027, 3, 1)))
    assert [(c.start, c.days_per_week, c.request_ids) for c in found] == [(D(2027, 3, 20), 2.0, ("A1",))]


def test_unknown_days_beside_known_days_take_the_known():
    found = match(req("A1", "K1", days=None), req("A2", "K1", provider="P3", days=2.5))
    assert [c.days_per_week for c in found] == [2.5]


def test_duplicate_weekdays_count_once():
    twice = replace(PLACE, dagen=("ma", "ma", "di"))
    assert match(req("A1", "K1", days=3.0), vacancy=twice) == []


# --- start --------------------------------------------------------------------------------------------------------

def test_no_known_start_is_no_candidate():
    assert match(req("A1", "K1", start=None)) == []


def test_start_is_the_earliest_known_of_the_open_requests():
    found = match(req("A1", "K1", start=None), req("A2", "K1", provider="P3", start=D(2027, 4, 20)),
                  req("A3", "K1", provider="P4", start=D(2027, 3, 25)))
    assert [(c.start, c.request_ids) for c in found] == [(D(2027, 3, 25), ("A1", "A2", "A3"))]


def test_dates_as_plain_date_objects_are_read_too():
    df = pd.DataFrame([req("A1", "K1")], columns=COLUMNS)  # received, desired_start ... as datetime.date
    assert ids(matching.candidates(PLACE, df, T, DEFAULTS)) == ["K1"]


# --- R3 and R5 ----------------------------------------------------------------------------------------------------

def test_an_approval_elsewhere_closes_the_child_no_candidate():
    assert match(req("A1", "K1"), req("A2", "K1", provider="P3", status=st.APPROVED)) == []


def test_an_approval_elsewhere_closes_even_a_request_here():
    assert match(req("A1", "K1", provider="P1"), req("A2", "K1", provider="P3", status=st.APPROVED)) == []


def test_unmet_need_is_the_second_group_with_the_start_of_all_its_requests():
    """All closed, one 'opvangplan niet mogelijk', none approved (R5): start and days over every request."""
    found = match(req("A1", "K1", status=st.NOT_POSSIBLE, start=D(2027, 4, 10), days=2.0),
                  req("A2", "K1", provider="P3", status=st.CANCELLED_BY_PARENT, start=D(2027, 3, 5), days=None,
                      received=D(2026, 12, 1)))
    assert found == [Candidate(
        child_id="K1", group=2, start=D(2027, 3, 5), days_per_week=2.0, vulnerable=False,
        first_received=D(2026, 12, 1),
        reason="onvervulde opvangvraag (opvangplan niet mogelijk); start 05/03/2027; 2 dagen per week",
        request_ids=("A1", "A2"))]


def test_unmet_need_with_no_known_start_is_no_candidate():
    assert match(req("A1", "K1", status=st.NOT_POSSIBLE, start=None)) == []


def test_unmet_at_this_provider_is_the_first_group():
    found = match(req("A1", "K1", provider="P1", status=st.NOT_POSSIBLE))
    assert [(c.group, c.reason) for c in found] == [
        (1, "vroeg hier aan; onvervulde opvangvraag (opvangplan niet mogelijk); start 15/03/2027; 3 dagen per week")]


def test_any_request_here_puts_the_child_in_the_first_group_even_a_closed_one():
    """Open elsewhere, cancelled here: the child asked here once; start and ids come from the open request."""
    found = match(req("A1", "K1", provider="P1", status=st.CANCELLED_BY_PARENT, start=D(2027, 3, 2)),
                  req("A2", "K1", provider="P3", start=D(2027, 3, 12)))
    assert [(c.group, c.start, c.request_ids, c.reason) for c in found] == [
        (1, D(2027, 3, 12), ("A2",), "vroeg hier aan; start 12/03/2027; 3 dagen per week")]


# --- order --------------------------------------------------------------------------------------------------------

def test_order_group_then_vulnerable_then_earliest_received_then_child_id():
    found = match(
        req("A1", "K1", provider="P1", received=D(2027, 1, 20)),  # here
        req("A2", "K2", provider="P1", received=D(2027, 2, 1), vulnerable=True),  # here, vulnerable, later
        req("A3", "K3", status=st.NOT_POSSIBLE, received=D(2027, 1, 5)),  # unmet
        req("A4", "K4", received=D(2027, 1, 2)),  # rest
        req("A5", "K5", received=D(2027, 1, 1), vulnerable=None),  # rest, vulnerable by its other request
        req("A6", "K5", provider="P3", received=D(2027, 1, 8), vulnerable=True),
        req("A7", "K6", received=D(2027, 1, 2), vulnerable=False),  # rest, same day as K4: the id decides
        req("A8", "K7", received=D(2027, 1, 1)),  # rest, earliest received
    )
    assert [(c.child_id, c.group, c.vulnerable) for c in found] == [
        ("K2", 1, True), ("K1", 1, False), ("K3", 2, False),
        ("K5", 3, True), ("K7", 3, False), ("K4", 3, False), ("K6", 3, False)]


def test_vulnerable_when_any_request_says_ja_even_a_closed_one():
    found = match(req("A1", "K1", vulnerable=False),
                  req("A2", "K1", provider="P3", status=st.CANCELLED_BY_PARENT, vulnerable=True))
    assert [(c.vulnerable, c.reason) for c in found] == [
        (True, "open aanvraag elders; start 15/03/2027; 3 dagen per week; kwetsbaar gezin")]


def test_vulnerable_as_sqlite_gives_it_one_zero_and_nan():
    found = match(req("A1", "K1", vulnerable=1.0), req("A2", "K2", vulnerable=0.0), req("A3", "K3", vulnerable=np.nan))
    assert [(c.child_id, c.vulnerable) for c in found] == [("K1", True), ("K2", False), ("K3", False)]


def test_first_received_is_the_earliest_of_the_open_requests():
    found = match(req("A1", "K1", received=D(2027, 2, 10)), req("A2", "K1", provider="P3", received=D(2027, 1, 25)),
                  req("A3", "K1", provider="P4", status=st.CANCELLED_BY_PARENT, received=D(2026, 6, 1)))
    assert [c.first_received for c in found] == [D(2027, 1, 25)]


# --- the reason line ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, text", [
    (1.0, "1 dag per week"), (2.5, "2,5 dagen per week"), (3.0, "3 dagen per week"),
    (None, "dagen per week onbekend"),
])
def test_the_reason_says_the_days_in_dutch(days, text):
    assert [c.reason for c in match(req("A1", "K1", days=days, start=D(2027, 3, 3)))] == [
        f"open aanvraag elders; start 03/03/2027; {text}"]


def test_the_reason_of_a_vulnerable_child_here():
    found = match(req("A1", "K1", provider="P1", vulnerable=True, start=D(2027, 3, 3)))
    assert [c.reason for c in found] == ["vroeg hier aan; start 03/03/2027; 3 dagen per week; kwetsbaar gezin"]


# --- the vacancy and the frame ------------------------------------------------------------------------------------

def test_a_vacancy_closed_today_or_ended_yesterday_has_no_candidates():
    closed = replace(PLACE, afgesloten_op=T, reden="ingevuld")
    ended = replace(PLACE, tot=D(2027, 2, 28))
    assert match(req("A1", "K1", start=D(2027, 2, 1)), vacancy=closed) == []
    assert match(req("A1", "K1", start=D(2027, 2, 1)), vacancy=ended) == []
    still = replace(PLACE, afgesloten_op=D(2027, 3, 2), reden="ingevuld")  # closes tomorrow
    assert ids(match(req("A1", "K1", start=D(2027, 2, 1)), vacancy=still)) == ["K1"]


def test_no_requests_no_candidates():
    assert matching.candidates(PLACE, frame(), T, DEFAULTS) == []


def test_the_frame_is_left_alone():
    df = frame(req("A1", "K1"), req("A2", "K2", status=st.NOT_POSSIBLE))
    before = df.copy()
    matching.candidates(PLACE, df, T, DEFAULTS)
    pd.testing.assert_frame_equal(df, before)


def test_settings_default_to_ninoves():
    assert ids(matching.candidates(PLACE, frame(req("A1", "K1", start=D(2027, 3, 31))), T)) == ["K1"]
