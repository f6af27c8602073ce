"""Rules R1-R5 as pure functions: the edges named in the issue, with 'today' passed in."""

from datetime import date

import pandas as pd
import pytest

from llko.requests import rules
from llko.requests import statuses

D = date


def frame(*rows):
    """Build a requests frame from (id, child, provider, received, status, status_date, answer_date) tuples."""
    df = pd.DataFrame(rows, columns=["id", "child_id", "provider_id", "received", "status", "status_date", "answer_date"])
    for col in ["received", "status_date", "answer_date"]:
        df[col] = pd.to_datetime(df[col])
    return df


def one(df, today):
    return rules.classify(df, today).iloc[0]


def test_deadline_is_received_plus_14_calendar_days():
    assert rules.deadline(D(2026, 2, 20)) == D(2026, 3, 6)


@pytest.mark.parametrize("answer_day, in_time", [(D(2026, 3, 15), True), (D(2026, 3, 16), False)])
def test_answer_on_day_14_is_in_time_day_15_is_late(answer_day, in_time):
    df = frame(("a", "k", "p", D(2026, 3, 1), statuses.IN_PROGRESS, answer_day, answer_day))
    row = one(df, D(2026, 4, 1))
    assert row["answered"]
    assert bool(row["answered_in_time"]) == in_time
    assert not row["overdue"]


def test_overdue_starts_the_day_after_the_deadline():
    df = frame(("a", "k", "p", D(2026, 3, 1), statuses.NEW, D(2026, 3, 1), None))
    assert not one(df, D(2026, 3, 15))["overdue"]  # day 14: still in time
    late = one(df, D(2026, 3, 16))
    assert late["overdue"] and late["days_late"] == 1


def test_only_vraag_ontvangen_past_the_deadline_is_overdue():
    df = frame(("a", "k", "p", D(2026, 3, 1), statuses.RECEIVED, D(2026, 3, 2), None))
    row = one(df, D(2026, 3, 20))
    assert row["is_open"] and not row["answered"] and row["overdue"]
    assert row["days_late"] == 5


def test_due_soon_is_three_days_or_less_before_the_deadline():
    df = frame(("a", "k", "p", D(2026, 3, 1), statuses.NEW, D(2026, 3, 1), None))
    assert not one(df, D(2026, 3, 11))["due_soon"]  # 4 days left
    assert one(df, D(2026, 3, 12))["due_soon"]  # 3 days left
    assert one(df, D(2026, 3, 15))["due_soon"]  # deadline day
    assert not one(df, D(2026, 3, 16))["due_soon"]  # overdue now


def test_approval_closes_the_childs_other_open_requests():
    df = frame(
        ("a1", "k1", "p1", D(2026, 3, 1), statuses.APPROVED, D(2026, 3, 5), D(2026, 3, 5)),
        ("a2", "k1", "p2", D(2026, 3, 1), statuses.NEW, D(2026, 3, 1), None),
        ("a3", "k1", "p3", D(2026, 3, 1), statuses.IN_PROGRESS, D(2026, 3, 3), D(2026, 3, 3)),
        ("a4", "k2", "p2", D(2026, 3, 1), statuses.NEW, D(2026, 3, 1), None),
    )
    out = rules.classify(df, D(2026, 4, 1)).set_index("id")
    assert out.loc["a2", "closed_elsewhere"] and not out.loc["a2", "is_open"] and not out.loc["a2", "overdue"]
    assert out.loc["a3", "closed_elsewhere"] and not out.loc["a3", "is_open"]
    assert not out.loc["a1", "closed_elsewhere"]
    assert out.loc["a4", "is_open"] and out.loc["a4", "overdue"]  # another child: still overdue
    counts = rules.provider_counts(out.reset_index())
    assert counts.loc["p2", "closed_elsewhere_approved"] == 1 and counts.loc["p2", "overdue"] == 1
    assert counts.loc["p1", "approved"] == 1


def test_approved_children_can_come_from_outside_the_frame():
    df = frame(("a2", "k1", "p2", D(2026, 3, 1), statuses.NEW, D(2026, 3, 1), None))
    assert one(df, D(2026, 4, 1))["overdue"]
    row = rules.classify(df, D(2026, 4, 1), approved_children={"k1"}).iloc[0]
    assert row["closed_elsewhere"] and not row["overdue"]


def test_counts_follow_current_status():
    df = frame(
        ("a1", "k1", "p", D(2026, 3, 1), statuses.NOT_POSSIBLE, D(2026, 3, 4), D(2026, 3, 4)),
        ("a2", "k2", "p", D(2026, 3, 1), statuses.CANCELLED_BY_PROVIDER, D(2026, 5, 1), D(2026, 3, 20)),
        ("a3", "k3", "p", D(2026, 3, 1), statuses.CANCELLED_BY_PARENT, D(2026, 3, 2), None),
    )
    counts = rules.provider_counts(rules.classify(df, D(2026, 6, 1))).loc["p"]
    assert counts["not_possible"] == 1 and counts["cancelled_by_provider"] == 1
    assert counts["answered"] == 2 and counts["answered_in_time"] == 1
    assert counts["open"] == 0 and counts["overdue"] == 0


