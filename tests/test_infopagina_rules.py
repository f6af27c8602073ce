"""R6 (llko/infopagina/rules.py): the five items, which loket check counts on a day, since when an item is missing,
the provider's declarations awaiting confirmation and the reminder. Expected values worked out by hand."""

from datetime import date

import pytest

from llko.infopagina import rules
from llko.infopagina.rules import Check

D = date
ALL = dict.fromkeys(rules.ITEMS, True)


def check(datum, bron="loket", lacking=(), provider="P1", door="") -> Check:
    """A check on `datum` that found every item except those in `lacking`."""
    return Check(provider_id=provider, datum=datum, bron=bron, present={**ALL, **dict.fromkeys(lacking, False)},
                 door=door)


def test_the_five_items_in_r6s_order_with_dutch_labels():
    assert rules.ITEMS == ("openingsuren", "openingsdagen", "contact", "foto_logo", "tarief")
    assert tuple(rules.ITEM_LABELS) == rules.ITEMS
    assert rules.ITEM_LABELS["foto_logo"] == "foto of logo"
    assert rules.ITEM_LABELS["tarief"] == "tarief (inkomensgerelateerd of vaste prijs per dag)"
    assert rules.ITEM_LABELS["contact"] == "contactgegevens"


# --- one check ----------------------------------------------------------------------------------------------------

def test_complete_when_all_five_are_present():
    assert rules.is_complete(check(D(2026, 1, 1)))
    assert rules.missing(check(D(2026, 1, 1))) == []


@pytest.mark.parametrize("item", rules.ITEMS)
def test_one_item_missing_is_incomplete(item):
    assert not rules.is_complete(check(D(2026, 1, 1), lacking=[item]))
    assert rules.missing(check(D(2026, 1, 1), lacking=[item])) == [item]


def test_missing_items_come_in_r6s_order():
    assert rules.missing(check(D(2026, 1, 1), lacking=["tarief", "openingsuren", "foto_logo"])) == [
        "openingsuren", "foto_logo", "tarief"]


def test_a_check_says_yes_or_no_for_exactly_the_five_items():
    with pytest.raises(ValueError):
        Check("P1", D(2026, 1, 1), "loket", {"openingsuren": True})
    with pytest.raises(ValueError):
        Check("P1", D(2026, 1, 1), "loket", {**ALL, "website": True})


def test_a_check_comes_from_the_loket_or_the_provider():
    with pytest.raises(ValueError):
        Check("P1", D(2026, 1, 1), "ouder", ALL)
    assert check(D(2026, 1, 1), bron="opvang", door="Els").door == "Els"


# --- the latest loket check ---------------------------------------------------------------------------------------

CHECKS = [check(D(2026, 1, 10)), check(D(2026, 6, 1), lacking=["tarief"]), check(D(2026, 7, 1), bron="opvang")]


@pytest.mark.parametrize("day, expected", [
    (D(2026, 1, 9), None),  # the day before the first check
    (D(2026, 1, 10), D(2026, 1, 10)),  # the check's own day counts
    (D(2026, 5, 31), D(2026, 1, 10)),  # the day before the second
    (D(2026, 6, 1), D(2026, 6, 1)),
    (D(2026, 12, 31), D(2026, 6, 1)),  # the provider's declaration of 01/07 is no loket check
])
def test_latest_loket_check_dated_on_or_before_the_day(day, expected):
    found = rules.latest_loket(CHECKS, day)
    assert (found and found.datum) == expected
    assert found is None or found.bron == "loket"


def test_latest_loket_whatever_the_order_of_the_checks():
    assert rules.latest_loket(list(reversed(CHECKS)), D(2026, 12, 31)).datum == D(2026, 6, 1)


def test_only_declarations_means_no_loket_check():
    assert rules.latest_loket([check(D(2026, 1, 1), bron="opvang")], D(2026, 12, 31)) is None
    assert rules.latest_loket([], D(2026, 12, 31)) is None


# --- missing since ------------------------------------------------------------------------------------------------

RUNS = [  # tarief: missing, missing, present, missing, missing at the loket; the provider says present in between
    check(D(2026, 1, 10), lacking=["tarief"]),
    check(D(2026, 3, 10), lacking=["tarief", "contact"]),
    check(D(2026, 5, 10)),
    check(D(2026, 7, 10), lacking=["tarief"]),
    check(D(2026, 8, 1), bron="opvang"),
    check(D(2026, 9, 10), lacking=["tarief"]),
]


