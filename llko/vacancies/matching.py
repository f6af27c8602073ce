"""R12: the waiting children that fit a free place, in the order the coordinator goes through them. Pure: a
requests frame and a day in, candidates out."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from llko.requests import rules as request_rules
from llko.settings import DEFAULTS, Settings
from llko.vacancies.rules import DATE_FORMAT, Vacancy, is_current

HERE, UNMET, REST = 1, 2, 3  # the groups, in R12's order
DATE_COLUMNS = ("received", "status_date", "answer_date", "desired_start")


@dataclass(frozen=True)
class Candidate:
    """A waiting child that fits the vacancy (only its pseudonymous id)."""

    child_id: str
    group: int  # HERE: a request at this provider; UNMET: unmet need (R5); REST: an open request elsewhere
    start: date  # the earliest known desired start of the requests below
    days_per_week: float | None  # the largest known among them
    vulnerable: bool  # any request of the child says ja
    first_received: date  # the earliest of the requests below
    reason: str  # one Dutch line
    request_ids: tuple[str, ...]  # the requests R12 reads: the open ones; for unmet need, all of them


def latest_start(vacancy: Vacancy, day: date, settings: Settings = DEFAULTS) -> date:
    """The latest desired start that fits: max(vanaf, day) + vacancy_window_days, and not after tot."""
    last = max(vacancy.vanaf, day) + timedelta(days=settings.vacancy_window_days)
    return last if vacancy.tot is None else min(last, vacancy.tot)


def _yes(values: pd.Series) -> pd.Series:
    """ja (True, 1) -> True; nee, unknown (None, NaN, NA) -> False."""
    return values.map(lambda v: bool(not pd.isna(v) and v == 1)).astype(bool)


def _days_text(days: float | None) -> str:
    if days is None:
        return "dagen per week onbekend"
    number = f"{days:g}".replace(".", ",")
    return f"{number} {'dag' if days == 1 else 'dagen'} per week"


def reason(group: int, unmet: bool, start: date, days: float | None, vulnerable: bool) -> str:
    """The candidate's one line: 'vroeg hier aan; start 03/03/2027; 3 dagen per week; kwetsbaar gezin'."""
    parts = ["vroeg hier aan"] if group == HERE else []
    if unmet:
        parts.append("onvervulde opvangvraag (opvangplan niet mogelijk)")
    elif group == REST:
        parts.append("open aanvraag elders")
    parts += [f"start {start.strftime(DATE_FORMAT)}", _days_text(days)]
    if vulnerable:
        parts.append("kwetsbaar gezin")
    return "; ".join(parts)


def candidates(vacancy: Vacancy, requests: pd.DataFrame, day: date, settings: Settings = DEFAULTS) -> list[Candidate]:
    """R12 on day `day`: the children with an open request (R1, not closed by R3) anywhere or an unmet need (R5)
    whose start and days per week fit the vacancy, in R12's order. [] when the vacancy is over (ended or closed).

    requests: every request (all providers, so R3 and R5 see the whole child) with the columns id, child_id,
    provider_id, received, desired_start, status, status_date, answer_date, vulnerable, days_per_week.
    """
    if requests.empty or not is_current(vacancy, day):
        return []
    df = requests.copy()
    for col in DATE_COLUMNS:
        df[col] = pd.to_datetime(df[col])
    df = request_rules.classify(df, day, settings=settings)
    unmet_children = set(request_rules.children_unmet(df))
    df["unmet"] = df["child_id"].isin(unmet_children)
    waiting = df[df["is_open"] | df["unmet"]]  # an unmet child has no open request: all of its requests
    per_child = waiting.groupby("child_id")
    start = per_child["desired_start"].min()
    days = pd.to_numeric(waiting["days_per_week"], errors="coerce").groupby(waiting["child_id"]).max()
    received = per_child["received"].min()

    fits = start.notna() & (start <= pd.Timestamp(latest_start(vacancy, day, settings)))
    fits &= days.isna() | (days <= len(set(vacancy.dagen)))
    chosen = start.index[fits]
    ids = waiting[waiting["child_id"].isin(chosen)].groupby("child_id")["id"].agg(lambda s: tuple(sorted(map(str, s))))
    theirs = df[df["child_id"].isin(chosen)]  # every request of the fitting children, closed ones too
    here = set(theirs.loc[theirs["provider_id"] == vacancy.provider_id, "child_id"])
    vulnerable = set(theirs.loc[_yes(theirs["vulnerable"]), "child_id"])

    found = []
    for child in chosen:
        group = HERE if child in here else UNMET if child in unmet_children else REST
        child_days = None if pd.isna(days[child]) else float(days[child])
        child_start = start[child].date()
        found.append(Candidate(
            child_id=str(child), group=group, start=child_start, days_per_week=child_days,
            vulnerable=child in vulnerable, first_received=received[child].date(),
            reason=reason(group, child in unmet_children, child_start, child_days, child in vulnerable),
            request_ids=ids[child],
        ))
    return sorted(found, key=lambda c: (c.group, not c.vulnerable, c.first_received, c.child_id))
