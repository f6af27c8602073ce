"""R11 (compliance verdicts) and R9's advice as pure functions, each obligation at its boundaries.

Every expected value is worked out by hand from shared/DESIGN.md (R2, R3, R6-R11) and written literally. The
period is F = 01/06/2026 .. T = 01/11/2026 (both included) unless a test says otherwise; deadline = received + 14.
"""

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from llko.compliance import rules
from llko.compliance.rules import (IN_ORDER, NOT_APPLICABLE, SHORTCOMING, UNKNOWN, Verdict, advice, agreement,
                                   answering, infopagina, local_policy, period, plus_share, statuses, vacancies)
from llko.infopagina.rules import Check
from llko.settings import DEFAULTS
from llko.vacancies.rules import Vacancy

F, T = date(2026, 6, 1), date(2026, 11, 1)
d = date.fromisoformat


def req(id, received, status, status_date, answer=None, child=None, provider="P1", desired=None, vulnerable=None):
    return {"id": id, "child_id": child or f"K{id}", "provider_id": provider, "received": d(received),
            "status": status, "status_date": d(status_date), "answer_date": d(answer) if answer else None,
            "desired_start": d(desired) if desired else None, "vulnerable": vulnerable}


def frame(*rows):
    columns = ["id", "child_id", "provider_id", "received", "status", "status_date", "answer_date", "desired_start",
               "vulnerable"]
    return pd.DataFrame(list(rows), columns=columns)


# --- the period ---------------------------------------------------------------------------------------------------

def test_the_default_period_is_a_year_ending_today():
    assert period(None, None, d("2026-11-01")) == (d("2025-11-02"), d("2026-11-01"))
    assert period(None, d("2026-03-01"), d("2026-11-01")) == (d("2025-03-02"), d("2026-03-01"))
    assert period(d("2026-10-01"), None, d("2026-11-01")) == (d("2026-10-01"), d("2026-11-01"))
    assert period(d("2026-11-01"), d("2026-11-01"), d("2020-01-01")) == (d("2026-11-01"), d("2026-11-01"))


def test_a_period_that_ends_before_it_starts_is_refused_in_dutch():
    with pytest.raises(ValueError, match=r"begindatum \(02/11/2026\) ligt na de einddatum \(01/11/2026\)"):
        period(d("2026-11-02"), d("2026-11-01"), T)
    for judge in (lambda a, b: answering(frame(), a, b), lambda a, b: infopagina([], a, b),
                  lambda a, b: local_policy("P1", [], a, b), lambda a, b: plus_share("3", frame(), a, b),
                  lambda a, b: statuses(frame(), a, b), lambda a, b: vacancies(frame(), [], a, b),
                  lambda a, b: agreement([], a, b)):
        with pytest.raises(ValueError, match="Ongeldige periode"):
            judge(T, F)
        assert judge(T, T).verdict in rules.VERDICTS  # F = T is a period of one day


# --- answering ----------------------------------------------------------------------------------------------------

def test_answering_counts_the_deadlines_in_the_period_both_ends_included():
    requests = frame(
        req("A1", "2026-05-17", "nieuw", "2026-05-17"),  # deadline 31/05: before F, not counted
        req("A2", "2026-05-18", "opvangplan niet mogelijk", "2026-06-01", "2026-06-01"),  # deadline F, on the day
        req("A3", "2026-10-18", "nieuw", "2026-10-18"),  # deadline T itself, still unanswered: late
        req("A4", "2026-10-19", "nieuw", "2026-10-19"),  # deadline 02/11: after T, not counted
        req("A5", "2026-07-01", "goedgekeurd", "2026-07-16", "2026-07-16"),  # answered the day after 15/07: late
        req("A6", "2026-07-01", "in behandeling", "2026-07-15", "2026-07-15"),  # on its deadline: in time
    )
    verdict = answering(requests, F, T)
    assert (verdict.verdict, verdict.evidence, verdict.share) == (SHORTCOMING, ["A3", "A5"], 0.5)
    assert {k: verdict.details[k] for k in ("counted", "in_time", "late")} == {"counted": 4, "in_time": 2, "late": 2}
    # the evidence table: received, deadline, answer and days late, worked out by hand
    assert verdict.details["late_requests"] == [
        {"id": "A3", "received": date(2026, 10, 18), "deadline": date(2026, 11, 1), "answered_on": None,
         "days_late": 0},
        {"id": "A5", "received": date(2026, 7, 1), "deadline": date(2026, 7, 15), "answered_on": date(2026, 7, 16),
         "days_late": 1},
    ]
    assert verdict.contract() == {"verdict": "shortcoming", "category": "minimum", "evidence": ["A3", "A5"],
                                  "share": 0.5}


