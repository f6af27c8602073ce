"""Rule R11 (compliance verdicts) and R9's advice, as pure functions: plain data in (request frames, check and
vacancy objects, dates), a Verdict out. No database, no Streamlit; "today" is the end of the period, T.

One function per obligation. Each takes the data of ONE provider (given the data of several, it judges them as
one), the period [date_from, date_to] with both bounds included, and the settings in force. date_from > date_to
is refused with a Dutch ValueError.

A requests frame has a row per request in its latest known state (even when that state is dated after T) with
the columns id, child_id, received, status, status_date, answer_date (R2: None/NaT when there is no answer) and,
where a rule needs them, provider_id, desired_start and vulnerable (kwetsbaar_gezin: True/False/None, 1/0 or
ja/nee). Dates may be datetime.date, text jjjj-mm-dd or datetime64. R3 needs every approval of the child, at any
provider: pass first_approvals (child_id -> the child's earliest approval date anywhere, see first_approvals())
when the frame holds one provider only; without it, it is taken from the frame itself.

Readings of R11 chosen where DESIGN.md leaves room (closest to the agreement's words), also in the functions:
- Shares are compared with their threshold as numbers; a share that differs from the threshold only by float
  rounding counts as equal ("equal is in order").
- answering: "never-answered" is R2's answer as classify() sees it (an answer status reached, with an answer date);
  a request cancelled by the parents or closed by R3 that had been answered is judged on its answer date.
- plus_share: "share" is the share over R8's denominator whenever it is not empty, also when there are too few
  children for a verdict (unknown); null for a provider that is not trap 3 (not applicable: nothing to judge)
  and when no child counts. With plus_min_children 0 and no child at all the verdict is unknown (no data).
  A child's kwetsbaar_gezin is read from its requests at the provider approved in the period (the ones that make
  it count); it is known when one of them says ja or nee, vulnerable when one says ja.
- local_policy, agreement, plus_share: no rule defines their evidence but local_policy's, so the others give [].
  local_policy judges every provider in the database against every meeting in the period, whether or not it
  already (or still) ran then: the agreement asks each provider to take part in the LOK.
- statuses (a): "no answer date before its status date": no answer date, or one on or after the cancellation.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping

import pandas as pd

from llko import dutch
from llko.infopagina import rules as infopagina_rules
from llko.requests import rules as request_rules
from llko.requests import statuses as request_statuses
from llko.settings import DEFAULTS, Settings
from llko.vacancies.rules import Vacancy

IN_ORDER, SHORTCOMING, UNKNOWN, NOT_APPLICABLE = "in_order", "shortcoming", "unknown", "not_applicable"
VERDICTS = (IN_ORDER, SHORTCOMING, UNKNOWN, NOT_APPLICABLE)
MINIMUM, FURTHER = "minimum", "further"

# The obligations in the contract's order, and this loket's reading of which are "minimum" (R9, R11).
OBLIGATIONS = ("answering", "infopagina", "local_policy", "plus_share", "statuses", "vacancies", "agreement")
CATEGORY = {"answering": MINIMUM, "infopagina": MINIMUM, "local_policy": MINIMUM, "plus_share": MINIMUM,
            "statuses": FURTHER, "vacancies": FURTHER, "agreement": FURTHER}
WITH_SHARE = ("answering", "plus_share")  # the obligations whose contract object has a "share"

DEFAULT_PERIOD_DAYS = 364  # R11: by default F = T - 364 days (a year, both ends included)

LABELS = {
    "answering": "Aanvragen tijdig beantwoorden",
    "infopagina": "Infopagina volledig",
    "local_policy": "Lokaal beleid (LOK bijwonen)",
    "plus_share": "Plussubsidie: kinderen uit kwetsbare gezinnen",
    "statuses": "Statussen correct gebruiken",
    "vacancies": "Elke vrije plaats melden",
    "agreement": "Samenwerkingsovereenkomst ondertekend",
}
SHORT_LABELS = {"answering": "beantwoorden", "infopagina": "infopagina", "local_policy": "LOK",
                "plus_share": "plus", "statuses": "statussen", "vacancies": "vrije plaatsen",
                "agreement": "overeenkomst"}
VERDICT_LABELS = {IN_ORDER: "in orde", SHORTCOMING: "tekort", UNKNOWN: "onbekend",
                  NOT_APPLICABLE: "niet van toepassing"}
CATEGORY_LABELS = {MINIMUM: "minimale verplichting", FURTHER: "verdere afspraak"}
# R11: "show the reading beside the verdicts".
READING = (
    "Lezing van het loket: minimale verplichtingen uit de regelgeving (§2 van de samenwerkingsovereenkomst) zijn "
    "aanvragen tijdig beantwoorden, de infopagina volledig houden, zich informeren over het lokaal beleid (het LOK "
    "bijwonen) en, bij plussubsidie (trap 3), minstens 30% kinderen uit kwetsbare gezinnen; een tekort is een "
    "gegronde reden voor een negatief advies (uitbreidingsronde, jaarlijkse subsidie van de stad, §4). Verdere "
    "afspraken (§3) zijn de statussen correct gebruiken, elke vrije plaats melden en de overeenkomst ondertekenen; "
    "een tekort leidt tot een 0-score op het criterium 'samenwerking met het Lokaal Loket Kinderopvang' in een "
    "uitbreidingsronde (§4)."
)


@dataclass(frozen=True)
class Verdict:
    """One obligation of one provider over a period (R11).

    evidence: what was found, whatever the verdict, sorted as strings (infopagina: R6's order). share: answering and
    plus_share only (None: nothing to count). details: extra numbers for the screens (never in the contract's JSON).
    """

    obligation: str
    verdict: str
    evidence: list[str] = field(default_factory=list)
    share: float | None = None
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.obligation not in CATEGORY:
            raise ValueError(f"unknown obligation {self.obligation!r}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    @property
    def category(self) -> str:
        return CATEGORY[self.obligation]

    @property
    def is_shortcoming(self) -> bool:
        return self.verdict == SHORTCOMING

    def contract(self) -> dict:
        """The object the compliance contract gives for this obligation: verdict, category, evidence (and share)."""
        found = {"verdict": self.verdict, "category": self.category, "evidence": list(self.evidence)}
        if self.obligation in WITH_SHARE:
            found["share"] = self.share
        return found


# --- the period -------------------------------------------------------------------------------------------------

def check_period(date_from: date, date_to: date) -> None:
    """R11: a period whose start lies after its end is refused (Dutch ValueError)."""
    if date_from > date_to:
        raise ValueError(f"Ongeldige periode: de begindatum ({date_from:%d/%m/%Y}) ligt na de einddatum "
                         f"({date_to:%d/%m/%Y}). Kies een begindatum op of vóór de einddatum.")


def period(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """R11's period: T = date_to or today; F = date_from or T - 364 days; F > T refused (Dutch ValueError)."""
    end = date_to if date_to is not None else today
    start = date_from if date_from is not None else end - timedelta(days=DEFAULT_PERIOD_DAYS)
    check_period(start, end)
    return start, end


# --- helpers ----------------------------------------------------------------------------------------------------

REQUEST_DATES = ("received", "status_date", "answer_date", "desired_start")


def prepared(requests: pd.DataFrame, date_to: date, settings: Settings = DEFAULTS,
             first_approvals: Mapping[str, date] | None = None) -> pd.DataFrame:
    """Many providers' requests read and classified once (R1-R3 with T = date_to, as each obligation would): the
    obligations take a slice of it (groupby, iloc: pandas carries the frame's attrs, and with them the mark) as it
    is instead of classifying every provider's requests again."""
    c = _classified(_requests(requests), date_to, settings, first_approvals)
    c.attrs["prepared"] = _mark(date_to, settings)
    return c


def _mark(date_to: date, settings: Settings) -> str:
    """What a prepared frame was classified for, small (pandas copies attrs along with every operation)."""
    return f"{date_to.isoformat()}/{hash(settings)}"


def _requests(requests: pd.DataFrame) -> pd.DataFrame:
    """A copy with the dates as datetime64 and the optional columns present (blank when the frame lacks them);
    a prepared() frame as it is."""
    if requests.attrs.get("prepared"):
        return requests
    df = requests.copy()
    for column in ("provider_id", "desired_start", "vulnerable", "answer_date"):
        if column not in df.columns:
            df[column] = None
    for column in REQUEST_DATES:
        df[column] = pd.to_datetime(df[column], format="ISO8601") if len(df) else pd.Series(
            dtype="datetime64[ns]", index=df.index)
    df["id"] = df["id"].astype(str)
    return df


def _in(values: pd.Series, date_from: date, date_to: date) -> pd.Series:
    """Dated in [date_from, date_to], both included (a blank date is not)."""
    return (values >= pd.Timestamp(date_from)) & (values <= pd.Timestamp(date_to))


def _ids(values) -> list[str]:
    """Evidence: as strings, sorted as strings."""
    return sorted(str(v) for v in values)


def _below(share: float, minimum: float) -> bool:
    """share < minimum, where a share equal to the threshold up to float rounding is not below it."""
    return share < minimum and not math.isclose(share, minimum, rel_tol=1e-9, abs_tol=1e-12)


def first_approvals(requests: pd.DataFrame) -> dict[str, date]:
    """R3: per child with an approved request (any provider in the frame), its earliest approval date."""
    df = _requests(requests)
    approved = df[df["status"] == request_statuses.APPROVED]
    return {child: day.date() for child, day in approved.groupby("child_id")["status_date"].min().items()}


def _classified(df: pd.DataFrame, date_to: date, settings: Settings, approvals: Mapping[str, date] | None):
    """R1-R3 flags of llko.requests.rules.classify with T as today, plus closed_on (R3: the child's earliest
    approval date) from the approvals given or, without them, from the frame itself. A frame prepared() for the
    same T and settings is classified already."""
    if df.attrs.get("prepared") == _mark(date_to, settings):
        return df
    if approvals is None:
        approvals = first_approvals(df)
    classified = request_rules.classify(df, date_to, approved_children=list(approvals), settings=settings)
    closed_on = pd.to_datetime(classified["child_id"].map(dict(approvals)), format="ISO8601")
    classified["closed_on"] = closed_on.where(classified["closed_elsewhere"])
    return classified


def _vulnerable(value) -> bool | None:
    """kwetsbaar_gezin: True (ja, 1), False (nee, 0) or None (unknown)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        try:
            return dutch.parse_yes_no(value)
        except ValueError:  # not ja/nee: unknown, as a blank
            return None
    return bool(value)


# --- the obligations --------------------------------------------------------------------------------------------

def answering(requests: pd.DataFrame, date_from: date, date_to: date, settings: Settings = DEFAULTS,
              first_approvals: Mapping[str, date] | None = None) -> Verdict:
    """R11 answering (minimum): answer the loket's requests within deadline_days (R2).

    Counted: the requests whose deadline (received + deadline_days) falls in [F, T], except the never-answered
    ones that ended on or before their deadline: `geannuleerd door ouder` with status date <= deadline, or closed
    by an approval elsewhere (R3) whose approval date <= deadline. Late: not answered in time (answer date >
    deadline, or no answer at all, even when the deadline is T itself). None counted: in_order, share None. Share
    in time < answering_min_share: shortcoming (equal is in order). Evidence: the late request ids.
    """
    check_period(date_from, date_to)
    df = _requests(requests)
    if df.empty:
        return Verdict("answering", IN_ORDER, [], None, {"counted": 0, "in_time": 0, "late": 0, "late_requests": []})
    c = _classified(df, date_to, settings, first_approvals)
    in_period = _in(c["deadline"], date_from, date_to)
    never_answered = ~c["answered"]
    parents_cancelled = (c["status"] == request_statuses.CANCELLED_BY_PARENT) & (c["status_date"] <= c["deadline"])
    approved_elsewhere = c["closed_elsewhere"] & (c["closed_on"] <= c["deadline"])
    counted = c[in_period & ~(never_answered & (parents_cancelled | approved_elsewhere))]
    late = counted[~counted["answered_in_time"]]
    n, in_time = len(counted), len(counted) - len(late)
    details = {"counted": n, "in_time": in_time, "late": len(late), "late_requests": _late_requests(late, date_to)}
    if n == 0:
        return Verdict("answering", IN_ORDER, [], None, details)
    share = in_time / n
    verdict = SHORTCOMING if _below(share, settings.answering_min_share) else IN_ORDER
    return Verdict("answering", verdict, _ids(late["id"]), share, details)


def _late_requests(late: pd.DataFrame, date_to: date) -> list[dict]:
    """Per late request (by id): received, deadline, answer date (None: no answer by T) and the days late: answer
    date - deadline, or T - deadline when unanswered (0 when the deadline is T itself)."""
    found = []
    for row in late.itertuples(index=False):
        answered = None if pd.isna(row.answer_date) else row.answer_date.date()
        deadline = row.deadline.date()
        found.append({"id": str(row.id), "received": row.received.date(), "deadline": deadline,
                      "answered_on": answered, "days_late": ((answered or date_to) - deadline).days})
    return sorted(found, key=lambda r: r["id"])


def infopagina(checks: Iterable[infopagina_rules.Check], date_from: date, date_to: date,
               settings: Settings = DEFAULTS) -> Verdict:
    """R11 infopagina (minimum): the latest loket check of the provider dated <= T (checks before F count too; a
    confirmed declaration is a loket check of the day it was confirmed; provider declarations never count).

    None, or older than infopagina_max_age_days (T - its date > the setting; exactly that old still counts):
    unknown, evidence []. An item missing: shortcoming, evidence the missing items in R6's order; else in_order.
    """
    check_period(date_from, date_to)
    checks = list(checks)
    latest = infopagina_rules.latest_loket(checks, date_to)
    if latest is None:
        return Verdict("infopagina", UNKNOWN, [], None, {"checked_on": None, "age_days": None})
    age = (date_to - latest.datum).days
    details = {"checked_on": latest.datum, "age_days": age}
    if age > settings.infopagina_max_age_days:
        return Verdict("infopagina", UNKNOWN, [], None, details)
    missing = infopagina_rules.missing(latest)
    details["missing_since"] = {item: infopagina_rules.missing_since(checks, item, date_to) for item in missing}
    return Verdict("infopagina", SHORTCOMING if missing else IN_ORDER, missing, None, details)


def local_policy(provider_id: str, meetings: Iterable, date_from: date, date_to: date,
                 settings: Settings = DEFAULTS) -> Verdict:
    """R11 local_policy (minimum): know the local childcare policy, i.e. attend the LOK (R10).

    meetings: every LOK meeting, as objects with held_on and attending (provider ids) or as (held_on, attending)
    pairs. The meetings dated in [F, T]: none -> not_applicable; the provider attended at least one -> in_order;
    else shortcoming. Evidence: the dates (jjjj-mm-dd) of the meetings in the period it missed.
    """
    check_period(date_from, date_to)
    held: list[tuple[date, bool]] = []
    for meeting in meetings:
        day, attending = (meeting.held_on, meeting.attending) if hasattr(meeting, "held_on") else meeting
        if date_from <= day <= date_to:
            held.append((day, provider_id in set(attending)))
    missed = _ids(day.isoformat() for day, present in held if not present)
    details = {"meetings": len(held), "attended": len(held) - len(missed)}
    if not held:
        return Verdict("local_policy", NOT_APPLICABLE, [], None, details)
    return Verdict("local_policy", IN_ORDER if len(missed) < len(held) else SHORTCOMING, missed, None, details)


def is_trap_3(subsidy_level) -> bool:
    """Subsidietrap 3 (plussubsidie); a blank trap is not."""
    if subsidy_level is None or (isinstance(subsidy_level, float) and math.isnan(subsidy_level)):
        return False
    return str(subsidy_level).strip().upper() == "3"


def plus_share(subsidy_level, requests: pd.DataFrame, date_from: date, date_to: date,
               settings: Settings = DEFAULTS) -> Verdict:
    """R11 plus_share (minimum), R8: at least plus_min_share of the children from vulnerable families.

    Only for subsidietrap 3; any other trap, or a blank one: not_applicable (share None). Denominator: the distinct
    children with a request at the provider whose current status is `goedgekeurd` with status date in [F, T] and
    whose kwetsbaar_gezin is known; a child is vulnerable when any of those approved requests says ja. Fewer than
    plus_min_children such children (or none at all): unknown; share < plus_min_share: shortcoming (equal is in
    order); else in_order. Evidence []. share: vulnerable / denominator, None when the denominator is empty.
    """
    check_period(date_from, date_to)
    if not is_trap_3(subsidy_level):
        return Verdict("plus_share", NOT_APPLICABLE, [], None, {"children": 0, "vulnerable": 0})
    df = _requests(requests)
    approved = df[(df["status"] == request_statuses.APPROVED) & _in(df["status_date"], date_from, date_to)]
    known = pd.DataFrame({"child_id": approved["child_id"], "vulnerable": approved["vulnerable"].map(_vulnerable)})
    known = known[known["vulnerable"].notna()]
    per_child = known.groupby("child_id")["vulnerable"].agg(lambda v: any(bool(x) for x in v))
    children, vulnerable = len(per_child), int(per_child.sum()) if len(per_child) else 0
    details = {"children": children, "vulnerable": vulnerable}
    share = vulnerable / children if children else None
    if share is None or children < settings.plus_min_children:
        return Verdict("plus_share", UNKNOWN, [], share, details)
    verdict = SHORTCOMING if _below(share, settings.plus_min_share) else IN_ORDER
    return Verdict("plus_share", verdict, [], share, details)


def statuses(requests: pd.DataFrame, date_from: date, date_to: date, settings: Settings = DEFAULTS,
             first_approvals: Mapping[str, date] | None = None) -> Verdict:
    """R11 statuses (further): misuses of the statuses.

    (a) direct cancellation: current status `geannuleerd door opvang` dated in [F, T] that was also the first answer
    (no answer date before its status date: none, or one on or after it); (b) lingering: current status `in
    behandeling`, not closed by an approval (R3), T - status date > lingering_days (whatever F). More than
    statuses_max misuses: shortcoming (exactly statuses_max is in order). Evidence: the ids of (a) and (b).
    """
    check_period(date_from, date_to)
    df = _requests(requests)
    if df.empty:
        return Verdict("statuses", IN_ORDER, [], None,
                       {"direct_cancellations": [], "lingering": [], "status_dates": {}})
    c = _classified(df, date_to, settings, first_approvals)
    status, day = df["status"], df["status_date"]
    direct = ((status == request_statuses.CANCELLED_BY_PROVIDER) & _in(day, date_from, date_to)
              & (df["answer_date"].isna() | (df["answer_date"] >= day)))
    lingering = ((status == request_statuses.IN_PROGRESS) & ~c["closed_elsewhere"]
                 & ((pd.Timestamp(date_to) - day).dt.days > settings.lingering_days))
    details = {"direct_cancellations": _ids(df.loc[direct, "id"]), "lingering": _ids(df.loc[lingering, "id"]),
               "status_dates": {str(i): d.date() for i, d in zip(df.loc[direct | lingering, "id"],
                                                               df.loc[direct | lingering, "status_date"])}}
    misuses = _ids(df.loc[direct | lingering, "id"])
    return Verdict("statuses", SHORTCOMING if len(misuses) > settings.statuses_max else IN_ORDER, misuses, None,
                   details)


def is_covered(approval_date: date, start: date, vacancy: Vacancy, window_days: int) -> bool:
    """R11 vacancies: a vacancy covers an approval when gemeld_op <= the approval date, vanaf <= start + window and
    (no tot or tot >= start - window), whatever its places, weekdays or closing."""
    window = timedelta(days=window_days)
    return (vacancy.gemeld_op <= approval_date and vacancy.vanaf <= start + window
            and (vacancy.tot is None or vacancy.tot >= start - window))


def vacancies(requests: pd.DataFrame, provider_vacancies: Iterable[Vacancy], date_from: date, date_to: date,
              settings: Settings = DEFAULTS) -> Verdict:
    """R11 vacancies (further): every free place is reported to the loket (R7).

    The approvals: requests whose current status is `goedgekeurd` with status date in [F, T]; start = the desired
    start date, else the approval date. An approval is uncovered when no vacancy of its provider covers it
    (is_covered, vacancy_window_days). More than unreported_max uncovered: shortcoming. Evidence: the uncovered ids.
    A vacancy counts for a request of the same provider_id (when the frame has no provider_id, every vacancy given).
    """
    check_period(date_from, date_to)
    df = _requests(requests)
    places = list(provider_vacancies)
    approved = df[(df["status"] == request_statuses.APPROVED) & _in(df["status_date"], date_from, date_to)]
    uncovered, facts = [], []
    for row in approved.itertuples(index=False):
        approval = row.status_date.date()
        start = approval if pd.isna(row.desired_start) else row.desired_start.date()
        own = [v for v in places if row.provider_id is None or v.provider_id == row.provider_id]
        if not any(is_covered(approval, start, v, settings.vacancy_window_days) for v in own):
            uncovered.append(row.id)
            facts.append({"id": str(row.id), "approved_on": approval, "start": start})
    details = {"approvals": len(approved), "uncovered": len(uncovered),
               "uncovered_requests": sorted(facts, key=lambda r: r["id"])}
    verdict = SHORTCOMING if len(uncovered) > settings.unreported_max else IN_ORDER
    return Verdict("vacancies", verdict, _ids(uncovered), None, details)


def agreement(signed_on: Iterable[date], date_from: date, date_to: date, settings: Settings = DEFAULTS) -> Verdict:
    """R11 agreement (further), R10: signed on or before T -> in_order; else (never, or only after T) shortcoming.
    signed_on: the dates of the provider's signatures. Evidence []."""
    check_period(date_from, date_to)
    signed = [day for day in signed_on if day is not None and day <= date_to]
    details = {"signed_on": max(signed) if signed else None}
    return Verdict("agreement", IN_ORDER if signed else SHORTCOMING, [], None, details)


def advice(verdicts) -> tuple[bool, bool]:
    """R9/R11: (negative_advice, zero_score), the derived values: some minimum obligation is a shortcoming / some
    further agreement is. verdicts: Verdict objects, or a mapping whose values are. Unknown is never a shortcoming."""
    found = list(verdicts.values()) if isinstance(verdicts, Mapping) else list(verdicts)
    negative = any(v.is_shortcoming and v.category == MINIMUM for v in found)
    zero = any(v.is_shortcoming and v.category == FURTHER for v in found)
    return negative, zero


# --- one provider whole -----------------------------------------------------------------------------------------

def provider_verdicts(provider_id: str, subsidy_level, requests: pd.DataFrame, checks, meetings, signed_on,
                      provider_vacancies, date_from: date, date_to: date, settings: Settings = DEFAULTS,
                      first_approvals: Mapping[str, date] | None = None) -> dict[str, Verdict]:
    """Every obligation of one provider, in OBLIGATIONS order. requests, checks, signed_on and provider_vacancies
    are that provider's; meetings are all LOK meetings; first_approvals as for answering (R3, every provider)."""
    check_period(date_from, date_to)
    return {
        "answering": answering(requests, date_from, date_to, settings, first_approvals),
        "infopagina": infopagina(checks, date_from, date_to, settings),
        "local_policy": local_policy(provider_id, meetings, date_from, date_to, settings),
        "plus_share": plus_share(subsidy_level, requests, date_from, date_to, settings),
        "statuses": statuses(requests, date_from, date_to, settings, first_approvals),
        "vacancies": vacancies(requests, provider_vacancies, date_from, date_to, settings),
        "agreement": agreement(signed_on, date_from, date_to, settings),
    }


def contract_entry(verdicts: Mapping[str, Verdict]) -> dict:
    """One provider's object in the compliance contract: each obligation, then the two derived advice keys."""
    entry = {name: verdicts[name].contract() for name in OBLIGATIONS}
    entry["negative_advice"], entry["zero_score"] = advice(verdicts)
    return entry
