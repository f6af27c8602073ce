"""Dutch formatting (llko.dutch): every number, day, moment and ja/nee as a Belgian reads it, worked out by hand."""

from datetime import date, datetime, timezone

import pandas as pd
import pytest

from llko import dutch


@pytest.mark.parametrize("n, shown", [(0, "0"), (999, "999"), (1000, "1.000"), (1234567, "1.234.567")])
def test_whole_numbers_have_a_dot_between_thousands(n, shown):
    assert dutch.whole(n) == shown


@pytest.mark.parametrize("value, digits, shown", [
    (11.25, 1, "11,3"), (28.571428571, 1, "28,6"), (0.0, 1, "0,0"), (0.05, 1, "0,1"), (2.5, None, "2,5"),
    (6.0, None, "6"), (None, 1, "onbekend"), (float("nan"), 1, "onbekend")])
def test_decimals_have_a_comma_and_round_half_up(value, digits, shown):
    assert dutch.decimal(value, digits) == shown


@pytest.mark.parametrize("share, shown", [
    (0.825, "82,5%"), (0.9, "90%"), (0.8999, "89,9%"), (1.0, "100%"), (0.0, "0%"), (2 / 3, "66,6%"), (None, "–")])
def test_percentages_are_cut_off_never_rounded_up_to_a_threshold(share, shown):
    assert dutch.percent(share) == shown


@pytest.mark.parametrize("value, shown", [
    (date(2026, 1, 5), "05/01/2026"), (datetime(2026, 12, 31, 23, 59), "31/12/2026"),
    (pd.Timestamp("2025-02-28"), "28/02/2025"), ("2024-02-29", "29/02/2024"), (None, ""), (pd.NaT, "")])
def test_days_are_dd_mm_yyyy(value, shown):
    assert dutch.day(value) == shown


def test_moments_are_in_belgian_time_winter_and_summer():
    assert dutch.moment(datetime(2026, 1, 10, 23, 30, tzinfo=timezone.utc)) == "11/01/2026 00:30"  # UTC+1
    assert dutch.moment(datetime(2026, 7, 1, 10, 5)) == "01/07/2026 12:05"  # a zone-less stored moment is UTC; +2
    assert dutch.moment(datetime(2026, 7, 1, 10, 5), " om ") == "01/07/2026 om 12:05"


def test_months_by_their_short_dutch_name():
    assert dutch.month("2026-03") == "mrt 2026"
    assert dutch.month("2025-05", with_year=False) == "mei"
    assert dutch.month("2024-10-01") == "okt 2024"


@pytest.mark.parametrize("typed, meant", [
    ("ja", True), (" J ", True), ("1", True), ("Nee", False), ("n", False), ("0", False), ("", None), (None, None),
    ("  ", None)])
def test_ja_nee_as_people_type_it(typed, meant):
    assert dutch.parse_yes_no(typed) is meant
    if meant is not None:
        assert dutch.yes_no(meant) == ("ja" if meant else "nee")


@pytest.mark.parametrize("typed", ["jawel", "yes", "2", "x"])
def test_anything_else_is_not_ja_nee(typed):
    with pytest.raises(ValueError):
        dutch.parse_yes_no(typed)
