"""Advice rounds (R9): advice is given for a decision, not for "the last 365 days". A round has a name, a kind
(`subsidie`: the city's yearly subsidy, minimum obligations only; `uitbreidingsronde`: both advices), a period and a
state. Open, its standing is R11 over its period, live, with the overrides made in it; fixed (`vastleggen`), it keeps
the verdicts, evidence, shares, derived advice, overrides and settings of that moment, whatever is imported or
changed later, until it is reopened with a motivation. Every change is one transaction with its audit line."""

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import audit, settings as settings_store
from llko.compliance import evidence, ladder, queries, rules
from llko.compliance.models import AdviceRound
from llko.db import retry_when_busy, transaction
from llko.settings import Settings
from llko.refusals import Refused

KINDS = {"subsidie": "subsidie van de stad", "uitbreidingsronde": "uitbreidingsronde"}
OPEN, FIXED = "open", "vastgelegd"
STATE_LABELS = {OPEN: "open", FIXED: "vastgelegd"}
NAME_MAX = 100


class RoundRefused(Refused):
    """Not acceptable: {field: Dutch message naming the field}; nothing was written."""


@dataclass(frozen=True)
class Round:
    id: int
    name: str
    kind: str
    date_from: date
    date_to: date
    state: str
    fixed_on: date | None
    fixed_by: str | None

    @property
    def is_fixed(self) -> bool:
        return self.state == FIXED

    @property
    def label(self) -> str:
        """'Subsidie 2027 (01/01/2026 – 31/12/2026, vastgelegd)'."""
        return (f"{self.name} ({self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y}, "
                f"{STATE_LABELS.get(self.state, self.state)})")


@dataclass(frozen=True)
class Standing:
    """What a round says: every provider's verdicts, the overrides in force, and the settings they were judged by."""

    verdicts: dict[str, dict[str, rules.Verdict]]
    overrides: dict[str, dict[str, evidence.Override]]
    settings: Settings


def _round(row: AdviceRound) -> Round:
    return Round(row.id, row.name, row.kind, row.period_from, row.period_to, row.state, row.fixed_on, row.fixed_by)


def all_rounds(engine: Engine) -> list[Round]:
    """Every round, the most recent period first."""
    with Session(engine) as session:
        found = session.execute(select(AdviceRound).order_by(AdviceRound.period_to.desc(),
                                                             AdviceRound.id.desc())).scalars()
        return [_round(r) for r in found]


def by_name(engine: Engine, name: str) -> Round | None:
    with Session(engine) as session:
        row = session.execute(select(AdviceRound).where(AdviceRound.name == name.strip())).scalars().first()
        return _round(row) if row else None


def by_id(engine: Engine, round_id: int) -> Round | None:
    with Session(engine) as session:
        row = session.get(AdviceRound, round_id)
        return _round(row) if row else None


def default(rounds: list[Round]) -> Round | None:
    """The round a page opens on: the most recent open one, else the most recent (rounds as all_rounds gives)."""
    return next((r for r in rounds if not r.is_fixed), rounds[0] if rounds else None)


# --- changes ---------------------------------------------------------------------------------------------------

@retry_when_busy
def create(engine: Engine, actor: str, name: str, kind: str, date_from: date | None, date_to: date | None) -> int:
    """A new, open advice round. Returns its id."""
    name = (name or "").strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Naam: geef de ronde een naam, bv. ‘Subsidie 2027’ of ‘Uitbreidingsronde 2027’."
    elif len(name) > NAME_MAX:
        problems["name"] = f"Naam: hoogstens {NAME_MAX} tekens."
    elif by_name(engine, name) is not None:
        problems["name"] = f"Naam: er is al een ronde ‘{name}’; kies een andere naam."
    if kind not in KINDS:
        problems["kind"] = "Soort: kies subsidie van de stad of uitbreidingsronde."
    if date_from is None or date_to is None:
        problems["period"] = "Periode: kies het begin en het einde van de periode."
    else:
        try:
            rules.check_period(date_from, date_to)
        except ValueError as exc:  # the rule's message names the period
            problems["period"] = str(exc)
    if problems:
        raise RoundRefused(problems)
    with transaction(engine) as session:
        row = AdviceRound(name=name, kind=kind, period_from=date_from, period_to=date_to, created_by=actor)
        session.add(row)
        session.flush()
        audit.record(session, actor, "advice_round_created", ronde=name, soort=KINDS[kind],
                     periode=f"{date_from:%d/%m/%Y} – {date_to:%d/%m/%Y}")
        return row.id