def test_an_acknowledgement_is_no_answer_whatever_date_the_export_gives():
    requests = frame(req("A1", "2026-07-01", "vraag ontvangen", "2026-07-02", "2026-07-02"))
    assert answering(requests, F, T).evidence == ["A1"]


def test_answering_leaves_out_requests_the_parents_cancelled_by_the_deadline_without_an_answer():
    requests = frame(
        req("A1", "2026-07-01", "geannuleerd door ouder", "2026-07-15"),  # on the deadline, no answer: left out
        req("A2", "2026-07-01", "geannuleerd door ouder", "2026-07-16"),  # the day after: counted, late
        req("A3", "2026-07-01", "geannuleerd door ouder", "2026-07-10", "2026-07-05"),  # answered: in time
        req("A4", "2026-07-01", "geannuleerd door ouder", "2026-07-20", "2026-07-17"),  # answered late
        req("A5", "2026-07-01", "geannuleerd door opvang", "2026-07-10", "2026-07-10"),  # no exception: in time
    )
    verdict = answering(requests, F, T)
    assert (verdict.evidence, verdict.share, verdict.details["counted"]) == (["A2", "A4"], 0.5, 4)


def test_answering_leaves_out_requests_closed_by_an_approval_elsewhere_by_the_deadline():
    """R3: the child's earliest approval anywhere; from first_approvals for one provider's frame."""
    here = frame(
        req("A1", "2026-07-01", "nieuw", "2026-07-01", child="K1"),  # K1 approved 15/07 = its deadline: left out
        req("A2", "2026-07-01", "vraag ontvangen", "2026-07-02", child="K2"),  # K2 approved 16/07: late
        req("A3", "2026-07-01", "in behandeling", "2026-07-20", "2026-07-20", child="K3"),  # answered late
        req("A4", "2026-07-01", "in behandeling", "2026-07-14", "2026-07-14", child="K4"),  # answered in time
        req("A5", "2026-07-01", "nieuw", "2026-07-01", child="K5"),  # K5 never approved: late
    )
    elsewhere = {"K1": d("2026-07-15"), "K2": d("2026-07-16"), "K3": d("2026-07-01"), "K4": d("2026-07-01")}
    verdict = answering(here, F, T, first_approvals=elsewhere)
    assert (verdict.evidence, verdict.share) == (["A2", "A3", "A5"], 0.25)
    # Without first_approvals the frame itself says who was approved: here nobody, so A1 counts (late) too.
    assert answering(here, F, T).evidence == ["A1", "A2", "A3", "A5"]
    # The approval in the same frame, at another provider, with two approvals: the earliest counts.
    both = frame(req("A1", "2026-07-01", "nieuw", "2026-07-01", child="K1"),
                 req("B1", "2026-06-01", "goedgekeurd", "2026-07-20", "2026-07-20", child="K1", provider="P2"),
                 req("B2", "2026-06-01", "goedgekeurd", "2026-07-15", "2026-06-10", child="K1", provider="P3"))
    assert answering(both[both["provider_id"] == "P1"], F, T, first_approvals=rules.first_approvals(both)).details[
        "counted"] == 0
    assert rules.first_approvals(both) == {"K1": d("2026-07-15")}


def test_requests_are_judged_in_their_latest_state_even_after_T():
    requests = frame(
        req("A1", "2026-10-10", "goedgekeurd", "2026-11-20", "2026-11-20"),  # answered after T, after its deadline
        req("A2", "2026-10-10", "goedgekeurd", "2026-11-20", "2026-10-20"),  # answered 20/10, approved after T
        req("A3", "2026-10-10", "geannuleerd door ouder", "2026-11-03"),  # ended after its deadline unanswered
    )
    verdict = answering(requests, F, T)
    assert (verdict.evidence, verdict.details["counted"]) == (["A1", "A3"], 3)


