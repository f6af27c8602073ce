"""R7 and the vacancy form (llko/vacancies/rules.py) as plain unit tests: every edge of R7's day rule, the stale
flag and each form check, with 'today' passed in and the expected values written out by hand."""

from datetime import date

import pytest

from llko.vacancies import rules
from llko.vacancies.rules import Vacancy

D = date


def vacancy(**changes) -> Vacancy:
    """A place from 01/03/2026, reported that day, open-ended, unless changed."""
    values = dict(provider_id="P1", vanaf=D(2026, 3, 1), dagen=("ma", "di"), plaatsen=1, gemeld_op=D(2026, 3, 1))
    return Vacancy(**{**values, **changes})


def form(**changes) -> dict:
    """A form that is fine, unless changed."""
    values = dict(vanaf=D(2026, 3, 1), tot=None, dagen=["ma", "di"], dagdeel="dag", plaatsen=1, leeftijd="alle",
                  soort="vast", afgesloten_op=None, reden=None, opmerking="")
    return {**values, **changes}


TODAY = D(2026, 3, 10)


# --- R7: active on day T ------------------------------------------------------------------------------------------

def test_the_constants_hold_r7s_values_in_order():
    assert rules.WEEKDAYS == ("ma", "di", "wo", "do", "vr", "za", "zo")
    assert rules.DAY_PARTS == ("dag", "voormiddag", "namiddag")
    assert rules.AGE_GROUPS == ("baby", "peuter", "alle")
    assert rules.KINDS == ("vast", "tijdelijk", "deeltijds", "occasioneel")
    assert rules.CLOSE_REASONS == ("ingevuld", "ingetrokken")
    assert rules.AGE_LABELS["baby"] == "baby (< 18 maanden)"
    for values, labels in ((rules.WEEKDAYS, rules.WEEKDAY_LABELS), (rules.DAY_PARTS, rules.DAY_PART_LABELS),
                           (rules.AGE_GROUPS, rules.AGE_LABELS), (rules.KINDS, rules.KIND_LABELS),
                           (rules.CLOSE_REASONS, rules.CLOSE_REASON_LABELS)):
        assert tuple(labels) == values


def test_the_defaults_of_a_vacancy():
    v = vacancy()
    assert (v.tot, v.dagdeel, v.leeftijd, v.soort, v.bevestigd_op, v.afgesloten_op, v.reden, v.opmerking, v.id) == \
        (None, "dag", "alle", "vast", None, None, None, "", None)


@pytest.mark.parametrize("day, active", [(D(2026, 2, 28), False), (D(2026, 3, 1), True)])
def test_active_from_vanaf_itself_not_the_day_before(day, active):
    assert rules.is_active(vacancy(), day) is active


@pytest.mark.parametrize("day, active", [(D(2026, 3, 31), True), (D(2026, 4, 1), False)])
def test_active_on_tot_itself_not_the_day_after(day, active):
    assert rules.is_active(vacancy(tot=D(2026, 3, 31)), day) is active


@pytest.mark.parametrize("day, active", [(D(2026, 3, 14), True), (D(2026, 3, 15), False)])
def test_active_until_the_day_before_afgesloten_op_not_on_it(day, active):
    assert rules.is_active(vacancy(afgesloten_op=D(2026, 3, 15), reden="ingevuld"), day) is active


def test_a_one_day_place_is_active_on_that_day_only():
    v = vacancy(vanaf=D(2026, 3, 4), tot=D(2026, 3, 4))
    assert [rules.is_active(v, D(2026, 3, d)) for d in (3, 4, 5)] == [False, True, False]


def test_closed_on_vanaf_is_never_active():
    v = vacancy(afgesloten_op=D(2026, 3, 1), reden="ingetrokken")
    assert not rules.is_active(v, D(2026, 3, 1))


def test_gemeld_op_does_not_matter_a_place_reported_later_was_free_before():
    v = vacancy(vanaf=D(2026, 3, 1), gemeld_op=D(2026, 3, 20))
    assert rules.is_active(v, D(2026, 3, 5))


