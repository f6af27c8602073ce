"""The demo town tells a compliance story (R11, issue 16): most providers in order, and one provider per kind of
shortcoming, each found by the name its demo module gives it (llko.demo, llko.registers.demo), never by an id."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from conftest import DEMO_TODAY
from llko import demo
from llko.compliance import queries, rounds
from llko.compliance.rules import IN_ORDER, NOT_APPLICABLE, OBLIGATIONS, SHORTCOMING, UNKNOWN, VERDICTS, advice
from llko.db import make_engine
from llko.registers import demo as registers_demo
from llko.settings import DEFAULTS

FROM = DEMO_TODAY - timedelta(days=364)  # R11's default period
GAPS = next(iter(registers_demo.INFOPAGINA_GAPS))
UNSIGNED_ONLY = next(name for name in registers_demo.UNSIGNED if name != demo.LETS_LIE_PROVIDER)


@pytest.fixture(scope="module")
def town(demo_url):
    """(verdicts by provider name, provider ids by name) of the demo town over the default period."""
    engine = make_engine(demo_url)
    try:
        with engine.connect() as conn:
            ids = dict(conn.execute(text("SELECT name, id FROM providers")).all())
        found = queries.verdicts(engine, FROM, DEMO_TODAY)
    finally:
        engine.dispose()
    return {name: found[pid] for name, pid in ids.items()}, ids


def shortcomings(verdicts) -> set[str]:
    return {name for name, v in verdicts.items() if v.verdict == SHORTCOMING}


def test_the_named_parts_are_providers_of_the_demo_town():
    names = {name for name, _, _ in demo.PROVIDERS}
    named = {demo.MODEL_PROVIDER, demo.LATE_ANSWERER, demo.LETS_LIE_PROVIDER, demo.CANCELLER, demo.BELOW_PLUS_SHARE,
             demo.ALWAYS_FULL_PROVIDER, registers_demo.TRAP_3, *registers_demo.NEVER_REPORTS, *registers_demo.UNSIGNED,
             *registers_demo.INFOPAGINA_GAPS, *registers_demo.INFOPAGINA_OUTDATED, *registers_demo.INFOPAGINA_NEVER}
    assert named <= names
    assert registers_demo.TRAP_3 == demo.BELOW_PLUS_SHARE


def test_most_providers_are_in_order(town):
    verdicts, _ = town
    in_order = [name for name, v in verdicts.items() if not shortcomings(v)]
    assert 8 <= len(in_order) <= 10, sorted(in_order)
    assert demo.ALWAYS_FULL_PROVIDER in in_order  # no place is no fault, when it says so


def test_every_verdict_occurs(town):
    verdicts, _ = town
    seen = {v.verdict for per_provider in verdicts.values() for v in per_provider.values()}
    assert seen == set(VERDICTS) == {IN_ORDER, SHORTCOMING, UNKNOWN, NOT_APPLICABLE}


def test_each_kind_of_shortcoming_has_its_provider(town):
    verdicts, _ = town
    expected = {
        demo.LATE_ANSWERER: {"answering"},
        demo.LETS_LIE_PROVIDER: {"answering", "agreement", "statuses"},  # its files linger for months too
        demo.CANCELLER: {"statuses"},
        demo.BELOW_PLUS_SHARE: {"plus_share"},
        registers_demo.NEVER_REPORTS[0]: {"vacancies"},
        GAPS: {"infopagina"},
        UNSIGNED_ONLY: {"agreement"},
    }
    found = {name: shortcomings(v) for name, v in verdicts.items() if shortcomings(v)}
    assert found == expected


def test_the_model_provider_is_in_order_everywhere_with_many_requests_answered_fast(town):
    verdicts, _ = town
    model = verdicts[demo.MODEL_PROVIDER]
    assert {v.verdict for v in model.values()} <= {IN_ORDER, NOT_APPLICABLE}
    assert model["answering"].details["counted"] >= 100
    assert model["answering"].share >= 0.98
    assert model["statuses"].evidence == [] and model["vacancies"].evidence == []
    counted = {name: v["answering"].details["counted"] for name, v in verdicts.items()}
    assert counted[demo.MODEL_PROVIDER] == max(counted.values())


def test_the_chronic_late_answerer(town):
    verdicts, _ = town
    answering = verdicts[demo.LATE_ANSWERER]["answering"]
    assert answering.verdict == SHORTCOMING and answering.share < 0.75
    assert len(answering.evidence) >= 20


def test_the_provider_that_cancels_instead_of_saying_no_place(town):
    verdicts, _ = town
    details = verdicts[demo.CANCELLER]["statuses"].details
    assert len(details["direct_cancellations"]) > 2 * DEFAULTS.statuses_max  # (a) alone, several times over
    assert len(details["lingering"]) <= DEFAULTS.statuses_max


def test_lingering_requests_are_rare_where_providers_close_their_files(town):
    verdicts, _ = town
    for name, v in verdicts.items():
        if name not in (demo.CANCELLER, demo.LETS_LIE_PROVIDER):
            assert len(v["statuses"].details["lingering"]) <= 2, name
            assert v["statuses"].verdict == IN_ORDER, name


def test_the_provider_that_never_reports_a_free_place(demo_url, town):
    verdicts, ids = town
    name = registers_demo.NEVER_REPORTS[0]
    vacancies = verdicts[name]["vacancies"]
    assert vacancies.verdict == SHORTCOMING
    assert vacancies.details["uncovered"] == vacancies.details["approvals"] > DEFAULTS.unreported_max
    engine = make_engine(demo_url)
    try:
        with engine.connect() as conn:
            reported = conn.execute(text("SELECT COUNT(*) FROM vacancies WHERE provider_id = :p"),
                                    {"p": ids[name]}).scalar_one()
    finally:
        engine.dispose()
    assert reported == 0
    others = [v["vacancies"] for n, v in verdicts.items() if n != name]
    assert all(v.verdict == IN_ORDER for v in others)


def test_the_trap_3_provider_under_30_percent(town):
    verdicts, _ = town
    plus = verdicts[demo.BELOW_PLUS_SHARE]["plus_share"]
    assert plus.verdict == SHORTCOMING
    assert plus.details["children"] >= DEFAULTS.plus_min_children
    assert 0.1 <= plus.share < DEFAULTS.plus_min_share  # short, but not implausibly so
    others = {v["plus_share"].verdict for n, v in verdicts.items() if n != demo.BELOW_PLUS_SHARE}
    assert others == {NOT_APPLICABLE}


def test_infopagina_gaps_and_unknowns(town):
    verdicts, _ = town
    assert verdicts[GAPS]["infopagina"].evidence == list(registers_demo.INFOPAGINA_GAPS[GAPS])
    unknown = {name for name, v in verdicts.items() if v["infopagina"].verdict == UNKNOWN}
    assert unknown == {*registers_demo.INFOPAGINA_OUTDATED, *registers_demo.INFOPAGINA_NEVER}
    assert all(not shortcomings(verdicts[name]) for name in unknown)


def test_the_lok_and_the_advice(town):
    verdicts, _ = town
    assert {v["local_policy"].verdict for v in verdicts.values()} == {IN_ORDER}
    for name, v in verdicts.items():
        assert list(v) == list(OBLIGATIONS), name
    assert advice(verdicts[demo.LETS_LIE_PROVIDER]) == (True, True)  # negative advice and a 0-score
    assert advice(verdicts[demo.LATE_ANSWERER]) == (True, False)
    assert advice(verdicts[demo.CANCELLER]) == (False, True)
    assert advice(verdicts[demo.MODEL_PROVIDER]) == (False, False)


def test_the_follow_up_has_open_files_at_different_steps_contacts_and_an_override(demo_url):
    engine = make_engine(demo_url)
    try:
        with engine.connect() as conn:
            ids = dict(conn.execute(text("SELECT name, id FROM providers")).all())
        names = {pid: name for name, pid in ids.items()}
        files = queries.files(engine)
        contacts = queries.contacts(engine)
        expansion = rounds.by_name(engine, "Uitbreidingsronde 2027")  # open, over the last 365 days
        subsidy = rounds.by_name(engine, "Subsidie 2026")  # fixed, over 2025
        overrides = queries.overrides_of_round(engine, expansion.id)
    finally:
        engine.dispose()
    open_files = files[files["closed_on"].isna()]
    assert {names[p]: s for p, s in zip(open_files["provider_id"], open_files["step"])} == {
        demo.LETS_LIE_PROVIDER: "signal", demo.LATE_ANSWERER: "loket_talk", demo.BELOW_PLUS_SHARE: "noted"}
    closed = files[files["closed_on"].notna()]
    assert [names[p] for p in closed["provider_id"]] == list(registers_demo.NEVER_REPORTS)
    assert {names[p] for p in contacts["provider_id"]} == {demo.LETS_LIE_PROVIDER, demo.LATE_ANSWERER, demo.CANCELLER,
                                                           *registers_demo.NEVER_REPORTS}
    # the contacts name real evidence: the late answerer's mail lists five of its own late requests
    late_mail = contacts[contacts["provider_id"] == ids[demo.LATE_ANSWERER]].iloc[0]
    assert len(late_mail["request_ids"]) == 5
    assert {names[p]: list(o) for p, o in overrides.items()} == {UNSIGNED_ONLY: ["zero_score"]}
    assert (expansion.date_from, expansion.date_to, expansion.is_fixed) == (FROM, DEMO_TODAY, False)
    assert (subsidy.date_from, subsidy.date_to, subsidy.kind, subsidy.is_fixed) == (
        date(2025, 1, 1), date(2025, 12, 31), "subsidie", True)