def test_answering_share_at_the_threshold_is_in_order():
    in_time = [req(f"A{i}", "2026-07-01", "opvangplan niet mogelijk", "2026-07-15", "2026-07-15") for i in range(9)]
    ten = frame(*in_time, req("A9", "2026-07-01", "nieuw", "2026-07-01"))
    verdict = answering(ten, F, T)
    assert (verdict.verdict, verdict.share, verdict.evidence) == (IN_ORDER, 0.9, ["A9"])  # 9/10 = 0.90: equal
    nine = frame(*in_time[:8], req("A9", "2026-07-01", "nieuw", "2026-07-01"))
    verdict = answering(nine, F, T)
    assert (verdict.verdict, verdict.share) == (SHORTCOMING, 8 / 9)
    assert answering(ten, F, T, replace(DEFAULTS, answering_min_share=0.91)).verdict == SHORTCOMING
    assert answering(nine, F, T, replace(DEFAULTS, answering_min_share=0.8)).verdict == IN_ORDER
    # A threshold typed as a percentage (0.7 from 70%) against 7 of 10.
    seven = frame(*in_time[:7], req("A8", "2026-07-01", "nieuw", "2026-07-01"), req("A9", "2026-07-01", "nieuw",
                                                                                     "2026-07-01"),
                  req("B0", "2026-07-01", "nieuw", "2026-07-01"))
    assert answering(seven, F, T, replace(DEFAULTS, answering_min_share=70 / 100)).verdict == IN_ORDER


def test_answering_with_nothing_to_count_is_in_order_without_a_share():
    assert answering(frame(), F, T).contract() == {"verdict": "in_order", "category": "minimum", "evidence": [],
                                                    "share": None}
    only_left_out = frame(req("A1", "2026-07-01", "geannuleerd door ouder", "2026-07-02"))
    assert (answering(only_left_out, F, T).verdict, answering(only_left_out, F, T).share) == (IN_ORDER, None)


def test_answering_follows_deadline_days():
    requests = frame(req("A1", "2026-07-01", "in behandeling", "2026-07-10", "2026-07-10"))
    assert answering(requests, F, T).evidence == []
    assert answering(requests, F, T, replace(DEFAULTS, deadline_days=8)).evidence == ["A1"]  # deadline 09/07
    # deadline_days 200: the deadline 17/01/2027 leaves the period
    assert answering(requests, F, T, replace(DEFAULTS, deadline_days=200)).details["counted"] == 0


# --- infopagina ---------------------------------------------------------------------------------------------------

def check(day, bron="loket", missing=()):
    return Check(provider_id="P1", datum=d(day), bron=bron,
                 present={i: i not in missing for i in ("openingsuren", "openingsdagen", "contact", "foto_logo",
                                                        "tarief")})


def test_infopagina_without_a_loket_check_is_unknown():
    assert infopagina([], F, T).contract() == {"verdict": "unknown", "category": "minimum", "evidence": []}
    declaration = [check("2026-10-01", bron="opvang", missing=("tarief",))]
    assert (infopagina(declaration, F, T).verdict, infopagina(declaration, F, T).evidence) == (UNKNOWN, [])


def test_infopagina_missing_items_in_r6_order_from_a_check_exactly_max_age_old():
    # 01/11/2025 is 365 days before T: still counts.
    checks = [check("2025-11-01", missing=("tarief", "foto_logo", "openingsdagen"))]
    assert infopagina(checks, F, T).contract() == {"verdict": "shortcoming", "category": "minimum",
                                                   "evidence": ["openingsdagen", "foto_logo", "tarief"]}
    # One day older: unknown, and the missing items are no evidence then.
    older = [check("2025-10-31", missing=("tarief",))]
    assert (infopagina(older, F, T).verdict, infopagina(older, F, T).evidence) == (UNKNOWN, [])
    assert infopagina(older, F, T, replace(DEFAULTS, infopagina_max_age_days=366)).verdict == SHORTCOMING
    assert infopagina(checks, F, T, replace(DEFAULTS, infopagina_max_age_days=364)).verdict == UNKNOWN