def test_open_ended_place_stays_active_years_later():
    assert rules.is_active(vacancy(), D(2030, 1, 1))


@pytest.mark.parametrize("changes, day, current", [
    (dict(vanaf=D(2026, 6, 1)), D(2026, 3, 1), True),  # still to come: not active, but current
    (dict(tot=D(2026, 3, 31)), D(2026, 3, 31), True),  # tot itself
    (dict(tot=D(2026, 3, 31)), D(2026, 4, 1), False),  # the day after tot
    (dict(afgesloten_op=D(2026, 3, 15), reden="ingevuld"), D(2026, 3, 14), True),
    (dict(afgesloten_op=D(2026, 3, 15), reden="ingevuld"), D(2026, 3, 15), False),  # closed that day
])
def test_current_means_active_or_still_to_come(changes, day, current):
    assert rules.is_current(vacancy(**changes), day) is current


# --- confirmation and the stale flag ------------------------------------------------------------------------------

def test_last_confirmed_is_gemeld_op_until_a_confirmation():
    assert rules.last_confirmed(vacancy(gemeld_op=D(2026, 3, 2))) == D(2026, 3, 2)
    assert rules.last_confirmed(vacancy(gemeld_op=D(2026, 3, 2), bevestigd_op=D(2026, 4, 9))) == D(2026, 4, 9)


@pytest.mark.parametrize("day, stale", [
    (D(2026, 3, 29), False),  # 28 days after gemeld_op 01/03: exactly the limit, not stale
    (D(2026, 3, 30), True),  # 29 days: stale
])
def test_stale_after_strictly_more_than_stale_days_since_gemeld_op(day, stale):
    assert rules.is_stale(vacancy(), day, 28) is stale


@pytest.mark.parametrize("day, stale", [
    (D(2026, 4, 7), False),  # 28 days after the confirmation of 10/03
    (D(2026, 4, 8), True),  # 29 days
])
def test_stale_counts_from_the_last_confirmation(day, stale):
    assert rules.is_stale(vacancy(bevestigd_op=D(2026, 3, 10)), day, 28) is stale


def test_a_place_that_is_not_active_is_never_stale():
    closed = vacancy(afgesloten_op=D(2026, 5, 1), reden="ingevuld")
    assert not rules.is_stale(closed, D(2026, 6, 1), 28)  # 92 days unconfirmed, but closed
    ended = vacancy(tot=D(2026, 5, 1))
    assert not rules.is_stale(ended, D(2026, 5, 2), 28)
    to_come = vacancy(vanaf=D(2026, 9, 1), gemeld_op=D(2026, 3, 1))
    assert not rules.is_stale(to_come, D(2026, 8, 31), 28)  # reported long ago, not free yet
    assert rules.is_stale(to_come, D(2026, 9, 1), 28)  # free from today, unconfirmed for 184 days


def test_stale_days_is_a_parameter():
    assert not rules.is_stale(vacancy(), D(2026, 3, 8), 7)  # 7 days
    assert rules.is_stale(vacancy(), D(2026, 3, 9), 7)  # 8 days


# --- the form -----------------------------------------------------------------------------------------------------

def test_a_good_form_has_no_problems():
    assert rules.problems(form(), TODAY, new=True) == {}
    assert rules.problems(form(), TODAY, new=False) == {}


def test_a_full_form_as_text_has_no_problems():
    fields = dict(vanaf="01/03/2026", tot="2026-06-30", dagen="Ma, di ,WO", dagdeel="Voormiddag", plaatsen="2",
                  leeftijd="baby", soort="Tijdelijk", afgesloten_op="15/06/2026", reden="ingevuld", opmerking="ok")
    assert rules.problems(fields, TODAY, new=True) == {}


@pytest.mark.parametrize("value", [None, "", "   "])
def test_vanaf_is_required(value):
    assert rules.problems(form(vanaf=value), TODAY, new=True) == {
        "vanaf": "Vul in vanaf wanneer de plaats vrij is ('vanaf')."}


