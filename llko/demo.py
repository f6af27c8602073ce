"""A demo town: realistic, deterministic providers and requests for Ninove, for demos and tests.

Every date is relative to `today`; the same seed and today always give the same town. The town is
generated as plain rows first (generate_town), then written in one transaction (build_demo_town).

Most providers behave: they answer within the 14 days, say "opvangplan niet mogelijk" when they have no place
and close the files of silent parents after the reminder (R4), so a request rarely lingers "in behandeling". A
few tell the stories a coordinator needs to show (R11 over the year before `today`), each known by its name:
MODEL_PROVIDER is in order on every count; LATE_ANSWERER answers chronically late (answering) but otherwise
behaves; LETS_LIE_PROVIDER lets requests lie unanswered (answering), leaves files "in behandeling" for months
(statuses) and has not signed the agreement; CANCELLER cancels a request it cannot serve instead of answering "opvangplan niet mogelijk" (statuses: direct
cancellations, which hide a shortage from Opgroeien's figures); BELOW_PLUS_SHARE, at subsidietrap 3 in the
registers demo, turns vulnerable families away more often and stays under 30% of them (plus_share);
ALWAYS_FULL_PROVIDER has hardly ever a place (the unmet need). The registers demo (llko.registers.demo) adds the
provider that never reports a free place, the infopagina gaps, the unsigned agreements and the LOK.

The history starts on 1 January two years before today's year, so trends and last year's report show something real.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from llko import audit
from llko.requests import rules, statuses
from llko.db import set_setting, transaction
from llko.providers.models import Provider
from llko.requests.models import Request, StatusChange
from llko.requests.sql_rules import refresh_summary

HISTORY_YEARS = 2  # requests go back to 1 January this many years before today's: two full calendar years, at least
CHILDREN_PER_DAY = 2.4  # families that start looking, per day (about 440 in half a year)
REQUESTS_PER_CHILD = ((1, 0.20), (2, 0.30), (3, 0.30), (4, 0.20))  # providers a child asks at once
DAYS_PER_WEEK = ((5, 0.30), (4, 0.30), (3, 0.20), (2.5, 0.08), (2, 0.12))
VULNERABLE_SHARE = 0.25
VULNERABLE_UNKNOWN_SHARE = 0.03
WALK_IN_SHARE = 0.05  # single requests registered and approved the same day (parents at the door)
EARLY_PARENT_CANCEL_SHARE = 0.06  # parents withdraw a request before the provider is done with it
WITHDRAWN_AFTER_APPROVAL_SHARE = 0.35  # R3: the other requests the parents withdraw themselves

# What follows 'in behandeling': (chance, outcome); the rest of the chance: silent parents (R4).
AFTER_IN_PROGRESS = ((0.55, statuses.APPROVED), (0.13, statuses.CANCELLED_BY_PARENT), (0.10, statuses.NOT_POSSIBLE))


@dataclass(frozen=True)
class Profile:
    """How a provider behaves on Opvang.Vlaanderen."""

    weight: float  # relative share of the town's requests it gets
    delay: tuple[int, int, int]  # days from received to the answer: (low, high, mode), triangular
    ack: float  # chance it first sets 'vraag ontvangen'
    silent: float  # chance it never answers
    no_place: float  # chance the answer is 'opvangplan niet mogelijk'
    closes_silent: float  # chance it closes a file of silent parents after the reminder (R4)
    cancels: float = 0.002  # chance it cancels a request instead of answering (a request outside its offer)
    no_place_vulnerable: float | None = None  # no_place for a family flagged vulnerable (None: the same)


MODEL = Profile(weight=1.75, delay=(1, 8, 2), ack=0.3, silent=0.0, no_place=0.35, closes_silent=1.0, cancels=0.0)
FAST = Profile(weight=1.4, delay=(1, 13, 3), ack=0.25, silent=0.01, no_place=0.35, closes_silent=0.98)
LATE = Profile(weight=1.2, delay=(4, 32, 14), ack=0.6, silent=0.07, no_place=0.4, closes_silent=0.95)
LETS_LIE = Profile(weight=1.1, delay=(3, 40, 14), ack=0.35, silent=0.45, no_place=0.4, closes_silent=0.15)
ALWAYS_FULL = Profile(weight=1.2, delay=(1, 10, 2), ack=0.1, silent=0.01, no_place=0.92, closes_silent=0.98)
CANCELS = Profile(weight=1.1, delay=(1, 12, 4), ack=0.3, silent=0.01, no_place=0.05, closes_silent=0.9, cancels=0.2)
FEW_VULNERABLE = Profile(weight=1.4, delay=(1, 13, 3), ack=0.25, silent=0.01, no_place=0.3, closes_silent=0.98,
                         no_place_vulnerable=0.5)
HOME_FAST = Profile(weight=0.35, delay=(1, 10, 2), ack=0.2, silent=0.01, no_place=0.3, closes_silent=0.98)
HOME_SLOW = Profile(weight=0.35, delay=(2, 12, 6), ack=0.5, silent=0.01, no_place=0.35, closes_silent=0.95)

# The providers with a story of their own (see the module docstring).
MODEL_PROVIDER = "Kinderdagverblijf 't Kapoentje (Ninove)"
LATE_ANSWERER = "Kinderopvang Het Molentje (Meerbeke)"
LETS_LIE_PROVIDER = "Crèche Pimpampoentje (Outer)"
CANCELLER = "Kinderopvang De Speelvogel (Appelterre-Eichem)"
BELOW_PLUS_SHARE = "Kinderdagverblijf Klavertje Vier (Nederhasselt)"
ALWAYS_FULL_PROVIDER = "Kinderdagverblijf Het Dendernestje (Ninove)"

GROUP, FAMILY = "groepsopvang", "gezinsopvang"
PROVIDERS = (
    (MODEL_PROVIDER, GROUP, MODEL),
    ("Crèche De Zonnebloem (Denderwindeke)", GROUP, FAST),
    (LATE_ANSWERER, GROUP, LATE),
    ("Kinderdagverblijf De Rupsjes (Okegem)", GROUP, FAST),
    (LETS_LIE_PROVIDER, GROUP, LETS_LIE),
    (ALWAYS_FULL_PROVIDER, GROUP, ALWAYS_FULL),
    (CANCELLER, GROUP, CANCELS),
    (BELOW_PLUS_SHARE, GROUP, FEW_VULNERABLE),
    ("Onthaalouder Sarah Van den Bossche (Okegem)", FAMILY, HOME_FAST),
    ("Onthaalouder Els De Smet (Aspelare)", FAMILY, HOME_FAST),
    ("Onthaalouder Nathalie Van Impe (Voorde)", FAMILY, HOME_SLOW),
    ("Onthaalouder Lien Roelandt (Pollare)", FAMILY, HOME_FAST),
    ("Onthaalouder Katrien Meganck (Lieferinge)", FAMILY, HOME_SLOW),
    ("Onthaalouder Ann Vanderhaeghen (Neigem)", FAMILY, HOME_FAST),
    ("Onthaalouder Griet D'Hondt (Ninove)", FAMILY, HOME_FAST),
)

Path = list[tuple[str, date]]  # (status, date) in strictly increasing date order


@dataclass
class Child:
    """A family looking for childcare, and the providers it asks."""

    id: str
    start: date  # the day the family starts looking
    vulnerable: bool | None
    days_per_week: float
    desired_start: date
    provider_ids: list[str]


@dataclass
class Town:
    """The demo town as rows ready to insert."""

    providers: list[dict]
    requests: list[dict]
    history: list[dict]

    def counts(self) -> dict:
        return {
            "providers": len(self.providers),
            "requests": len(self.requests),
            "children": len({r["child_id"] for r in self.requests}),
            "status_changes": len(self.history),
        }


# --- dates ---------------------------------------------------------------------------------------

def _workday(day: date) -> date:
    """The day itself, or the Monday after when it falls in a weekend (providers work on weekdays)."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _step(path: Path, status: str, day: date, workday: bool = True) -> None:
    """Append a status on `day`, or later when needed to stay after the previous step."""
    day = max(day, path[-1][1] + timedelta(days=1))
    path.append((status, _workday(day) if workday else day))