def test_cancellations_are_not_a_shortage_but_not_possible_is():
    df = frame(
        ("a1", "k1", "p1", D(2026, 3, 1), statuses.NOT_POSSIBLE, D(2026, 3, 4), D(2026, 3, 4)),
        ("a2", "k1", "p2", D(2026, 3, 1), statuses.CANCELLED_BY_PARENT, D(2026, 3, 4), None),
        ("b1", "k2", "p1", D(2026, 3, 1), statuses.CANCELLED_BY_PROVIDER, D(2026, 3, 4), D(2026, 3, 4)),
        ("b2", "k2", "p2", D(2026, 3, 1), statuses.CANCELLED_BY_PARENT, D(2026, 3, 4), None),
    )
    assert list(rules.children_unmet(df)) == ["k1"]


def test_unmet_need_requires_all_closed_and_none_approved():
    df = frame(
        ("a1", "k1", "p1", D(2026, 3, 1), statuses.NOT_POSSIBLE, D(2026, 3, 4), D(2026, 3, 4)),
        ("a2", "k1", "p2", D(2026, 3, 1), statuses.NEW, D(2026, 3, 1), None),  # still open
        ("b1", "k2", "p1", D(2026, 3, 1), statuses.NOT_POSSIBLE, D(2026, 3, 4), D(2026, 3, 4)),
        ("b2", "k2", "p2", D(2026, 3, 1), statuses.APPROVED, D(2026, 3, 9), D(2026, 3, 9)),  # helped elsewhere
        ("c1", "k3", "p1", D(2026, 3, 1), statuses.NOT_POSSIBLE, D(2026, 3, 4), D(2026, 3, 4)),
        ("c2", "k3", "p2", D(2026, 3, 1), statuses.NOT_POSSIBLE, D(2026, 3, 6), D(2026, 3, 6)),
    )
    assert list(rules.children_unmet(df)) == ["k3"]


def test_followup_reminder_after_a_month_then_close_after_a_week():
    df = frame(("a", "k", "p", D(2026, 1, 10), statuses.IN_PROGRESS, D(2026, 1, 20), D(2026, 1, 20)))
    assert rules.followups(rules.classify(df, D(2026, 2, 19)), D(2026, 2, 19)).empty
    todo = rules.followups(rules.classify(df, D(2026, 2, 20)), D(2026, 2, 20))
    assert list(todo["todo"]) == ["herinnering"]
    assert todo.iloc[0]["reminder_date"] == pd.Timestamp(2026, 2, 20)
    assert todo.iloc[0]["close_date"] == pd.Timestamp(2026, 2, 27)
    assert list(rules.followups(rules.classify(df, D(2026, 2, 26)), D(2026, 2, 26))["todo"]) == ["herinnering"]
    assert list(rules.followups(rules.classify(df, D(2026, 2, 27)), D(2026, 2, 27))["todo"]) == ["afsluiten"]


def test_followups_ignore_other_statuses_and_requests_closed_elsewhere():
    df = frame(
        ("a", "k1", "p", D(2026, 1, 1), statuses.RECEIVED, D(2026, 1, 2), None),
        ("b", "k2", "p", D(2026, 1, 1), statuses.IN_PROGRESS, D(2026, 1, 2), D(2026, 1, 2)),
        ("c", "k2", "q", D(2026, 1, 1), statuses.APPROVED, D(2026, 1, 9), D(2026, 1, 9)),
    )
    assert rules.followups(rules.classify(df, D(2026, 6, 1)), D(2026, 6, 1)).empty


def test_in_time_rate_over_deadlines_in_the_window():
    today = D(2026, 6, 30)
    df = frame(
        ("a", "k1", "p", D(2026, 6, 1), statuses.IN_PROGRESS, D(2026, 6, 10), D(2026, 6, 10)),  # in time
        ("b", "k2", "p", D(2026, 6, 1), statuses.NOT_POSSIBLE, D(2026, 6, 20), D(2026, 6, 20)),  # late
        ("c", "k3", "p", D(2026, 6, 1), statuses.NEW, D(2026, 6, 1), None),  # overdue: not in time
        ("d", "k4", "p", D(2026, 6, 1), statuses.CANCELLED_BY_PARENT, D(2026, 6, 3), None),  # withdrawn in time: left out
        ("e", "k5", "p", D(2026, 1, 1), statuses.IN_PROGRESS, D(2026, 1, 5), D(2026, 1, 5)),  # deadline outside window
        ("f", "k6", "p", D(2026, 6, 25), statuses.NEW, D(2026, 6, 25), None),  # deadline not reached yet
    )
    assert rules.in_time_rate(rules.classify(df, today), today) == pytest.approx(1 / 3)


