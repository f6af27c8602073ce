"""Stale data, flagged in one place for Overzicht, the provider's own pages and the coordinator's digest: a free place
not confirmed for more than `vacancy_stale_days`; an infopagina the loket never checked, or whose latest loket check
is more than `infopagina_max_age_days` old; a provider with open requests none of whose statuses moved for more
than `status_stale_days`. Pure functions of rows and a day, and the one read that gathers the rows."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from llko.infopagina import queries as infopagina_queries
from llko.infopagina import rules as infopagina_rules
from llko.providers.queries import provider_details
from llko.requests.queries import parse_dates
from llko.requests.sql_rules import NOT_APPROVED_ELSEWHERE, OPEN
from llko.settings import Settings
from llko.vacancies import queries as vacancy_queries
from llko.vacancies import rules as vacancy_rules

VACANCY, INFOPAGINA, REQUESTS = "vrije plaats", "infopagina", "aanvragen"
KINDS = (REQUESTS, VACANCY, INFOPAGINA)
WHERE_TO_FIX = {  # what the provider does about each, and where
    REQUESTS: "werk de statussen bij in Opvang.Vlaanderen",
    VACANCY: "bevestig of sluit de plaats op Mijn vrije plaatsen",
    INFOPAGINA: "vul de infopagina aan en verklaar ze op Mijn infopagina; het loket kijkt ze dan na",
}


@dataclass(frozen=True)
class Flag:
    """One piece of stale data of one provider: what (kind, a Dutch sentence) and since when it did not move (None:
    never)."""

    provider_id: str
    kind: str
    text: str
    since: date | None


def dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def vacancy_flags(vacancies, day: date, settings: Settings) -> list[Flag]:
    """Each free place active on `day` and not confirmed for more than vacancy_stale_days (R7's is_stale)."""
    return [Flag(v.provider_id, VACANCY, f"{v.plaatsen} {'plaats' if v.plaatsen == 1 else 'plaatsen'} vanaf "
                 f"{dmy(v.vanaf)}: niet meer bevestigd sinds {dmy(vacancy_rules.last_confirmed(v))}",
                 vacancy_rules.last_confirmed(v))
            for v in vacancies if vacancy_rules.is_stale(v, day, settings.vacancy_stale_days)]


def infopagina_flags(states: dict[str, infopagina_rules.ProviderInfopagina], day: date, settings: Settings
                     ) -> list[Flag]:
    """Each provider whose infopagina the loket never checked, or checked last more than infopagina_max_age_days
    before `day` (what R11 then judges 'unknown')."""
    found = []
    for provider_id, state in states.items():
        standing = infopagina_rules.standing(state, day, settings.infopagina_max_age_days)
        if standing == infopagina_rules.NEVER:
            found.append(Flag(provider_id, INFOPAGINA, "nooit nagekeken door het loket", None))
        elif standing == infopagina_rules.TOO_OLD:
            found.append(Flag(provider_id, INFOPAGINA, f"laatst nagekeken door het loket op "
                              f"{dmy(state.latest.datum)}, meer dan {settings.infopagina_max_age_days} dagen geleden",
                              state.latest.datum))
    return found


def request_flags(open_requests: pd.DataFrame, day: date, settings: Settings) -> list[Flag]:
    """open_requests: per provider_id the number of open requests (R1, not closed by R3) and the latest date any of
    their statuses moved (last_moved). Flagged when that is more than status_stale_days before `day`."""
    found = []
    for row in open_requests.itertuples(index=False):
        last = pd.Timestamp(row.last_moved).date()
        if row.open > 0 and (day - last).days > settings.status_stale_days:
            found.append(Flag(row.provider_id, REQUESTS, f"{row.open} open "
                              f"{'aanvraag' if row.open == 1 else 'aanvragen'}, geen status bewoog sinds {dmy(last)}",
                              last))
    return found


def open_requests(engine: Engine, provider_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per provider: how many requests are open (R1, not closed by R3) and the latest status date among them."""
    where, params = "", []
    if provider_ids is not None:
        where, params = " AND provider_id IN :ids", [bindparam("ids", list(provider_ids) or [""], expanding=True)]
    sql = (f"SELECT provider_id, COUNT(*) AS open, MAX(status_date) AS last_moved FROM requests "
           f"WHERE {OPEN} AND {NOT_APPROVED_ELSEWHERE}{where} GROUP BY provider_id ORDER BY provider_id")
    with engine.connect() as conn:
        return parse_dates(pd.read_sql(text(sql).bindparams(*params), conn), ["last_moved"])


def flags(engine: Engine, day: date, settings: Settings, provider_ids: tuple[str, ...] | None = None) -> list[Flag]:
    """Every stale-data flag on `day` of the providers working on that day (of these only, when given), by provider
    id and kind (requests, free places, infopagina)."""
    details = provider_details(engine)
    working = {pid for pid, stopped in zip(details["id"], details["stopped_on"]) if stopped is None or stopped > day}
    if provider_ids is not None:
        working &= set(provider_ids)
    # Read for the providers asked (all: no list, which PostgreSQL plans badly beside NOT EXISTS), then keep those
    # working on `day`.
    found = (request_flags(open_requests(engine, provider_ids), day, settings)
             + vacancy_flags(vacancy_queries.vacancies(engine, provider_ids), day, settings)
             + infopagina_flags(infopagina_rules.states(infopagina_queries.checks(engine, provider_ids), day,
                                                        sorted(working)), day, settings))
    return sorted((f for f in found if f.provider_id in working),
                  key=lambda f: (f.provider_id, KINDS.index(f.kind), f.since or date.min))
