"""Stale data flagged in one place (llko.notify.stale), at its edges and on a small town worked out by hand: a free
place not confirmed for more than vacancy_stale_days, an infopagina never or too long ago checked by the loket, open
requests none of whose statuses moved for more than status_stale_days."""

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from llko.infopagina.rules import ITEMS, LOKET, OPVANG, Check, states
from llko.notify.stale import INFOPAGINA, REQUESTS, VACANCY, Flag, flags, infopagina_flags, request_flags, vacancy_flags
from llko.providers import service as providers
from llko.requests.importer import import_file
from llko.settings import DEFAULTS
from llko.vacancies.rules import Vacancy
from test_notify_run import EXPORT

D = date(2026, 11, 20)


def place(confirmed: date | None, **kw) -> Vacancy:
    return Vacancy(provider_id="P1", vanaf=date(2026, 10, 1), dagen=("ma",), plaatsen=2, gemeld_op=date(2026, 9, 1),
                   bevestigd_op=confirmed, **kw)


def test_a_place_is_flagged_the_day_after_vacancy_stale_days():
    assert vacancy_flags([place(D - timedelta(days=28))], D, DEFAULTS) == []
    assert vacancy_flags([place(D - timedelta(days=29))], D, DEFAULTS) == [
        Flag("P1", VACANCY, "2 plaatsen vanaf 01/10/2026: niet meer bevestigd sinds 22/10/2026", date(2026, 10, 22))]
    assert vacancy_flags([place(None)], D, replace(DEFAULTS, vacancy_stale_days=80)) == [  # gemeld_op 01/09: 80 days
        ] and len(vacancy_flags([place(None)], D, replace(DEFAULTS, vacancy_stale_days=79))) == 1


def test_a_closed_or_ended_place_is_never_stale():
    assert vacancy_flags([place(None, afgesloten_op=date(2026, 11, 1), reden="ingevuld")], D, DEFAULTS) == []
    assert vacancy_flags([place(None, tot=date(2026, 11, 19))], D, DEFAULTS) == []


def check(provider_id: str, on: date, source: str = LOKET) -> Check:
    return Check(provider_id, on, source, {item: True for item in ITEMS})


def test_an_infopagina_is_flagged_when_never_or_too_long_ago_checked_by_the_loket():
    checks = [check("P1", D - timedelta(days=365)), check("P2", D - timedelta(days=366)),
              check("P3", D, OPVANG)]  # a provider's own declaration is no loket check
    found = infopagina_flags(states(checks, D, ["P1", "P2", "P3"]), D, DEFAULTS)
    assert found == [
        Flag("P2", INFOPAGINA, "laatst nagekeken door het loket op 19/11/2025, meer dan 365 dagen geleden",
             date(2025, 11, 19)),
        Flag("P3", INFOPAGINA, "nooit nagekeken door het loket", None)]


def test_open_requests_are_flagged_when_no_status_moved_for_more_than_status_stale_days():
    rows = pd.DataFrame({"provider_id": ["P1", "P2"], "open": [3, 1],
                         "last_moved": pd.to_datetime(["2026-11-06", "2026-11-05"])})  # 14 and 15 days before D
    assert request_flags(rows, D, DEFAULTS) == [
        Flag("P2", REQUESTS, "1 open aanvraag, geen status bewoog sinds 05/11/2026", date(2026, 11, 5))]
    assert [f.provider_id for f in request_flags(rows, D, replace(DEFAULTS, status_stale_days=13))] == ["P1", "P2"]


def test_the_flags_of_a_small_town(engine):
    """P1's open requests A1 (01/11), A2 (09/11), A3 (10/11), A4 (05/11) last moved 10/11 (A5 is closed by its
    child's approval at P2); P2's A7 and P3's A8 on 01/11. Nobody's infopagina was ever checked."""
    assert import_file(engine, EXPORT.encode(), "e.csv", D, "test").ok
    never = "nooit nagekeken door het loket"
    assert flags(engine, D, DEFAULTS) == [
        Flag("P1", INFOPAGINA, never, None),
        Flag("P2", REQUESTS, "1 open aanvraag, geen status bewoog sinds 01/11/2026", date(2026, 11, 1)),
        Flag("P2", INFOPAGINA, never, None),
        Flag("P3", REQUESTS, "1 open aanvraag, geen status bewoog sinds 01/11/2026", date(2026, 11, 1)),
        Flag("P3", INFOPAGINA, never, None)]
    later = flags(engine, date(2026, 11, 25), DEFAULTS, ("P1",))  # 15 days after 10/11
    assert later[0] == Flag("P1", REQUESTS, "4 open aanvragen, geen status bewoog sinds 10/11/2026", date(2026, 11, 10))
    providers.update_provider(engine, "test", "P3", started_on=date(2020, 1, 1), stopped_on=date(2026, 11, 15))
    assert [f.provider_id for f in flags(engine, D, DEFAULTS)] == ["P1", "P2", "P2"]  # a stopped provider: none