def test_a_missing_vanaf_key_counts_as_blank():
    fields = form()
    del fields["vanaf"]
    assert set(rules.problems(fields, TODAY, new=True)) == {"vanaf"}


@pytest.mark.parametrize("key, label", [("vanaf", "Vanaf"), ("tot", "Tot"), ("afgesloten_op", "Afgesloten op")])
@pytest.mark.parametrize("value", ["31/02/2026", "morgen", "2026/03/01"])
def test_a_date_that_is_no_date(key, label, value):
    extra = {"reden": "ingevuld"} if key == "afgesloten_op" else {}
    assert rules.problems(form(**{key: value}, **extra), TODAY, new=False) == {
        key: f"'{label}' is geen geldige datum: schrijf dd/mm/jjjj."}


def test_tot_on_vanaf_is_fine_the_day_before_is_refused():
    assert rules.problems(form(vanaf=D(2026, 3, 20), tot=D(2026, 3, 20)), TODAY, new=True) == {}
    assert rules.problems(form(vanaf=D(2026, 3, 20), tot=D(2026, 3, 19)), TODAY, new=True) == {
        "tot": "'Tot' ligt vóór 'vanaf' (19/03/2026 < 20/03/2026): een vrije plaats eindigt niet voor ze begint."}


def test_a_new_place_may_end_today_not_yesterday():
    assert rules.problems(form(tot=D(2026, 3, 10)), TODAY, new=True) == {}
    assert rules.problems(form(tot=D(2026, 3, 9)), TODAY, new=True) == {
        "tot": "Een vrije plaats die al voorbij is, kan niet meer gemeld worden: 'tot' (09/03/2026) ligt vóór "
               "vandaag (10/03/2026)."}


def test_an_edited_place_may_be_over_already():
    assert rules.problems(form(tot=D(2026, 3, 9)), TODAY, new=False) == {}


def test_tot_before_vanaf_and_in_the_past_gets_the_vanaf_message_only():
    problems = rules.problems(form(vanaf=D(2026, 3, 5), tot=D(2026, 3, 4)), TODAY, new=True)
    assert list(problems) == ["tot"]
    assert problems["tot"].startswith("'Tot' ligt vóór 'vanaf'")


def test_a_vanaf_in_the_past_is_fine_for_a_new_place():
    assert rules.problems(form(vanaf=D(2025, 1, 1)), TODAY, new=True) == {}


@pytest.mark.parametrize("value", [[], (), "", None, " , "])
def test_at_least_one_weekday(value):
    assert rules.problems(form(dagen=value), TODAY, new=True) == {"dagen": "Kies minstens één weekdag."}


@pytest.mark.parametrize("value, unknown", [(["ma", "maandag"], "maandag"), ("ma,xx", "xx"), (["mon"], "mon")])
def test_every_weekday_known(value, unknown):
    assert rules.problems(form(dagen=value), TODAY, new=True) == {
        "dagen": f"Onbekende weekdag '{unknown}': kies uit ma, di, wo, do, vr, za, zo."}


@pytest.mark.parametrize("value", [("zo",), ["ma", "di", "wo", "do", "vr", "za", "zo"], "VR", "ma;di"])
def test_known_weekdays_in_any_spelling(value):
    assert rules.problems(form(dagen=value), TODAY, new=True) == {}


@pytest.mark.parametrize("value", [1, 2, 12, "1", " 3 ", 2.0])
def test_places_a_whole_number_of_at_least_one(value):
    assert rules.problems(form(plaatsen=value), TODAY, new=True) == {}


@pytest.mark.parametrize("value", [0, -1, "0", 1.5, "1.5", "1,5", "", None, "twee", True])
def test_places_zero_fractions_blank_and_text_are_refused(value):
    assert rules.problems(form(plaatsen=value), TODAY, new=True) == {
        "plaatsen": "'Plaatsen' moet een geheel getal zijn van minstens 1."}