def test_infopagina_takes_the_latest_loket_check_up_to_T():
    checks = [check("2026-01-10", missing=("contact",)),  # before F: counts when it is the latest
              check("2026-09-01", missing=("contact", "openingsuren")),
              check("2026-10-15", bron="opvang"),  # a complete declaration: te bevestigen, does not count
              check("2026-11-02")]  # after T: not yet
    assert infopagina(checks, F, T).evidence == ["openingsuren", "contact"]
    assert infopagina(checks[:1], F, T).evidence == ["contact"]
    assert infopagina(checks, F, d("2026-11-02")).contract()["verdict"] == "in_order"
    assert infopagina(checks, F, d("2026-11-02")).evidence == []


# --- local policy -------------------------------------------------------------------------------------------------

MEETINGS = [(d("2026-05-31"), ("P1", "P2")), (d("2026-06-01"), ("P2",)), (d("2026-11-01"), ("P1",)),
            (d("2026-11-02"), ("P1", "P2", "P3"))]


def test_local_policy_over_the_meetings_in_the_period():
    assert local_policy("P1", MEETINGS, F, T).contract() == {"verdict": "in_order", "category": "minimum",
                                                             "evidence": ["2026-06-01"]}
    assert local_policy("P2", MEETINGS, F, T).contract() == {"verdict": "in_order", "category": "minimum",
                                                             "evidence": ["2026-11-01"]}
    # P3 attended only the meeting after T: it missed both meetings in the period.
    assert local_policy("P3", MEETINGS, F, T).contract() == {"verdict": "shortcoming", "category": "minimum",
                                                             "evidence": ["2026-06-01", "2026-11-01"]}
    assert local_policy("P3", MEETINGS, F, T).details == {"meetings": 2, "attended": 0}


def test_local_policy_without_a_meeting_in_the_period_does_not_apply():
    between = local_policy("P3", MEETINGS, d("2026-06-02"), d("2026-10-31"))
    assert (between.verdict, between.evidence) == (NOT_APPLICABLE, [])
    assert local_policy("P3", [], F, T).verdict == NOT_APPLICABLE


def test_local_policy_reads_meeting_objects_too():
    from llko.agreements.queries import Meeting

    meetings = [Meeting(id=1, held_on=d("2026-09-15"), subject="", attending=("P2",))]
    assert local_policy("P1", meetings, F, T).evidence == ["2026-09-15"]
    assert local_policy("P2", meetings, F, T).verdict == IN_ORDER


# --- plus share ---------------------------------------------------------------------------------------------------

def approved(id, child, day, vulnerable, status="goedgekeurd"):
    return req(id, "2026-05-01", status, day, day, child=child, vulnerable=vulnerable)


def test_plus_share_applies_to_trap_3_only():
    requests = frame(*(approved(f"A{i}", f"K{i}", "2026-07-01", False) for i in range(6)))
    for level in (None, "", " ", float("nan"), "0", "1", "2A", "2B", "30"):
        verdict = plus_share(level, requests, F, T)
        assert verdict.contract() == {"verdict": "not_applicable", "category": "minimum", "evidence": [],
                                      "share": None}, level
    assert plus_share("3", requests, F, T).verdict == SHORTCOMING
    assert plus_share(3, requests, F, T).verdict == SHORTCOMING
    assert plus_share(" 3 ", requests, F, T).share == 0.0


def test_plus_share_counts_distinct_children_approved_in_the_period_with_a_known_vulnerability():
    requests = frame(
        approved("A1", "K1", "2026-06-01", True),  # on F
        approved("A2", "K2", "2026-11-01", False),  # on T
        approved("A3", "K3", "2026-07-01", False),
        approved("A4", "K3", "2026-08-01", True),  # K3 twice: vulnerable, because one of its approvals says ja
        approved("A5", "K4", "2026-07-01", 0),
        approved("A6", "K5", "2026-07-01", None),  # unknown: not in the denominator
        approved("A7", "K6", "2026-05-31", True),  # before F
        approved("A8", "K7", "2026-11-02", True),  # after T
        approved("A9", "K8", "2026-07-01", True, status="in behandeling"),  # not approved
        approved("B1", "K9", "2026-07-01", "nee"),
        approved("B2", "K4", "2026-07-02", None),  # K4: nee and unknown -> nee
    )
    verdict = plus_share("3", requests, F, T)
    # K1 ja, K2 nee, K3 ja, K4 nee, K9 nee: 2 of 5
    assert verdict.contract() == {"verdict": "in_order", "category": "minimum", "evidence": [], "share": 0.4}
    assert verdict.details == {"children": 5, "vulnerable": 2}
    assert plus_share("3", requests, F, T, replace(DEFAULTS, plus_min_share=0.41)).verdict == SHORTCOMING
    assert plus_share("3", requests, F, T, replace(DEFAULTS, plus_min_share=0.4)).verdict == IN_ORDER
    # plus_min_children 6: too few children to judge; the share is still shown.
    too_few = plus_share("3", requests, F, T, replace(DEFAULTS, plus_min_children=6))
    assert too_few.contract() == {"verdict": "unknown", "category": "minimum", "evidence": [], "share": 0.4}