def _cut(path: Path, day: date, status: str | None = None) -> Path:
    """The path before `day`; when it is still open then, close it with `status` on `day` (if given)."""
    kept = [(s, d) for s, d in path if d < day]
    if status and kept and kept[-1][0] in statuses.OPEN:
        kept.append((status, day))
    return kept


def _weighted(rng: random.Random, options) -> object:
    values, weights = zip(*options)
    return rng.choices(values, weights=weights)[0]


# --- providers and children ----------------------------------------------------------------------

def _providers(rng: random.Random) -> tuple[list[dict], dict[str, Profile]]:
    """The provider rows and each provider's behaviour profile, keyed by dossiernummer."""
    numbers = rng.sample(range(100000, 999999), len(PROVIDERS))
    rows, profiles = [], {}
    for number, (name, kind, profile) in zip(numbers, PROVIDERS):
        provider_id = f"KO-{number}"
        rows.append({"id": provider_id, "name": name, "kind": kind})
        profiles[provider_id] = profile
    return rows, profiles


def _pick_providers(rng: random.Random, profiles: dict[str, Profile], k: int) -> list[str]:
    """k different providers, the popular ones more often (weighted sampling without replacement)."""
    keys = sorted(profiles, key=lambda p: rng.random() ** (1 / profiles[p].weight), reverse=True)
    return keys[:k]