@pytest.mark.parametrize("key, value, message", [
    ("dagdeel", "nacht", "Onbekende waarde voor 'Dagdeel': kies uit dag, voormiddag, namiddag."),
    ("leeftijd", "kleuter", "Onbekende waarde voor 'Leeftijd': kies uit baby, peuter, alle."),
    ("soort", "permanent", "Onbekende waarde voor 'Soort': kies uit vast, tijdelijk, deeltijds, occasioneel."),
])
def test_choices_outside_the_allowed_values(key, value, message):
    assert rules.problems(form(**{key: value}), TODAY, new=True) == {key: message}


@pytest.mark.parametrize("key", ["dagdeel", "leeftijd", "soort"])
@pytest.mark.parametrize("value", [None, ""])
def test_a_blank_choice_takes_its_default(key, value):
    assert rules.problems(form(**{key: value}), TODAY, new=True) == {}


@pytest.mark.parametrize("key, values", [("dagdeel", rules.DAY_PARTS), ("leeftijd", rules.AGE_GROUPS),
                                         ("soort", rules.KINDS)])
def test_every_allowed_choice_passes(key, values):
    for value in values:
        assert rules.problems(form(**{key: value}), TODAY, new=True) == {}


@pytest.mark.parametrize("reden", ["ingevuld", "ingetrokken", "Ingevuld "])
def test_closed_with_a_reason_is_fine(reden):
    assert rules.problems(form(afgesloten_op=D(2026, 3, 9), reden=reden), TODAY, new=False) == {}


@pytest.mark.parametrize("reden", [None, "", "  "])
def test_closed_without_a_reason_is_refused(reden):
    assert rules.problems(form(afgesloten_op=D(2026, 3, 9), reden=reden), TODAY, new=False) == {
        "reden": "Geef een reden bij 'afgesloten op': ingevuld of ingetrokken."}


def test_a_reason_without_afgesloten_op_is_refused():
    assert rules.problems(form(reden="ingevuld"), TODAY, new=False) == {
        "reden": "Een reden hoort alleen bij een afgesloten plaats: vul ook 'afgesloten op' in."}


def test_an_unknown_reason_is_refused():
    assert rules.problems(form(afgesloten_op=D(2026, 3, 9), reden="verhuisd"), TODAY, new=False) == {
        "reden": "Onbekende reden: kies uit ingevuld, ingetrokken."}


def test_a_remark_of_500_characters_fits_501_does_not():
    assert rules.problems(form(opmerking="x" * 500), TODAY, new=True) == {}
    assert rules.problems(form(opmerking="x" * 501), TODAY, new=True) == {
        "opmerking": "De opmerking is te lang: hoogstens 500 tekens."}


def test_every_bad_field_gets_its_own_message():
    fields = dict(vanaf="", dagen=["xx"], plaatsen=0, dagdeel="nacht", leeftijd="?", soort="?", reden="ingevuld")
    assert set(rules.problems(fields, TODAY, new=True)) == {
        "vanaf", "dagen", "plaatsen", "dagdeel", "leeftijd", "soort", "reden"}


def test_clean_gives_the_registers_values():
    fields = dict(vanaf="01/03/2026", tot="2026-06-30", dagen="vr, Ma,di,ma", dagdeel="", plaatsen="2",
                  leeftijd="Peuter", soort=None, afgesloten_op="15/06/2026", reden=" Ingevuld", opmerking="  zie mail ")
    assert rules.clean(fields) == {
        "vanaf": D(2026, 3, 1), "tot": D(2026, 6, 30), "afgesloten_op": D(2026, 6, 15),
        "dagen": ("ma", "di", "vr"), "dagdeel": "dag", "plaatsen": 2, "leeftijd": "peuter", "soort": "vast",
        "reden": "ingevuld", "opmerking": "zie mail",
    }


def test_clean_of_a_minimal_form():
    assert rules.clean(dict(vanaf=D(2026, 3, 1), dagen=["wo"], plaatsen=1)) == {
        "vanaf": D(2026, 3, 1), "tot": None, "afgesloten_op": None, "dagen": ("wo",), "dagdeel": "dag",
        "plaatsen": 1, "leeftijd": "alle", "soort": "vast", "reden": None, "opmerking": "",
    }
