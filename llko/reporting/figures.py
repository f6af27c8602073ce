"""The figures contract (DESIGN.md "The figures contract"): what a policy maker reads before an advice, the LOK's
yearly state of affairs and the need for childcare, over the requests received in [F, T], in their latest known
state with T as 'today'.

The counts over requests are made in the database (`figures`): per provider and month of receipt, over the
children of the period, and the answer days as a histogram — a million requests never travel into pandas.
`reference` states the same counts as plain pandas over every request, so tests can prove both equal; both hand
their pieces to `assemble`, which builds the contract (months, deelgemeenten, coverage, vacancies, answer days).
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Date, bindparam, text
from sqlalchemy.engine import Engine

from llko import settings as settings_store
from llko.compliance.rules import check_period
from llko.providers.rules import works_on
from llko.requests import rules as request_rules, statuses
from llko.requests.sql_rules import ANSWERED, OPEN, deadline_sql, status_list
from llko.settings import Settings

REQUEST_KEYS = ("received", "answered", "answered_in_time", "open", "closed_elsewhere_approved", "not_possible",
                "approved", "cancelled_by_provider", "cancelled_by_parent")
CHILDREN_KEYS = ("requesting", "approved", "waiting", "unmet", "unmet_vulnerable")
UNKNOWN_DISTRICT = "onbekend"


@dataclass(frozen=True)
class Pieces:
    """What is counted over the requests, by the database or by `reference`."""

    counts: pd.DataFrame  # provider_id, month (jjjj-mm), REQUEST_KEYS
    children: dict[str, int]  # CHILDREN_KEYS
    answer_days: dict[int, int]  # days from receipt to answer -> how many requests


# --- pure pieces ------------------------------------------------------------------------------------------------

def months(date_from: date, date_to: date) -> list[str]:
    """Every month from F's to T's, as jjjj-mm."""
    return [p.strftime("%Y-%m") for p in pd.period_range(date_from, date_to, freq="M")]


def nth_smallest(histogram: dict[int, int], k: int) -> int:
    """The k-th smallest value (1-based) of the values a histogram {value: count} holds."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= k:
            return value
    raise ValueError(f"k={k} beyond {seen} values")