def _child_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        child_id = f"K-{rng.getrandbits(24):06X}"
        if child_id not in taken:
            taken.add(child_id)
            return child_id


def _desired_start(rng: random.Random, received: date) -> date:
    """1 to 9 months after the request; half of the parents pick the first of the next month."""
    day = received + timedelta(days=rng.randint(35, 240))
    if rng.random() < 0.5:
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return day


def _vulnerable(rng: random.Random) -> bool | None:
    r = rng.random()
    return None if r < VULNERABLE_UNKNOWN_SHARE else r < VULNERABLE_UNKNOWN_SHARE + VULNERABLE_SHARE


def first_day(today: date) -> date:
    """The first day of the demo town's history."""
    return date(today.year - HISTORY_YEARS, 1, 1)


def _children(rng: random.Random, profiles: dict[str, Profile], today: date) -> list[Child]:
    taken: set[str] = set()
    children = []
    days = (today - first_day(today)).days
    for _ in range(round(days * CHILDREN_PER_DAY)):
        start = today - timedelta(days=rng.randint(0, days))
        if start.weekday() >= 5 and rng.random() < 0.5:  # fewer registrations in the weekend
            start = min(_workday(start), today)
        children.append(Child(
            id=_child_id(rng, taken),
            start=start,
            vulnerable=_vulnerable(rng),
            days_per_week=_weighted(rng, DAYS_PER_WEEK),
            desired_start=_desired_start(rng, start),
            provider_ids=_pick_providers(rng, profiles, _weighted(rng, REQUESTS_PER_CHILD)),
        ))
    return children


# --- one request's story -------------------------------------------------------------------------

def _after_in_progress(rng: random.Random, profile: Profile, path: Path) -> None:
    """What happens once the parents are invited: approval, withdrawal, no plan, or silence (R4)."""
    since = path[-1][1]
    r = rng.random()
    for chance, outcome in AFTER_IN_PROGRESS:
        if r < chance:
            break
        r -= chance
    else:  # silent parents: reminder after a month, closed a week later if the provider bothers, else much later
        if rng.random() < profile.closes_silent:
            late = rng.randint(0, 14)  # at most two weeks after the day it should: not lingering yet (R11)
        else:
            late = rng.randint(90, 400)  # lingers for months (R11 statuses), until a clean-up of old files
        _step(path, statuses.CANCELLED_BY_PROVIDER, rules.close_day(since) + timedelta(days=late))
        return
    if outcome == statuses.APPROVED:
        _step(path, statuses.APPROVED, since + timedelta(days=round(rng.triangular(3, 45, 12))))
    elif outcome == statuses.CANCELLED_BY_PARENT:
        _step(path, statuses.CANCELLED_BY_PARENT, since + timedelta(days=rng.randint(3, 40)), workday=False)
    else:
        _step(path, statuses.NOT_POSSIBLE, since + timedelta(days=rng.randint(5, 30)))


def _provider_path(rng: random.Random, profile: Profile, received: date, vulnerable: bool | None) -> Path:
    """The full story of a request at one provider, not yet cut off at today."""
    path: Path = [(statuses.NEW, received)]
    answer_day = received + timedelta(days=max(1, round(rng.triangular(*profile.delay))))
    if rng.random() < profile.ack:
        _step(path, statuses.RECEIVED, received + timedelta(days=rng.randint(1, 3)))
    if rng.random() < profile.silent:
        return path
    no_place = profile.no_place
    if vulnerable and profile.no_place_vulnerable is not None:
        no_place = profile.no_place_vulnerable
    r = rng.random()
    if r < no_place:
        _step(path, statuses.NOT_POSSIBLE, answer_day)
    elif r < no_place + profile.cancels:
        _step(path, statuses.CANCELLED_BY_PROVIDER, answer_day)
    else:
        _step(path, statuses.IN_PROGRESS, answer_day)
        _after_in_progress(rng, profile, path)
    return path