@retry_when_busy
def fix(engine: Engine, actor: str, round_id: int, today: date) -> None:
    """Fix (`vastleggen`) an open round: its standing now is what it shows from here on."""
    current = by_id(engine, round_id)
    if current is None:
        raise RoundRefused({"round": "Deze adviesronde bestaat niet."})
    if current.is_fixed:
        raise RoundRefused({"round": f"De ronde ‘{current.name}’ is al vastgelegd."})
    snapshot = json.dumps(_encode(_live(engine, current)), ensure_ascii=False)
    with transaction(engine) as session:
        row = session.get(AdviceRound, round_id, with_for_update=True)
        if row.state != OPEN:
            raise RoundRefused({"round": f"De ronde ‘{row.name}’ is al vastgelegd."})
        row.state, row.fixed_on, row.fixed_by, row.snapshot = FIXED, today, actor, snapshot
        audit.record(session, actor, "advice_round_fixed", ronde=row.name, op=today)


@retry_when_busy
def reopen(engine: Engine, actor: str, round_id: int, motivation: str) -> None:
    """Reopen a fixed round, with a written motivation: it is live again (its overrides stay)."""
    motivation = (motivation or "").strip()
    problems = {}
    if len(motivation) < ladder.MOTIVATION_MIN:
        problems["motivation"] = (f"Motivering: schrijf waarom de ronde heropend wordt (minstens "
                                  f"{ladder.MOTIVATION_MIN} tekens).")
    current = by_id(engine, round_id)
    if current is None:
        problems["round"] = "Deze adviesronde bestaat niet."
    elif not current.is_fixed:
        problems["round"] = f"De ronde ‘{current.name}’ is niet vastgelegd; er is niets te heropenen."
    if problems:
        raise RoundRefused(problems)
    with transaction(engine) as session:
        row = session.get(AdviceRound, round_id, with_for_update=True)
        row.state, row.fixed_on, row.fixed_by, row.snapshot = OPEN, None, None, None
        audit.record(session, actor, "advice_round_reopened", ronde=row.name, motivering=motivation)


# --- what a round says -----------------------------------------------------------------------------------------

def _live(engine: Engine, current: Round) -> Standing:
    config = settings_store.load(engine)
    return Standing(queries.verdicts(engine, current.date_from, current.date_to, config),
                    queries.overrides_of_round(engine, current.id), config)


def standing(engine: Engine, current: Round) -> Standing:
    """The round's verdicts, overrides and settings: the snapshot of a fixed round, else live."""
    if not current.is_fixed:
        return _live(engine, current)
    with Session(engine) as session:
        snapshot = session.get(AdviceRound, current.id).snapshot
    return _decode(json.loads(snapshot))


def contract(current: Round, found: Standing) -> dict:
    """The round in the compliance contract, with `<key>_override` {value, motivation, by, at} where one exists."""
    providers = {}
    for pid in sorted(found.verdicts):
        entry = rules.contract_entry(found.verdicts[pid])
        for key, override in found.overrides.get(pid, {}).items():
            entry[f"{key}_override"] = {"value": override.value, "motivation": override.motivation,
                                        "by": override.by, "at": override.at.isoformat(timespec="seconds")}
        providers[pid] = entry
    return {"from": current.date_from.isoformat(), "to": current.date_to.isoformat(), "providers": providers}


# --- the snapshot as JSON: dates and moments tagged, so they come back as they were ----------------------------

def _plain(value):
    if isinstance(value, datetime):
        return {"$moment": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _typed(value):
    if isinstance(value, dict):
        if set(value) == {"$moment"}:
            return datetime.fromisoformat(value["$moment"])
        if set(value) == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def _encode(found: Standing) -> dict:
    return {"verdicts": {pid: {o: _plain({"verdict": v.verdict, "evidence": v.evidence, "share": v.share,
                                          "details": v.details}) for o, v in by_obligation.items()}
                         for pid, by_obligation in found.verdicts.items()},
            "overrides": {pid: {key: _plain(asdict(o)) for key, o in by_key.items()}
                          for pid, by_key in found.overrides.items()},
            "settings": asdict(found.settings)}


def _decode(data: dict) -> Standing:
    verdicts = {pid: {o: rules.Verdict(o, v["verdict"], list(v["evidence"]), v["share"], _typed(v["details"]))
                      for o, v in by_obligation.items()} for pid, by_obligation in data["verdicts"].items()}
    overrides = {pid: {key: evidence.Override(**_typed(o)) for key, o in by_key.items()}
                 for pid, by_key in data["overrides"].items()}
    known = {f.name for f in fields(Settings)}
    config = Settings(**{k: v for k, v in data["settings"].items() if k in known})
    return Standing(verdicts, overrides, config)