def answer_stats(histogram: dict[int, int]) -> dict:
    """median (the usual one: the mean of the two middle values for an even count) and p90 (nearest rank: the
    ⌈0.9·n⌉-th smallest) of the answer days; both None when there are none."""
    n = sum(histogram.values())
    if n == 0:
        return {"median": None, "p90": None}
    if n % 2:
        median = float(nth_smallest(histogram, (n + 1) // 2))
    else:
        median = (nth_smallest(histogram, n // 2) + nth_smallest(histogram, n // 2 + 1)) / 2
    return {"median": median, "p90": nth_smallest(histogram, (9 * n + 9) // 10)}  # ⌈9n/10⌉ in whole numbers


def last_full_year(today: date) -> tuple[date, date]:
    """The default period of the policy view: the last full calendar year before today."""
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


PERIODS = {"last_year": "Vorig jaar", "this_year": "Dit jaar tot vandaag", "last_12": "Laatste 12 maanden",
           "custom": "Zelf kiezen"}


def period_of(choice: str, today: date, date_from: date | None = None, date_to: date | None = None
              ) -> tuple[date, date]:
    """The period a policy maker picked: the last full year, this year up to today, the last 12 months (today and
    the 364 days before it) or a period of its own (F > T or a missing day: a Dutch ValueError)."""
    if choice == "last_year":
        return last_full_year(today)
    if choice == "this_year":
        return date(today.year, 1, 1), today
    if choice == "last_12":
        return date.fromordinal(today.toordinal() - 364), today
    if choice != "custom":
        raise ValueError(f"unknown period {choice!r}")
    if date_from is None or date_to is None:
        raise ValueError("Periode: kies een begin- en een einddatum.")
    check_period(date_from, date_to)
    return date_from, date_to


def in_time_share(counts: dict) -> float | None:
    """Of the answered requests, the share answered in time (None when none was answered)."""
    return counts["answered_in_time"] / counts["answered"] if counts["answered"] else None


def coverage(places: int, children: int | None) -> float | None:
    """Places per 100 children younger than 3; None when the children are unknown or none."""
    return None if not children else places * 100 / children


def _zero() -> dict[str, int]:
    return {k: 0 for k in REQUEST_KEYS}


def _rows(frame: pd.DataFrame) -> dict:
    """Index value -> the REQUEST_KEYS counts as ints, for every row of a grouped frame."""
    if not len(frame):
        return {}
    return {key: {k: int(v) for k, v in values.items()}
            for key, values in frame[list(REQUEST_KEYS)].to_dict("index").items()}


def _summed(frame: pd.DataFrame) -> dict[str, int]:
    return {k: int(frame[k].sum()) for k in REQUEST_KEYS}


def assemble(pieces: Pieces, providers: pd.DataFrame, population: pd.DataFrame, vacancies: pd.DataFrame,
             date_from: date, date_to: date) -> dict:
    """The contract from the counted pieces and the registers. providers: id, district, licensed_places,
    started_on, stopped_on (every provider); population: district, year, children_under_3; vacancies: reported_on,
    places (those reported in [F, T])."""
    counts = pieces.counts
    every_month = months(date_from, date_to)
    by_month = counts.groupby("month")[list(REQUEST_KEYS)].sum() if len(counts) else pd.DataFrame()
    by_provider = counts.groupby("provider_id")[list(REQUEST_KEYS)].sum() if len(counts) else pd.DataFrame()

    month_rows, provider_rows = _rows(by_month), _rows(by_provider)
    districts = {pid: _district(d) for pid, d in zip(providers["id"], providers["district"])}
    names = sorted(set(districts.values()) | {str(d).strip() for d in population["district"]})
    latest = population[population["year"] <= date_to.year].sort_values("year").groupby("district").tail(1)
    children = {str(d).strip(): int(n) for d, n in zip(latest["district"], latest["children_under_3"])}
    deelgemeenten = {name: {"received": 0, "not_possible": 0, "approved": 0, "places": 0} for name in names}
    for pid, places, start, stop in zip(providers["id"], providers["licensed_places"], providers["started_on"],
                                        providers["stopped_on"]):
        counted = deelgemeenten[districts[pid]]
        own = provider_rows.get(pid)
        if own is not None:
            for key in ("received", "not_possible", "approved"):
                counted[key] += own[key]
        if works_on(_day(start), _day(stop), date_to):
            counted["places"] += int(places or 0)
    for name, counted in deelgemeenten.items():
        counted["children_under_3"] = children.get(name)
        counted["places_per_100"] = coverage(counted["places"], children.get(name))

    reported = pd.to_datetime(vacancies["reported_on"]).dt.strftime("%Y-%m") if len(vacancies) else pd.Series([])
    vacancy_months = {m: {"reported": int((reported == m).sum()),
                          "places": int(vacancies["places"][(reported == m).to_numpy()].sum()) if len(vacancies) else 0}
                      for m in every_month}
    return {
        "from": date_from.isoformat(), "to": date_to.isoformat(),
        "requests": _summed(counts) if len(counts) else _zero(),
        "months": {m: month_rows.get(m) or _zero() for m in every_month},
        "children": dict(pieces.children),
        "answer_days": answer_stats(pieces.answer_days),
        "deelgemeenten": deelgemeenten,
        "vacancies": {"reported": int(len(vacancies)), "places": int(vacancies["places"].sum()) if len(vacancies) else 0,
                      "months": vacancy_months},
        "providers": {pid: provider_rows.get(pid) or _zero() for pid in sorted(providers["id"])},
    }


def _district(value) -> str:
    """A provider's deelgemeente as the figures name it: trimmed, 'onbekend' when blank."""
    said = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return said or UNKNOWN_DISTRICT


def _day(value) -> date | None:
    """A date from the database (a date, a string on SQLite through pandas, or NaT/None)."""
    if value is None or (not isinstance(value, (date, str)) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def reference(requests: pd.DataFrame, date_from: date, date_to: date, settings: Settings) -> Pieces:
    """The pieces as plain pandas over every request (id, child_id, provider_id, received, status, answer_date,
    vulnerable): what `figures` counts in the database, stated once more to test it against."""
    frame = requests.copy()
    for column in ("received", "answer_date"):
        frame[column] = pd.to_datetime(frame[column])
    classified = request_rules.classify(frame, date_to, settings=settings)
    inside = classified[(classified["received"] >= pd.Timestamp(date_from))
                        & (classified["received"] <= pd.Timestamp(date_to))]
    status = inside["status"]
    counts = pd.DataFrame({
        "provider_id": inside["provider_id"], "month": inside["received"].dt.strftime("%Y-%m"), "received": 1,
        "answered": inside["answered"], "answered_in_time": inside["answered_in_time"], "open": inside["is_open"],
        "closed_elsewhere_approved": inside["closed_elsewhere"], "not_possible": status == statuses.NOT_POSSIBLE,
        "approved": status == statuses.APPROVED, "cancelled_by_provider": status == statuses.CANCELLED_BY_PROVIDER,
        "cancelled_by_parent": status == statuses.CANCELLED_BY_PARENT,
    }).groupby(["provider_id", "month"], as_index=False).sum()
    counts[list(REQUEST_KEYS)] = counts[list(REQUEST_KEYS)].astype(int)

    of_children = frame[frame["child_id"].isin(set(inside["child_id"]))]
    per_child = pd.DataFrame({
        "child_id": of_children["child_id"], "approved": of_children["status"] == statuses.APPROVED,
        "open": of_children["status"].isin(statuses.OPEN),
        "not_possible": of_children["status"] == statuses.NOT_POSSIBLE,
        "vulnerable": of_children["vulnerable"].map(lambda v: v is True or v == 1),
    }).groupby("child_id").any()
    unmet = per_child["not_possible"] & ~per_child["open"] & ~per_child["approved"]
    children = {"requesting": len(per_child), "approved": int(per_child["approved"].sum()),
                "waiting": int((~per_child["approved"] & per_child["open"]).sum()), "unmet": int(unmet.sum()),
                "unmet_vulnerable": int((unmet & per_child["vulnerable"]).sum())}
    answered = inside[inside["answered"]]
    days = (answered["answer_date"] - answered["received"]).dt.days
    return Pieces(counts=counts, children=children, answer_days={int(d): int(n) for d, n in days.value_counts().items()})


# --- in the database ------------------------------------------------------------------------------------------

def _month(engine: Engine, column: str) -> str:
    return f"strftime('%Y-%m', {column})" if engine.dialect.name == "sqlite" else f"to_char({column}, 'YYYY-MM')"


def _days_between(engine: Engine, start: str, end: str) -> str:
    if engine.dialect.name == "sqlite":
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
    return f"({end} - {start})"


def _flag(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _period():
    return bindparam("f", type_=Date), bindparam("t", type_=Date)


def _counted(engine: Engine, date_from: date, date_to: date, settings: Settings) -> Pieces:
    """The pieces counted in the database."""
    period = {"f": date_from, "t": date_to}
    inside = "r.received >= :f AND r.received <= :t"
    approved_children = f"SELECT DISTINCT child_id FROM requests WHERE status = '{statuses.APPROVED}'"
    counts_sql = f"""
        SELECT r.provider_id, {_month(engine, 'r.received')} AS month, COUNT(*) AS received,
               {_flag(ANSWERED)} AS answered,
               {_flag(f"{ANSWERED} AND answer_date <= {deadline_sql(engine, settings, 'r.received')}")} AS answered_in_time,
               {_flag(f"r.{OPEN} AND ap.child_id IS NULL")} AS open,
               {_flag(f"r.{OPEN} AND ap.child_id IS NOT NULL")} AS closed_elsewhere_approved,
               {_flag(f"r.status = '{statuses.NOT_POSSIBLE}'")} AS not_possible,
               {_flag(f"r.status = '{statuses.APPROVED}'")} AS approved,
               {_flag(f"r.status = '{statuses.CANCELLED_BY_PROVIDER}'")} AS cancelled_by_provider,
               {_flag(f"r.status = '{statuses.CANCELLED_BY_PARENT}'")} AS cancelled_by_parent
        FROM requests r LEFT JOIN ({approved_children}) ap ON ap.child_id = r.child_id
        WHERE {inside} GROUP BY r.provider_id, {_month(engine, 'r.received')}"""
    children_sql = f"""
        SELECT COUNT(*) AS requesting, COALESCE(SUM(approved), 0) AS approved,
               {_flag("approved = 0 AND any_open = 1")} AS waiting,
               {_flag("any_not_possible = 1 AND any_open = 0 AND approved = 0")} AS unmet,
               {_flag("any_not_possible = 1 AND any_open = 0 AND approved = 0 AND vulnerable = 1")} AS unmet_vulnerable
        FROM (SELECT r.child_id,
                     MAX(CASE WHEN r.status = '{statuses.APPROVED}' THEN 1 ELSE 0 END) AS approved,
                     MAX(CASE WHEN r.status IN {status_list(statuses.OPEN)} THEN 1 ELSE 0 END) AS any_open,
                     MAX(CASE WHEN r.status = '{statuses.NOT_POSSIBLE}' THEN 1 ELSE 0 END) AS any_not_possible,
                     MAX(CASE WHEN r.vulnerable THEN 1 ELSE 0 END) AS vulnerable
              FROM requests r
              WHERE r.child_id IN (SELECT child_id FROM requests r WHERE {inside})
              GROUP BY r.child_id) c"""
    days = _days_between(engine, "r.received", "r.answer_date")
    days_sql = f"""SELECT {days} AS days, COUNT(*) AS n FROM requests r WHERE {inside} AND {ANSWERED}
                   GROUP BY {days}"""
    with engine.connect() as conn:
        counts = pd.read_sql(text(counts_sql).bindparams(*_period()), conn, params=period)
        found = conn.execute(text(children_sql).bindparams(*_period()), period).mappings().one()
        histogram = {int(d): int(n) for d, n in conn.execute(text(days_sql).bindparams(*_period()), period)}
    counts[list(REQUEST_KEYS)] = counts[list(REQUEST_KEYS)].fillna(0).astype(int)
    return Pieces(counts=counts, children={k: int(found[k] or 0) for k in CHILDREN_KEYS}, answer_days=histogram)


def registers(engine: Engine, date_from: date, date_to: date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What `assemble` reads beside the requests: providers, population, and the vacancies reported in [F, T]."""
    with engine.connect() as conn:
        providers = pd.read_sql(text("SELECT id, district, licensed_places, started_on, stopped_on FROM providers "
                                     "ORDER BY id"), conn)
        population = pd.read_sql(text("SELECT district, year, children_under_3 FROM population"), conn)
        vacancies = pd.read_sql(text("SELECT reported_on, places FROM vacancies WHERE reported_on >= :f "
                                     "AND reported_on <= :t").bindparams(*_period()), conn,
                                params={"f": date_from, "t": date_to})
    providers["licensed_places"] = providers["licensed_places"].astype(object).where(
        providers["licensed_places"].notna(), None)
    return providers, population, vacancies


def figures(engine: Engine, date_from: date, date_to: date, settings: Settings | None = None) -> dict:
    """The figures contract over [F, T] with the settings in force (F > T: a Dutch ValueError)."""
    check_period(date_from, date_to)
    settings = settings or settings_store.load(engine)
    return assemble(_counted(engine, date_from, date_to, settings), *registers(engine, date_from, date_to),
                    date_from, date_to)


def format_text(found: dict) -> str:
    """The figures as a short Dutch text (the CLI without --json)."""
    r, c, a = found["requests"], found["children"], found["answer_days"]
    period = f"{date.fromisoformat(found['from']):%d/%m/%Y} tot en met {date.fromisoformat(found['to']):%d/%m/%Y}"
    lines = [f"Cijfers over de aanvragen ontvangen van {period}",
             f"Aanvragen: {r['received']}; beantwoord {r['answered']} (tijdig {r['answered_in_time']}); open "
             f"{r['open']}; opvangplan niet mogelijk {r['not_possible']}; goedgekeurd {r['approved']}",
             f"Kinderen: {c['requesting']} vroegen opvang; {c['approved']} goedgekeurd, {c['waiting']} wachten, "
             f"{c['unmet']} met onvervulde nood (waarvan {c['unmet_vulnerable']} uit een kwetsbaar gezin)",
             "Dagen tot antwoord: " + ("geen antwoorden" if a["median"] is None else
                                        f"mediaan {a['median']:g}, 90% binnen {a['p90']} dagen"),
             "Per deelgemeente (plaatsen per 100 kinderen onder 3):"]
    for name, d in found["deelgemeenten"].items():
        share = "onbekend" if d["places_per_100"] is None else f"{d['places_per_100']:.1f}".replace(".", ",")
        lines.append(f"- {name}: {d['received']} aanvragen, {d['places']} plaatsen, {share}")
    v = found["vacancies"]
    lines.append(f"Vrije plaatsen gemeld: {v['reported']} meldingen, samen {v['places']} plaatsen")
    return "\n".join(lines)