@pytest.mark.parametrize("day, since", [
    (D(2026, 1, 9), None),  # no loket check yet
    (D(2026, 1, 10), D(2026, 1, 10)),  # first check of the first run
    (D(2026, 4, 1), D(2026, 1, 10)),  # the run continues on 10/03
    (D(2026, 5, 9), D(2026, 1, 10)),  # the day before it was found present
    (D(2026, 5, 10), None),  # present at the latest loket check
    (D(2026, 7, 9), None),
    (D(2026, 7, 10), D(2026, 7, 10)),  # a new run starts: the old one does not count
    (D(2026, 12, 31), D(2026, 7, 10)),  # the declaration of 01/08 does not break the run
])
def test_missing_since_the_first_loket_check_of_the_current_run(day, since):
    assert rules.missing_since(RUNS, "tarief", day) == since


def test_missing_since_of_an_item_missing_once():
    assert rules.missing_since(RUNS, "contact", D(2026, 3, 10)) == D(2026, 3, 10)
    assert rules.missing_since(RUNS, "contact", D(2026, 12, 31)) is None


def test_missing_since_whatever_the_order_of_the_checks():
    assert rules.missing_since(list(reversed(RUNS)), "tarief", D(2026, 12, 31)) == D(2026, 7, 10)


# --- te bevestigen ------------------------------------------------------------------------------------------------

def test_a_declaration_after_the_latest_loket_check_is_to_confirm():
    checks = [check(D(2026, 3, 10), lacking=["tarief"]), check(D(2026, 3, 11), bron="opvang")]
    assert rules.to_confirm(checks, D(2026, 3, 11)).datum == D(2026, 3, 11)
    assert rules.to_confirm(checks, D(2026, 3, 10)) is None  # the declaration is dated after the day


def test_a_declaration_on_the_day_of_a_loket_check_is_not_to_confirm():
    """A confirmation records a loket check on the day it was confirmed: a declaration of that day is seen."""
    checks = [check(D(2026, 3, 10), bron="opvang"), check(D(2026, 3, 10))]
    assert rules.to_confirm(checks, D(2026, 12, 31)) is None


def test_a_declaration_before_the_latest_loket_check_is_not_to_confirm():
    checks = [check(D(2026, 3, 9), bron="opvang"), check(D(2026, 3, 10), lacking=["contact"])]
    assert rules.to_confirm(checks, D(2026, 12, 31)) is None


def test_the_latest_of_several_declarations_is_to_confirm():
    checks = [check(D(2026, 3, 10)), check(D(2026, 4, 1), bron="opvang", door="a"),
              check(D(2026, 5, 1), bron="opvang", door="b"), check(D(2026, 4, 15), bron="opvang", door="c")]
    assert rules.to_confirm(checks, D(2026, 12, 31)).door == "b"
    assert rules.to_confirm(checks, D(2026, 4, 30)).door == "c"


def test_without_a_loket_check_any_declaration_is_to_confirm():
    assert rules.to_confirm([check(D(2026, 2, 1), bron="opvang")], D(2026, 2, 1)).datum == D(2026, 2, 1)
    assert rules.to_confirm([], D(2026, 2, 1)) is None


# --- the reminder -------------------------------------------------------------------------------------------------

def test_the_reminder_lists_exactly_the_missing_items_signed_by_the_loket():
    assert rules.reminder("De Speelvogel", ["tarief", "foto_logo"], "Ninove") == (
        "Beste De Speelvogel,\n\n"
        "Bij onze laatste controle van uw infopagina op Opvang.Vlaanderen ontbrak nog:\n"
        "- foto of logo\n"
        "- tarief (inkomensgerelateerd of vaste prijs per dag)\n\n"
        "Volgens de samenwerkingsovereenkomst met het Lokaal Loket Kinderopvang staat die informatie minimaal op "
        "de infopagina, zodat ouders goed geïnformeerd een opvang kunnen kiezen. Wilt u deze gegevens aanvullen? "
        "Laat het ons gerust weten wanneer dat gebeurd is, dan kijken we uw pagina opnieuw na.\n\n"
        "Alvast bedankt.\n\n"
        "Met vriendelijke groeten,\n"
        "Lokaal Loket Kinderopvang Ninove")