def _request_path(rng: random.Random, profile: Profile, received: date, walk_in: bool, today: date,
                  vulnerable: bool | None = None) -> Path:
    """The story of one request as known on `today`."""
    if walk_in:
        return [(statuses.APPROVED, received)]
    path = _provider_path(rng, profile, received, vulnerable)
    if rng.random() < EARLY_PARENT_CANCEL_SHARE:
        path = _cut(path, received + timedelta(days=rng.randint(2, 50)), statuses.CANCELLED_BY_PARENT)
    return [(s, d) for s, d in path if d <= today]


def _close_after_approval(rng: random.Random, paths: list[Path]) -> None:
    """R3: the first approval closes the child's other requests; the export mostly still shows them open."""
    approvals = [d for path in paths for s, d in path if s == statuses.APPROVED]
    if not approvals:
        return
    day = min(approvals)
    winner = next(i for i, path in enumerate(paths) if path[-1] == (statuses.APPROVED, day))
    for i, path in enumerate(paths):
        if i != winner and path[-1][1] >= day:
            withdrawn = rng.random() < WITHDRAWN_AFTER_APPROVAL_SHARE
            paths[i] = _cut(path, day, statuses.CANCELLED_BY_PARENT if withdrawn else None)


# --- rows ----------------------------------------------------------------------------------------

def _request_row(request_id: str, child: Child, provider_id: str, received: date, path: Path, today: date) -> dict:
    status, status_date = path[-1]
    return {
        "id": request_id,
        "child_id": child.id,
        "provider_id": provider_id,
        "received": received,
        "desired_start": child.desired_start,
        "status": status,
        "status_date": status_date,
        "answer_date": rules.first_answer(path),  # R2
        "answer_date_reported": None,
        "vulnerable": child.vulnerable,
        "days_per_week": child.days_per_week,
        "snapshot_date": today,
        "import_run_id": None,
    }


def _history_rows(request_id: str, path: Path) -> list[dict]:
    """One row per observed status, as if seen by the daily snapshot of that day."""
    return [
        {"request_id": request_id, "status": s, "status_date": d, "snapshot_date": d, "import_run_id": None}
        for s, d in path
    ]


def _child_requests(rng: random.Random, child: Child, profiles: dict[str, Profile], today: date):
    """(provider_id, received, path) of each request of the child; asked at once or within a few days."""
    walk_in = len(child.provider_ids) == 1 and rng.random() < WALK_IN_SHARE
    received = [child.start] + [
        min(child.start + timedelta(days=rng.choice((0, 0, 0, 1, 2, 3))), today) for _ in child.provider_ids[1:]
    ]
    paths = [
        _request_path(rng, profiles[pid], day, walk_in, today, child.vulnerable)
        for pid, day in zip(child.provider_ids, received)
    ]
    _close_after_approval(rng, paths)
    return list(zip(child.provider_ids, received, paths))


def generate_town(today: date, seed: int = 7) -> Town:
    """The demo town as plain rows (no database)."""
    rng = random.Random(seed)
    providers, profiles = _providers(rng)
    stories = [
        (child, provider_id, received, path)
        for child in _children(rng, profiles, today)
        for provider_id, received, path in _child_requests(rng, child, profiles, today)
    ]
    stories.sort(key=lambda story: story[2])  # request numbers follow the order of arrival
    number = rng.randint(100, 900)
    requests, history = [], []
    for child, provider_id, received, path in stories:
        number += rng.randint(1, 3)  # requests of other towns take the numbers in between
        request_id = f"A{received.year}-{number:06d}"
        requests.append(_request_row(request_id, child, provider_id, received, path, today))
        history.extend(_history_rows(request_id, path))
    return Town(providers, requests, history)


def build_demo_town(engine: Engine, today: date, seed: int = 7) -> dict:
    """Fill an empty, migrated database with the demo town in one transaction; return the counts."""
    town = generate_town(today, seed)
    counts = town.counts()
    with transaction(engine) as session:
        if session.execute(select(func.count()).select_from(Provider)).scalar_one():
            raise ValueError("De database bevat al opvanginitiatieven; de demo vraagt een lege database.")
        conn = session.connection()  # Core inserts: the ORM's bulk path is several times slower for these rows
        conn.execute(insert(Provider.__table__), town.providers)
        conn.execute(insert(Request.__table__), town.requests)
        conn.execute(insert(StatusChange.__table__), town.history)
        refresh_summary(conn)
        set_setting(session, "demo", "1")
        audit.record(session, "systeem", "demo_built", **counts)
    return counts
