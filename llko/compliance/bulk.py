"""R11 (compliance verdicts) for every provider at once: the bulk form of llko.compliance.rules.

rules.py stays the reference: it says what each obligation means, one provider at a time, and every reading of
DESIGN.md is made there. This module gives exactly the same Verdict objects (verdict, evidence, share and details,
values and types alike) as calling rules.provider_verdicts on each provider's slice of a rules.prepared() frame,
the loop llko.compliance.queries.verdicts ran, but judges answering, plus_share, statuses and vacancies with
boolean masks and groupby over the whole frame instead of pandas calls per provider. Python runs per provider only
to build the Verdicts, and per row only over the rows that become evidence (late, misused, uncovered). infopagina,
local_policy and agreement are cheap pure Python and are called from rules.py as they are (local_policy with the
meetings in the period read once, see _held).

tests/test_compliance_bulk.py holds the two to each other on random towns, periods and settings.
"""

from datetime import date
from typing import Iterable, Mapping

import pandas as pd

from llko.compliance import rules
from llko.compliance.rules import IN_ORDER, NOT_APPLICABLE, SHORTCOMING, UNKNOWN, Verdict
from llko.requests import statuses as request_statuses
from llko.settings import Settings
from llko.vacancies.rules import Vacancy


def all_verdicts(frame: pd.DataFrame, providers: Iterable[tuple[str, object]], checks: Mapping[str, list],
                 meetings: Iterable, signatures: Mapping[str, list], places: Mapping[str, list[Vacancy]],
                 date_from: date, date_to: date, settings: Settings,
                 approvals: Mapping[str, date]) -> dict[str, dict[str, Verdict]]:
    """Per provider id (in the order of `providers`): its verdicts in OBLIGATIONS order over [F, T].

    frame: rules.prepared(requests, date_to, settings, approvals) over all providers (a frame that is not prepared
    for this T and these settings is prepared here). providers: (provider_id, subsidy_level) pairs; checks,
    signatures and places: per provider id; meetings: every LOK meeting; approvals: child_id -> its earliest
    approval date anywhere (R3). F > T: Dutch ValueError.
    """
    rules.check_period(date_from, date_to)
    if frame.attrs.get("prepared") != rules._mark(date_to, settings):
        frame = rules.prepared(frame, date_to, settings, approvals)
    held = _held(meetings, date_from, date_to)
    providers = list(providers)
    answering = _answering(frame, date_from, date_to, settings)
    plus = _plus_share(frame, [pid for pid, level in providers if rules.is_trap_3(level)], date_from, date_to)
    misuses = _statuses(frame, date_from, date_to, settings)
    unreported = _vacancies(frame, places, date_from, date_to, settings)
    found = {}
    for pid, level in providers:
        found[pid] = {
            "answering": _answering_verdict(*answering.get(pid, (0, [])), settings),
            "infopagina": rules.infopagina(checks.get(pid, []), date_from, date_to, settings),
            "local_policy": rules.local_policy(pid, [(day, (pid,) if pid in present else ()) for day, present in held],
                                               date_from, date_to, settings),
            "plus_share": _plus_share_verdict(rules.is_trap_3(level), *plus.get(pid, (0, 0)), settings),
            "statuses": _statuses_verdict(*misuses.get(pid, ([], [], {})), settings),
            "vacancies": _vacancies_verdict(*unreported.get(pid, (0, [])), settings),
            "agreement": rules.agreement(signatures.get(pid, []), date_from, date_to, settings),
        }
    return found


def _held(meetings: Iterable, date_from: date, date_to: date) -> list[tuple[date, set]]:
    """The LOK meetings in [F, T] as (held_on, the set of attending provider ids), read once. rules.local_policy
    looks at no other meeting and only asks whether its provider attended, so each provider is handed these with
    its own attendance alone: the same verdict without building every meeting's set once per provider."""
    held = []
    for meeting in meetings:
        day, attending = (meeting.held_on, meeting.attending) if hasattr(meeting, "held_on") else meeting
        if date_from <= day <= date_to:
            held.append((day, set(attending)))
    return held