def test_a_reminder_for_one_item_names_no_other():
    text = rules.reminder("Kribbe", ["contact"], "Aalst")
    assert "- contactgegevens\n" in text and "Wilt u dit gegeven aanvullen?" in text
    for other in ("openingsuren", "openingsdagen", "foto of logo", "tarief"):
        assert other not in text
    assert text.endswith("\nLokaal Loket Kinderopvang Aalst")


def test_a_reminder_for_all_five_in_r6s_order():
    text = rules.reminder("X", list(reversed(rules.ITEMS)), "Ninove")
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert lines == ["- openingsuren", "- openingsdagen", "- contactgegevens", "- foto of logo",
                     "- tarief (inkomensgerelateerd of vaste prijs per dag)"]


def test_no_reminder_without_missing_items_or_with_unknown_ones():
    with pytest.raises(ValueError):
        rules.reminder("X", [], "Ninove")
    with pytest.raises(ValueError):
        rules.reminder("X", ["website"], "Ninove")


# --- one provider's state -----------------------------------------------------------------------------------------

def test_state_without_checks_is_unknown():
    s = rules.state([], D(2026, 12, 31))
    assert (s.latest, s.missing_since, s.missing, s.to_confirm, s.complete) == (None, {}, [], None, None)


def test_state_with_only_a_declaration_is_unknown_and_to_confirm():
    declared = check(D(2026, 2, 1), bron="opvang")
    s = rules.state([declared], D(2026, 12, 31))
    assert (s.latest, s.complete, s.to_confirm) == (None, None, declared)


def test_state_complete_at_the_latest_loket_check():
    s = rules.state(RUNS, D(2026, 6, 30))
    assert (s.latest.datum, s.complete, s.missing_since, s.to_confirm) == (D(2026, 5, 10), True, {}, None)


def test_state_incomplete_with_since_dates_and_a_declaration_to_confirm():
    """tarief missing since the run that began 10/07; openingsuren newly missing on 01/10; a declaration of 05/10."""
    checks = RUNS + [check(D(2026, 10, 1), lacking=["openingsuren", "tarief"]), check(D(2026, 10, 5), bron="opvang")]
    s = rules.state(checks, D(2026, 10, 31))
    assert s.latest.datum == D(2026, 10, 1)
    assert s.complete is False
    assert list(s.missing_since.items()) == [("openingsuren", D(2026, 10, 1)), ("tarief", D(2026, 7, 10))]
    assert s.missing == ["openingsuren", "tarief"]
    assert s.to_confirm.datum == D(2026, 10, 5)


def test_state_ignores_checks_after_the_day():
    s = rules.state(RUNS, D(2026, 3, 9))
    assert (s.latest.datum, s.missing_since, s.to_confirm) == (D(2026, 1, 10), {"tarief": D(2026, 1, 10)}, None)


def test_state_takes_one_providers_checks():
    with pytest.raises(ValueError):
        rules.state([check(D(2026, 1, 1)), check(D(2026, 1, 1), provider="P2")], D(2026, 12, 31))


def test_states_per_provider_from_the_checks_of_all():
    """P1 lacks tarief since 01/03; P2 is complete; P3 was never checked; P9's check is not asked for."""
    checks = [check(date(2026, 3, 1), lacking=("tarief",)), check(date(2026, 4, 1), provider="P2"),
              check(date(2026, 5, 1), lacking=("contact",), provider="P9")]
    found = rules.states(checks, date(2026, 6, 1), ["P1", "P2", "P3"])
    assert list(found) == ["P1", "P2", "P3"]
    assert found["P1"].missing_since == {"tarief": date(2026, 3, 1)} and found["P1"].complete is False
    assert found["P2"].complete is True
    assert found["P3"].latest is None and found["P3"].complete is None


def test_a_check_is_too_old_the_day_after_it_is_max_age_days_old():
    found = rules.state([check(date(2026, 1, 1))], date(2026, 2, 1))  # 31 days before 01/02
    assert rules.standing(found, date(2026, 2, 1), 31) == "volledig"
    assert rules.standing(found, date(2026, 2, 1), 30) == "controle te oud"
    incomplete = rules.state([check(date(2026, 1, 1), lacking=("tarief",))], date(2026, 1, 2))
    assert rules.standing(incomplete, date(2026, 1, 2), 365) == "onvolledig"
    assert rules.standing(rules.state([], date(2026, 1, 2)), date(2026, 1, 2), 365) == "nooit gecontroleerd"