def test_plus_share_at_the_thresholds():
    ten = [approved(f"A{i}", f"K{i}", "2026-07-01", i < 3) for i in range(10)]
    assert plus_share("3", frame(*ten), F, T).verdict == IN_ORDER  # 3/10 = 30%: equal is in order
    assert plus_share("3", frame(*ten[1:]), F, T).share == 2 / 9
    assert plus_share("3", frame(*ten[1:]), F, T).verdict == SHORTCOMING
    four = [approved(f"A{i}", f"K{i}", "2026-07-01", False) for i in range(4)]
    assert plus_share("3", frame(*four), F, T).contract()["verdict"] == "unknown"  # 4 < plus_min_children 5
    assert plus_share("3", frame(*four), F, T).share == 0.0
    assert plus_share("3", frame(*four), F, T, replace(DEFAULTS, plus_min_children=4)).verdict == SHORTCOMING
    nobody = plus_share("3", frame(), F, T, replace(DEFAULTS, plus_min_children=0))
    assert (nobody.verdict, nobody.share) == (UNKNOWN, None)


# --- statuses -----------------------------------------------------------------------------------------------------

def test_direct_cancellations_in_the_period():
    requests = frame(
        req("A1", "2026-05-20", "geannuleerd door opvang", "2026-06-01"),  # on F, no answer date: direct
        req("A2", "2026-05-20", "geannuleerd door opvang", "2026-11-01", "2026-11-01"),  # on T, first answer
        req("A3", "2026-05-20", "geannuleerd door opvang", "2026-08-01", "2026-07-31"),  # answered before
        req("A4", "2026-05-20", "geannuleerd door opvang", "2026-05-31"),  # before F
        req("A5", "2026-05-20", "geannuleerd door opvang", "2026-11-02"),  # after T
        req("A6", "2026-05-20", "opvangplan niet mogelijk", "2026-07-01", "2026-07-01"),  # not a cancellation
    )
    verdict = statuses(requests, F, T)
    assert verdict.contract() == {"verdict": "in_order", "category": "further", "evidence": ["A1", "A2"]}
    assert verdict.details["direct_cancellations"] == ["A1", "A2"]


def test_lingering_in_behandeling_whatever_F():
    requests = frame(
        req("A1", "2026-01-01", "in behandeling", "2026-09-01", "2026-01-05", child="K1"),  # T - 61 days
        req("A2", "2026-01-01", "in behandeling", "2026-09-02", "2026-01-05", child="K2"),  # T - 60 days: not yet
        req("A3", "2025-01-01", "in behandeling", "2025-01-02", "2025-01-02", child="K3"),  # long before F
        req("A4", "2026-01-01", "in behandeling", "2026-01-02", "2026-01-02", child="K4"),  # K4 approved elsewhere
        req("A5", "2026-01-01", "vraag ontvangen", "2026-01-02", child="K5"),  # not in behandeling
    )
    verdict = statuses(requests, F, T, first_approvals={"K4": d("2026-12-01")})  # R3, even dated after T
    assert (verdict.evidence, verdict.details["lingering"]) == (["A1", "A3"], ["A1", "A3"])
    assert statuses(requests, F, T, replace(DEFAULTS, lingering_days=59), {"K4": d("2026-12-01")}).evidence == [
        "A1", "A2", "A3"]
    # Without R3 information A4 lingers too (more than statuses_max 2: a shortcoming).
    assert statuses(requests, F, T).contract() == {"verdict": "shortcoming", "category": "further",
                                                   "evidence": ["A1", "A3", "A4"]}


