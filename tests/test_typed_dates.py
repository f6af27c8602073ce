"""Dates and numbers people type (issue 23, DESIGN.md "Dates people type"): checked in llko, never left to the
widget. A day outside what its field allows gets a Dutch message naming the field and the allowed range, and nothing
is written; it is never replaced by another day. Today is 02/11/2026 in these tests."""

from datetime import date

import pytest

from apptest import errors, page
from llko.clock import typed_day_problem, years_from
from llko.vacancies import rules as vacancy_rules

from test_vacancy_pages import PLACE, T, fill, town  # noqa: F401  (the small town, on SQLite and PostgreSQL)
from tests.helpers import count


# --- the rule, at its edges --------------------------------------------------------------------------------------

def test_a_day_may_be_today_or_up_to_ten_years_back_and_no_later():
    assert typed_day_problem("Datum", T, T) is None
    assert typed_day_problem("Datum", date(2016, 11, 2), T) is None
    assert typed_day_problem("Datum", date(2026, 11, 3), T) == "Datum: 03/11/2026 ligt in de toekomst."
    assert typed_day_problem("Datum", date(2016, 11, 1), T) == \
        "Datum: 01/11/2016 ligt meer dan 10 jaar terug; kies een dag vanaf 02/11/2016."
    assert typed_day_problem("Datum", date(2026, 12, 25), T, not_yet="leg ze vast nadat ze gebeurde") == \
        "Datum: 25/12/2026 ligt in de toekomst; leg ze vast nadat ze gebeurde."


def test_a_day_may_lie_as_many_years_ahead_as_its_field_allows():
    assert typed_day_problem(None, date(2028, 11, 2), T, ahead_years=2) is None
    assert typed_day_problem(None, date(2028, 11, 3), T, ahead_years=2) == \
        "03/11/2028 ligt meer dan 2 jaar in de toekomst; kies een dag tot en met 02/11/2028."


def test_ten_years_from_a_29th_of_february_is_the_28th():
    assert years_from(date(2028, 2, 29), -10) == date(2018, 2, 28)
    assert years_from(date(2028, 2, 29), 4) == date(2032, 2, 29)


@pytest.mark.parametrize("vanaf, message", [
    (date(2040, 3, 15), "15/03/2040 ligt meer dan 2 jaar in de toekomst; kies een dag tot en met 02/11/2028."),
    (date(1900, 1, 1), "01/01/1900 ligt meer dan 10 jaar terug; kies een dag vanaf 02/11/2016."),
])
def test_a_free_place_starts_at_most_two_years_ahead_and_ten_back(vanaf, message):
    assert vacancy_rules.problems({**PLACE, "vanaf": vanaf, "tot": None}, T, new=True) == {"vanaf": message}
    assert vacancy_rules.problems({**PLACE, "vanaf": date(2028, 11, 2), "tot": None}, T, new=True) == {}


@pytest.mark.parametrize("places, message", [
    (0, "'Plaatsen' moet een geheel getal zijn van minstens 1."),
    (101, "'Plaatsen' is hoogstens 100 per melding (101 is wellicht een tikfout)."),
])
def test_places_are_one_to_a_hundred(places, message):
    assert vacancy_rules.problems({**PLACE, "plaatsen": places}, T, new=True) == {"plaatsen": message}
    assert vacancy_rules.problems({**PLACE, "plaatsen": 100}, T, new=True) == {}


# --- typed on the pages: a Dutch refusal, nothing written ---------------------------------------------------------

@pytest.mark.parametrize("vanaf, message", [
    (date(2040, 3, 15), "Vrij vanaf: 15/03/2040 ligt meer dan 2 jaar in de toekomst; kies een dag tot en met "
                        "02/11/2028."),
    (date(1900, 1, 1), "Vrij vanaf: 01/01/1900 ligt meer dan 10 jaar terug; kies een dag vanaf 02/11/2016."),
])
def test_a_free_place_typed_to_start_far_away_is_refused_not_moved_to_today(town, vanaf, message):  # noqa: F811
    at = fill(page("views/mijn_vrije_plaatsen.py", "zon").run(), vanaf=vanaf, tot=None)
    assert errors(at) == [message]
    assert count(town, "vacancies") == 0


def test_zero_places_gets_a_dutch_message(town):  # noqa: F811
    at = page("views/mijn_vrije_plaatsen.py", "zon").run()
    next(n for n in at.number_input if n.label == "Aantal plaatsen").set_value(0)
    at = fill(at)
    assert errors(at) == ["Aantal plaatsen: 'Plaatsen' moet een geheel getal zijn van minstens 1."]
    assert count(town, "vacancies") == 0


def test_an_infopagina_check_dated_after_today_is_refused(town):  # noqa: F811
    at = page("views/infopagina.py", "coord").run()
    next(d for d in at.date_input if d.label == "Gecontroleerd op").set_value(date(2026, 12, 25))
    next(b for b in at.button if b.label == "Controle bewaren").click().run()
    assert errors(at) == ["Gecontroleerd op: 25/12/2026 ligt in de toekomst; leg een controle vast nadat ze gebeurde."]
    assert count(town, "infopagina_checks") == 0


def test_a_contact_dated_after_today_is_refused(town):  # noqa: F811
    at = page("views/dossier.py", "coord").run()
    next(d for d in at.date_input if d.label == "Datum").set_value(date(2026, 12, 31))
    next(t for t in at.text_area if t.label == "Notitie").input("Gebeld over de open aanvragen.")
    next(b for b in at.button if b.label == "Contact bewaren").click().run()
    assert errors(at) == ["Datum: 31/12/2026 ligt in de toekomst; leg een contact vast nadat het plaatsvond."]
    assert count(town, "compliance_contacts") == 0


def test_a_signature_more_than_ten_years_back_is_refused(town):  # noqa: F811
    at = page("views/overeenkomsten.py", "coord").run()
    next(s for s in at.selectbox if s.label == "Opvang").select("P1")
    next(d for d in at.date_input if d.label == "Ondertekend op").set_value(date(2015, 1, 1))
    next(t for t in at.text_input if t.label == "Ondertekenaar").input("An Peeters")
    next(t for t in at.text_input if t.label == "Functie").input("verantwoordelijke")
    next(b for b in at.button if b.label == "Handtekening bewaren").click().run()
    assert errors(at) == ["Ondertekend op: 01/01/2015 ligt meer dan 10 jaar terug; kies een dag vanaf 02/11/2016."]
    assert count(town, "agreements") == 0
