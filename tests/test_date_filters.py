"""The days people type to filter a page (the Import page's snapshot date, Vrije plaatsen's 'Vrij op', the Audit's
'Vanaf') reach llko as typed and are judged there: a day outside what the field allows is refused with a Dutch
message naming the field — never silently replaced by another day (DESIGN.md "Dates people type")."""

from datetime import date

from apptest import errors, page
from conftest import DEMO_TODAY
from llko.requests import importer
from llko.vacancies import rules

# --- the rules, at their edges (today 02/11/2026) -------------------------------------------------------------


def test_the_snapshot_date_is_today_at_the_latest():
    assert importer.as_of_problem(date(2026, 11, 2), DEMO_TODAY) is None
    assert importer.as_of_problem(date(2026, 11, 3), DEMO_TODAY) == (
        "Datum van de momentopname: 03/11/2026 ligt in de toekomst; kies de dag waarop de export gedownload werd.")
    assert importer.as_of_problem(date(2016, 11, 2), DEMO_TODAY) is None  # ten years back: still a day to import
    assert importer.as_of_problem(date(2016, 11, 1), DEMO_TODAY) == (
        "Datum van de momentopname: 01/11/2016 ligt meer dan 10 jaar terug; kies een dag vanaf 02/11/2016.")


def test_the_free_places_may_be_asked_for_two_years_ahead():
    assert rules.day_problem(date(2028, 11, 2), DEMO_TODAY) is None
    assert rules.day_problem(date(2028, 11, 3), DEMO_TODAY) == (
        "Vrij op: 03/11/2028 ligt meer dan 2 jaar in de toekomst; kies een dag tot en met 02/11/2028.")


# --- the pages ------------------------------------------------------------------------------------------------


def test_a_future_snapshot_date_is_refused_on_the_import_page(demo_url, app_env):
    app_env(demo_url)
    at = page("views/importeren.py", "coordinator").run()
    at.date_input(key="as_of").set_value(date(2026, 12, 24)).run()
    assert not at.exception
    assert "Datum van de momentopname: 24/12/2026 ligt in de toekomst; kies de dag waarop de export gedownload " \
           "werd." in errors(at)
    assert at.date_input(key="as_of").value == date(2026, 12, 24)  # what was typed stays, it is not replaced


def test_vrije_plaatsen_names_a_day_too_far_ahead_and_lists_nothing(demo_url, app_env):
    app_env(demo_url)
    at = page("views/vrije_plaatsen.py", "coordinator").run()
    assert not errors(at)
    at.date_input(key="vacancy_day").set_value(date(2030, 1, 1)).run()
    assert not at.exception
    assert errors(at) == ["Vrij op: 01/01/2030 ligt meer dan 2 jaar in de toekomst; kies een dag tot en met "
                          "02/11/2028."]
    assert not at.dataframe  # nothing is listed for a day that was refused


def test_the_audit_refuses_a_start_in_the_future(demo_url, app_env):
    app_env(demo_url)
    at = page("views/audit.py", "coordinator").run()
    assert not errors(at) and at.dataframe
    at.date_input(key="audit_since").set_value(date(2026, 11, 20)).run()
    assert not at.exception
    assert errors(at) == ["Vanaf: 20/11/2026 ligt in de toekomst."]
    assert not at.dataframe