def test_statuses_max_exactly_and_one_more():
    two = [req("A1", "2026-05-20", "geannuleerd door opvang", "2026-07-01"),
           req("A10", "2026-01-01", "in behandeling", "2026-01-02", "2026-01-02")]
    assert statuses(frame(*two), F, T).contract() == {"verdict": "in_order", "category": "further",
                                                      "evidence": ["A1", "A10"]}
    three = frame(*two, req("A2", "2026-05-20", "geannuleerd door opvang", "2026-07-01"))
    assert statuses(three, F, T).contract() == {"verdict": "shortcoming", "category": "further",
                                                "evidence": ["A1", "A10", "A2"]}  # sorted as strings
    assert statuses(three, F, T, replace(DEFAULTS, statuses_max=3)).verdict == IN_ORDER
    assert statuses(frame(*two), F, T, replace(DEFAULTS, statuses_max=1)).verdict == SHORTCOMING
    assert statuses(frame(), F, T).contract() == {"verdict": "in_order", "category": "further", "evidence": []}


# --- vacancies ----------------------------------------------------------------------------------------------------

def place(vanaf, gemeld_op, tot=None, provider="P1", **more):
    return Vacancy(provider_id=provider, vanaf=d(vanaf), dagen=("ma",), plaatsen=1, gemeld_op=d(gemeld_op),
                   tot=d(tot) if tot else None, **more)


def approval(id, day, desired=None, provider="P1"):
    return req(id, "2026-05-01", "goedgekeurd", day, day, provider=provider, desired=desired)


def test_an_approval_is_covered_within_the_window_around_its_start():
    # Approval 01/07/2026 wanting to start 01/09/2026: the window is 02/08 .. 01/10 (30 days).
    one = frame(approval("A1", "2026-07-01", "2026-09-01"))

    def judge(*places, settings=DEFAULTS):
        return vacancies(one, list(places), F, T, settings).details["uncovered"]

    assert judge() == 1
    assert judge(place("2026-10-01", "2026-07-01")) == 0  # vanaf = start + 30, reported on the approval day
    assert judge(place("2026-10-02", "2026-07-01")) == 1  # vanaf = start + 31
    assert judge(place("2026-10-01", "2026-07-02")) == 1  # reported the day after the approval
    assert judge(place("2026-01-01", "2026-01-01", tot="2026-08-02")) == 0  # tot = start - 30
    assert judge(place("2026-01-01", "2026-01-01", tot="2026-08-01")) == 1  # tot = start - 31
    assert judge(place("2026-10-02", "2026-07-01"), settings=replace(DEFAULTS, vacancy_window_days=31)) == 0
    assert judge(place("2026-10-01", "2026-07-01"), settings=replace(DEFAULTS, vacancy_window_days=29)) == 1
    # Whatever its places, weekdays or closing; but another provider's place does not count.
    assert judge(place("2026-09-01", "2026-06-01", afgesloten_op=d("2026-06-02"), reden="ingetrokken")) == 0
    assert judge(place("2026-09-01", "2026-06-01", provider="P2")) == 1


def test_without_a_desired_start_the_approval_date_is_the_start():
    one = frame(approval("A1", "2026-07-01"))
    assert vacancies(one, [place("2026-07-31", "2026-07-01")], F, T).evidence == []
    assert vacancies(one, [place("2026-08-01", "2026-07-01")], F, T).evidence == ["A1"]


def test_vacancies_counts_the_approvals_in_the_period_against_unreported_max():
    requests = frame(approval("A1", "2026-06-01"), approval("A2", "2026-11-01"), approval("A3", "2026-07-01"),
                     approval("A0", "2026-05-31"), approval("A9", "2026-11-02"),
                     req("A8", "2026-05-01", "in behandeling", "2026-07-01", "2026-07-01"))
    verdict = vacancies(requests, [], F, T)
    assert verdict.contract() == {"verdict": "shortcoming", "category": "further", "evidence": ["A1", "A2", "A3"]}
    assert {k: verdict.details[k] for k in ("approvals", "uncovered")} == {"approvals": 3, "uncovered": 3}
    assert verdict.details["uncovered_requests"] == [  # no desired start: the approval date is the start
        {"id": "A1", "approved_on": date(2026, 6, 1), "start": date(2026, 6, 1)},
        {"id": "A2", "approved_on": date(2026, 11, 1), "start": date(2026, 11, 1)},
        {"id": "A3", "approved_on": date(2026, 7, 1), "start": date(2026, 7, 1)},
    ]
    assert vacancies(requests, [], F, T, replace(DEFAULTS, unreported_max=3)).contract() == {
        "verdict": "in_order", "category": "further", "evidence": ["A1", "A2", "A3"]}
    # Reported 02/06 (after A1's approval), ending 15/07 (more than 30 days before A2's start): covers A3 only.
    covered = vacancies(requests, [place("2026-07-01", "2026-06-02", tot="2026-07-15")], F, T)
    assert (covered.verdict, covered.evidence) == (IN_ORDER, ["A1", "A2"])