def _days(values: pd.Series) -> list:
    """datetime64 values as the datetime.date each row's .date() gives (None for NaT), converted by numpy at once."""
    return values.to_numpy().astype("datetime64[D]").astype(object).tolist()


# --- answering --------------------------------------------------------------------------------------------------

def _answering(c: pd.DataFrame, date_from: date, date_to: date, settings: Settings) -> dict:
    """rules.answering's counting over every provider: per provider id with requests counted, (counted, the late
    requests as rules._late_requests gives them, in frame order)."""
    in_period = rules._in(c["deadline"], date_from, date_to)
    parents_cancelled = (c["status"] == request_statuses.CANCELLED_BY_PARENT) & (c["status_date"] <= c["deadline"])
    approved_elsewhere = c["closed_elsewhere"] & (c["closed_on"] <= c["deadline"])
    counted = c[in_period & ~(~c["answered"] & (parents_cancelled | approved_elsewhere))]
    found = {pid: (int(n), []) for pid, n in counted.groupby("provider_id", sort=False).size().items()}
    late = counted[~counted["answered_in_time"]]
    for pid, rid, received, deadline, answered in zip(late["provider_id"].tolist(), late["id"].tolist(),
                                                      _days(late["received"]), _days(late["deadline"]),
                                                      _days(late["answer_date"])):
        if pid in found:  # not a blank provider id (no provider's slice holds that)
            found[pid][1].append({"id": str(rid), "received": received, "deadline": deadline, "answered_on": answered,
                                  "days_late": ((answered or date_to) - deadline).days})
    return found


def _answering_verdict(counted: int, late: list[dict], settings: Settings) -> Verdict:
    late = sorted(late, key=lambda r: r["id"])
    details = {"counted": counted, "in_time": counted - len(late), "late": len(late), "late_requests": late}
    if counted == 0:
        return Verdict("answering", IN_ORDER, [], None, details)
    share = (counted - len(late)) / counted
    verdict = SHORTCOMING if rules._below(share, settings.answering_min_share) else IN_ORDER
    return Verdict("answering", verdict, rules._ids(r["id"] for r in late), share, details)


# --- plus_share -------------------------------------------------------------------------------------------------

def _approved(c: pd.DataFrame, date_from: date, date_to: date) -> pd.DataFrame:
    """The requests whose current status is `goedgekeurd` with status date in [F, T]."""
    return c[(c["status"] == request_statuses.APPROVED) & rules._in(c["status_date"], date_from, date_to)]


def _plus_share(c: pd.DataFrame, trap_3: list, date_from: date, date_to: date) -> dict:
    """rules.plus_share's counting for the trap-3 providers: per provider id with children, (children,
    vulnerable)."""
    approved = _approved(c, date_from, date_to)
    approved = approved[approved["provider_id"].isin(trap_3)]
    known = pd.DataFrame({"provider_id": approved["provider_id"], "child_id": approved["child_id"],
                          "vulnerable": approved["vulnerable"].map(rules._vulnerable)})
    known = known[known["vulnerable"].notna()]
    known["vulnerable"] = known["vulnerable"].astype(bool)
    per_child = known.groupby(["provider_id", "child_id"], sort=False)["vulnerable"].any()
    per_provider = per_child.groupby(level="provider_id", sort=False).agg(["size", "sum"])
    return {pid: (int(size), int(vulnerable)) for pid, size, vulnerable in per_provider.itertuples(name=None)}


def _plus_share_verdict(trap_3: bool, children: int, vulnerable: int, settings: Settings) -> Verdict:
    if not trap_3:
        return Verdict("plus_share", NOT_APPLICABLE, [], None, {"children": 0, "vulnerable": 0})
    details = {"children": children, "vulnerable": vulnerable}
    share = vulnerable / children if children else None
    if share is None or children < settings.plus_min_children:
        return Verdict("plus_share", UNKNOWN, [], share, details)
    verdict = SHORTCOMING if rules._below(share, settings.plus_min_share) else IN_ORDER
    return Verdict("plus_share", verdict, [], share, details)


# --- statuses ---------------------------------------------------------------------------------------------------