def test_in_time_rate_is_none_without_deadlines():
    df = frame(("f", "k6", "p", D(2026, 6, 25), statuses.NEW, D(2026, 6, 25), None))
    assert rules.in_time_rate(rules.classify(df, D(2026, 6, 30)), D(2026, 6, 30)) is None


def test_statuses_normalize_case_and_spacing():
    assert statuses.normalize("  Vraag   ONTVANGEN ") == statuses.RECEIVED
    assert set(statuses.OPEN) | set(statuses.CLOSED) == set(statuses.ALL)
    assert statuses.RECEIVED not in statuses.ANSWER


def test_an_answer_date_beside_vraag_ontvangen_is_no_answer():
    """An export may put the acknowledgement's date in datum_antwoord: R2 still sees no answer."""
    df = frame(("a", "k", "p", D(2026, 9, 1), statuses.RECEIVED, D(2026, 9, 5), D(2026, 9, 5)))
    row = one(df, D(2026, 10, 1))
    assert not row["answered"] and not row["answered_in_time"]
    assert row["overdue"] and row["days_late"] == 16


def test_a_request_closed_by_an_approval_after_its_deadline_was_answered_late():
    """R3 with R2: the request ended on the child's first approval. Left waiting past its deadline, it was late;
    closed by an approval on or before its deadline, nobody had to answer it (it leaves the share)."""
    today = D(2026, 6, 30)
    df = frame(
        # x: at P1 since 01/06 (deadline 15/06), never answered; the child approved at P2 on 20/06: late.
        ("x", "k1", "p1", D(2026, 6, 1), statuses.NEW, D(2026, 6, 1), None),
        ("x-ok", "k1", "p2", D(2026, 6, 1), statuses.APPROVED, D(2026, 6, 20), D(2026, 6, 20)),
        # y: at P1 since 01/06, the child approved at P2 on 15/06, the deadline itself: left out.
        ("y", "k2", "p1", D(2026, 6, 1), statuses.RECEIVED, D(2026, 6, 2), None),
        ("y-ok", "k2", "p2", D(2026, 6, 1), statuses.APPROVED, D(2026, 6, 15), D(2026, 6, 15)),
    )
    classified = rules.classify(df, today)
    # Had to be answered: x (late), x-ok and y-ok (answered on 20/06: late; on 15/06: in time). In time 1 of 3.
    assert rules.in_time_rate(classified, today) == pytest.approx(1 / 3)
    p1 = classified[classified["provider_id"] == "p1"]
    assert rules.in_time_rate(p1, today) == 0.0  # only x had to be answered there, and it was not, in time
    assert list(p1["closed_on"].dt.strftime("%d/%m")) == ["20/06", "15/06"]


# --- the in-time window, R4's close day and its reminder, by hand -----------------------------------------------

def test_the_in_time_window_and_a_withdrawal_on_the_deadline_by_hand():
    """T = 30/06/2026: the 90-day window holds the deadlines in (01/04, 30/06].
    a: deadline 01/04 = T-90, still open: outside the window.      b: deadline 30/06 = T, answered 20/06: in time.
    c: deadline 15/06, withdrawn ON it: nobody had to answer.       d: withdrawn the day after: late.
    Share: b and d had to be answered, b in time: 1/2. Kills in_time_rate 7, 12 and 24."""
    today = date(2026, 6, 30)
    df = frame(
        ("a", "k1", "p", date(2026, 3, 18), statuses.NEW, date(2026, 3, 18), None),
        ("b", "k2", "p", date(2026, 6, 16), statuses.IN_PROGRESS, date(2026, 6, 20), date(2026, 6, 20)),
        ("c", "k3", "p", date(2026, 6, 1), statuses.CANCELLED_BY_PARENT, date(2026, 6, 15), None),
        ("d", "k4", "p", date(2026, 6, 1), statuses.CANCELLED_BY_PARENT, date(2026, 6, 16), None),
    )
    assert rules.in_time_rate(rules.classify(df, today), today) == 0.5


def test_r4_close_day_is_a_month_and_a_week_after_the_last_reaction():
    """02/10 + 1 month = 02/11, + 7 days = 09/11; from 31/01 the month ends on 28/02, + 7 = 07/03.
    Kills close_day 1 and 2."""
    assert rules.close_day(date(2026, 10, 2)) == date(2026, 11, 9)
    assert rules.close_day(date(2026, 1, 31)) == date(2026, 3, 7)


def test_the_reminder_to_silent_parents_by_hand():
    """R4's message that Mijn aanvragen offers to copy, with the provider's own contact line.
    Kills reminder_message 1-3."""
    assert rules.reminder_message("Het Nest", "info@hetnest.be") == (
        "Aangezien we geen reactie meer krijgen, wordt deze aanvraag binnen 1 week afgesloten. "
        "Wenst u toch nog kinderopvang, neem dan contact met ons op: Het Nest via info@hetnest.be.")