# --- agreement and advice -----------------------------------------------------------------------------------------

def test_agreement_signed_on_or_before_T():
    assert agreement([d("2026-11-01")], F, T).contract() == {"verdict": "in_order", "category": "further",
                                                             "evidence": []}
    assert agreement([d("2020-01-01")], F, T).verdict == IN_ORDER  # long before F still counts
    assert agreement([d("2026-11-02")], F, T).verdict == SHORTCOMING
    assert agreement([], F, T).contract() == {"verdict": "shortcoming", "category": "further", "evidence": []}


def test_advice_from_minimum_and_further_shortcomings():
    def v(obligation, verdict):
        return Verdict(obligation, verdict)

    in_order = {o: v(o, IN_ORDER) for o in rules.OBLIGATIONS}
    assert advice(in_order) == (False, False)
    assert advice({**in_order, "infopagina": v("infopagina", UNKNOWN), "plus_share": v("plus_share", NOT_APPLICABLE),
                   "statuses": v("statuses", UNKNOWN)}) == (False, False)
    for minimum in ("answering", "infopagina", "local_policy", "plus_share"):
        assert advice({**in_order, minimum: v(minimum, SHORTCOMING)}) == (True, False)
    for further in ("statuses", "vacancies", "agreement"):
        assert advice({**in_order, further: v(further, SHORTCOMING)}) == (False, True)
    assert advice([v("answering", SHORTCOMING), v("agreement", SHORTCOMING)]) == (True, True)


def test_the_contract_entry_has_exactly_the_contract_keys():
    entry = rules.contract_entry({o: Verdict(o, IN_ORDER) for o in rules.OBLIGATIONS})
    assert list(entry) == ["answering", "infopagina", "local_policy", "plus_share", "statuses", "vacancies",
                           "agreement", "negative_advice", "zero_score"]
    assert {o: sorted(entry[o]) for o in rules.OBLIGATIONS} == {
        o: sorted(["verdict", "category", "evidence", *(["share"] if o in ("answering", "plus_share") else [])])
        for o in rules.OBLIGATIONS}
    assert {o: entry[o]["category"] for o in rules.OBLIGATIONS} == {
        "answering": "minimum", "infopagina": "minimum", "local_policy": "minimum", "plus_share": "minimum",
        "statuses": "further", "vacancies": "further", "agreement": "further"}
    with pytest.raises(ValueError):
        Verdict("answering", "fine")


def test_a_frame_prepared_once_gives_the_verdicts_of_a_raw_one():
    # The page and the CLI classify the town's requests once (rules.prepared) and judge each provider on a slice.
    raw = frame(req("A1", "2026-05-18", "opvangplan niet mogelijk", "2026-06-01", "2026-06-01"),
                req("A2", "2026-10-18", "nieuw", "2026-10-18"),
                req("A3", "2026-07-01", "geannuleerd door opvang", "2026-07-20"),
                req("A4", "2026-03-01", "in behandeling", "2026-03-10", "2026-03-10"))
    ready = rules.prepared(raw, T, DEFAULTS)
    for judge in (lambda f: answering(f, F, T), lambda f: rules.statuses(f, F, T)):
        assert judge(ready) == judge(raw)
    assert rules.statuses(ready, F, T).evidence == ["A3", "A4"]  # a direct cancellation, a lingering request
    other = replace(DEFAULTS, deadline_days=30)  # prepared for other settings: classified anew, not reused
    assert answering(ready, F, T, other) == answering(raw, F, T, other)