def _statuses(c: pd.DataFrame, date_from: date, date_to: date, settings: Settings) -> dict:
    """rules.statuses' misuses over every provider: per provider id with one, (direct cancellation ids, lingering
    ids, {id: status date} in frame order)."""
    status, day = c["status"], c["status_date"]
    direct = ((status == request_statuses.CANCELLED_BY_PROVIDER) & rules._in(day, date_from, date_to)
              & (c["answer_date"].isna() | (c["answer_date"] >= day)))
    lingering = ((status == request_statuses.IN_PROGRESS) & ~c["closed_elsewhere"]
                 & ((pd.Timestamp(date_to) - day).dt.days > settings.lingering_days))
    misused = c[direct | lingering]
    found: dict = {}
    for pid, rid, day, is_direct in zip(misused["provider_id"].tolist(), misused["id"].tolist(),
                                        _days(misused["status_date"]), direct[direct | lingering].tolist()):
        if pd.isna(pid):  # a blank provider id: no provider's slice holds it
            continue
        direct_ids, lingering_ids, dates = found.setdefault(pid, ([], [], {}))
        (direct_ids if is_direct else lingering_ids).append(rid)
        dates[str(rid)] = day
    return found


def _statuses_verdict(direct: list, lingering: list, status_dates: dict, settings: Settings) -> Verdict:
    details = {"direct_cancellations": rules._ids(direct), "lingering": rules._ids(lingering),
               "status_dates": status_dates}
    misuses = rules._ids(direct + lingering)
    return Verdict("statuses", SHORTCOMING if len(misuses) > settings.statuses_max else IN_ORDER, misuses, None,
                   details)


# --- vacancies --------------------------------------------------------------------------------------------------

def _vacancies(c: pd.DataFrame, places: Mapping[str, list[Vacancy]], date_from: date, date_to: date,
               settings: Settings) -> dict:
    """rules.vacancies over every provider: each approval merged with the vacancies of its own provider (those in
    places[its provider id] reported by that provider), covered when one of them is (rules.is_covered, as dates).
    Per provider id with approvals: (approvals, the uncovered ones as rules.vacancies' details give them)."""
    approved = _approved(c, date_from, date_to)
    approval = approved["status_date"].dt.normalize()  # rules.vacancies compares days (.date())
    approvals = pd.DataFrame({"provider_id": approved["provider_id"].to_numpy(), "id": approved["id"].to_numpy(),
                              "approval": approval.to_numpy(),
                              "start": approved["desired_start"].dt.normalize().fillna(approval).to_numpy()})
    offered = pd.DataFrame(
        [(pid, v.gemeld_op, v.vanaf, v.tot) for pid, own in places.items() for v in own if v.provider_id == pid],
        columns=["provider_id", "gemeld_op", "vanaf", "tot"])
    for column in ("gemeld_op", "vanaf", "tot"):
        offered[column] = pd.to_datetime(offered[column])
    pairs = approvals.reset_index(names="row").merge(offered, on="provider_id")
    window = pd.Timedelta(days=settings.vacancy_window_days)
    covers = ((pairs["gemeld_op"] <= pairs["approval"]) & (pairs["vanaf"] <= pairs["start"] + window)
              & (pairs["tot"].isna() | (pairs["tot"] >= pairs["start"] - window)))
    uncovered = approvals[~approvals.index.isin(pairs.loc[covers, "row"])]
    found = {pid: (int(n), []) for pid, n in approvals.groupby("provider_id", sort=False).size().items()}
    for pid, rid, day, start in zip(uncovered["provider_id"].tolist(), uncovered["id"].tolist(),
                                    _days(uncovered["approval"]), _days(uncovered["start"])):
        if pid in found:  # not a blank provider id
            found[pid][1].append({"id": str(rid), "approved_on": day, "start": start})
    return found


def _vacancies_verdict(approvals: int, uncovered: list[dict], settings: Settings) -> Verdict:
    details = {"approvals": approvals, "uncovered": len(uncovered),
               "uncovered_requests": sorted(uncovered, key=lambda r: r["id"])}
    verdict = SHORTCOMING if len(uncovered) > settings.unreported_max else IN_ORDER
    return Verdict("vacancies", verdict, rules._ids(r["id"] for r in uncovered), None, details)
