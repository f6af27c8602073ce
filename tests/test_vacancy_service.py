"""Writing free places (llko.vacancies.service): report, edit, confirm, close and refer, each audited with its
history; a provider can never touch another provider's place, whatever id it sends."""

from datetime import date

import pytest
from sqlalchemy import text

from llko.requests.importer import import_file
from llko.vacancies import service
from llko.vacancies.queries import contract
from tests.helpers import database_at, rows

T = date(2026, 11, 2)
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status
A1;K1;P1;Zonnetje;01/10/2026;nieuw;01/10/2026
A2;K2;P2;Het Nest;01/10/2026;nieuw;01/10/2026
"""
PLACE = {"vanaf": "09/11/2026", "tot": "31/12/2026", "dagen": ["ma", "wo"], "dagdeel": "voormiddag", "plaatsen": 1,
         "leeftijd": "baby", "soort": "tijdelijk", "opmerking": " tot de kerstvakantie "}


@pytest.fixture
def town(engine):
    assert import_file(engine, EXPORT.encode(), "e.csv", T, "test").ok
    return engine


def test_a_provider_reports_a_temporary_part_time_place(town):
    vacancy_id = service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    on_9th = contract(town, date(2026, 11, 9))
    assert on_9th["places"] == {"P1": 1, "P2": 0}
    assert on_9th["active"] == [{"opvang_id": "P1", "vanaf": "2026-11-09", "gemeld_op": "2026-11-02",
                                 "tot": "2026-12-31", "dagen": ["ma", "wo"], "dagdeel": "voormiddag", "plaatsen": 1,
                                 "leeftijd": "baby", "soort": "tijdelijk", "bevestigd_op": "2026-11-02",
                                 "afgesloten_op": None, "reden": None, "opmerking": "tot de kerstvakantie"}]
    assert rows(town, "SELECT actor, action FROM audit_log WHERE action LIKE 'vacancy%'") == [
        ("zon", "vacancy_reported")]
    assert [a for _, a in rows(town, f"SELECT actor, action FROM vacancy_history WHERE vacancy_id = {vacancy_id}")] \
        == ["reported"]


@pytest.mark.parametrize("change, field, message", [
    ({"tot": "01/11/2026"}, "tot", "'Tot' ligt vóór 'vanaf' (01/11/2026 < 09/11/2026): een vrije plaats eindigt "
                                   "niet voor ze begint."),
    ({"vanaf": "01/10/2026", "tot": "01/11/2026"}, "tot", "Een vrije plaats die al voorbij is, kan niet meer gemeld "
                                                          "worden: 'tot' (01/11/2026) ligt vóór vandaag (02/11/2026)."),
    ({"dagen": []}, "dagen", "Kies minstens één weekdag."),
    ({"plaatsen": 0}, "plaatsen", "'Plaatsen' moet een geheel getal zijn van minstens 1."),
])
def test_a_bad_form_is_refused_per_field_and_nothing_is_written(town, change, field, message):
    with pytest.raises(service.VacancyRefused) as refused:
        service.report(town, "zon", "P1", {**PLACE, **change}, T, allowed=("P1",))
    on_the_form = {"vanaf": "Vrij vanaf", "tot": "Vrij tot", "dagen": "Weekdagen", "plaatsen": "Aantal plaatsen"}
    assert refused.value.problems == {field: f"{on_the_form[field]}: {message}"}  # led by the form's name
    assert rows(town, "SELECT count(*) FROM vacancies") == [(0,)]
    assert rows(town, "SELECT count(*) FROM audit_log WHERE action LIKE 'vacancy%'") == [(0,)]


def test_reporting_the_same_place_twice_on_one_day_says_what_to_do(town):
    service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    with pytest.raises(service.VacancyRefused) as refused:
        service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    assert refused.value.problems == {"vanaf": "Vandaag werd al een vrije plaats vanaf 09/11/2026 gemeld voor deze "
                                               "opvang: pas die aan in plaats van ze opnieuw te melden."}


def test_edit_confirm_and_close_keep_the_history(town):
    vacancy_id = service.report(town, "zon", "P1", PLACE, T, allowed=("P1",))
    service.edit(town, "zon", vacancy_id, {**PLACE, "plaatsen": 2}, T, version=1, allowed=("P1",))
    with pytest.raises(ValueError, match="intussen door iemand anders gewijzigd"):
        service.edit(town, "zon", vacancy_id, {**PLACE, "plaatsen": 3}, T, version=1, allowed=("P1",))
    service.confirm(town, "zon", vacancy_id, date(2026, 11, 20), allowed=("P1",))
    service.close(town, "coord", vacancy_id, date(2026, 11, 25), "ingevuld")
    assert contract(town, date(2026, 11, 24))["places"]["P1"] == 2
    assert contract(town, date(2026, 11, 25))["places"]["P1"] == 0  # closed on the 25th: not free that day
    history = service.history(town, vacancy_id)
    assert list(history["action"]) == ["reported", "updated", "confirmed", "closed"]
    assert list(history["actor"]) == ["zon", "zon", "zon", "coord"]
    with pytest.raises(ValueError, match="al afgesloten op 25/11/2026"):
        service.close(town, "coord", vacancy_id, date(2026, 11, 26), "ingetrokken")


def test_a_provider_cannot_touch_another_providers_place_whatever_it_sends(town):
    theirs = service.report(town, "nest", "P2", PLACE, T, allowed=("P2",))
    before = rows(town, "SELECT * FROM vacancies")
    with pytest.raises(ValueError, match=service.NOT_YOURS):
        service.report(town, "zon", "P2", PLACE, T, allowed=("P1",))
    with pytest.raises(ValueError, match=service.NOT_YOURS):
        service.edit(town, "zon", theirs, {**PLACE, "plaatsen": 9}, T, version=1, allowed=("P1",))
    with pytest.raises(ValueError, match=service.NOT_YOURS):
        service.confirm(town, "zon", theirs, T, allowed=("P1",))
    with pytest.raises(ValueError, match=service.NOT_YOURS):
        service.close(town, "zon", theirs, T, "ingetrokken", allowed=("P1",))
    assert rows(town, "SELECT * FROM vacancies") == before
    assert rows(town, "SELECT count(*) FROM vacancy_history") == [(1,)]


def test_the_loket_notes_which_family_it_told(town):
    vacancy_id = service.report(town, "coord", "P1", PLACE, T)
    service.refer(town, "coord", vacancy_id, "K2", date(2026, 11, 3), "gebeld")
    told = service.referrals(town, [vacancy_id])
    assert told[["child_id", "told_by", "note"]].values.tolist() == [["K2", "coord", "gebeld"]]
    assert told["told_on"].tolist() == [date(2026, 11, 3)]


# --- the previous visit of the overview (what is new since): per-user state, not a setting --------------------------

def test_each_user_gets_back_the_moment_of_their_own_previous_visit(engine):
    from datetime import datetime, timedelta, timezone

    first = datetime(2026, 11, 2, 8, 15, tzinfo=timezone.utc)
    second = first + timedelta(days=1, hours=2)
    assert service.last_visit(engine, "coordinator", first) is None  # the first time: nothing is "since"
    assert service.last_visit(engine, "anna", second) is None  # another user: their own first time
    assert service.last_visit(engine, "coordinator", second) == first  # aware, UTC, the moment of the first visit
    brussels = second.astimezone(timezone(timedelta(hours=1)))  # a moment in another zone is the same moment
    assert service.last_visit(engine, "anna", brussels + timedelta(hours=3)) == second
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM settings WHERE key LIKE 'vacancies_seen:%'")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM vacancy_visits")).scalar() == 2


def test_the_upgrade_moves_earlier_visits_out_of_the_settings_table(tmp_path):
    from datetime import datetime, timezone

    from llko.bootstrap import migrate

    engine = database_at("0013", tmp_path / "old.sqlite3")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('vacancies_seen:cora', "
                          "'2026-11-30T09:45:00+00:00'), ('vacancies_seen:kapot', 'geen moment'), "
                          "('deadline_days', '14')"))
    migrate(engine)
    assert service.last_visit(engine, "cora", datetime(2026, 12, 1, tzinfo=timezone.utc)) == datetime(
        2026, 11, 30, 9, 45, tzinfo=timezone.utc)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT key, value FROM settings")).all() == [("deadline_days", "14")]
    engine.dispose()
