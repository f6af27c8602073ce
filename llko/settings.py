"""The loket's settings (DESIGN.md "Settings"): every number another loket could set differently, with Ninove's
values as defaults. Read through load(); changed through save() (validated, audited, one transaction).

Only the keys below are settings; the same table also holds internal values (the demo flag, the demo
accounts), which are never listed or changed here.
"""

import re
from dataclasses import dataclass, fields, replace

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from llko import audit, dutch
from llko.db import retry_when_busy, set_setting, transaction


@dataclass(frozen=True)
class Settings:
    municipality: str = "Ninove"
    deadline_days: int = 14
    due_soon_days: int = 3
    answering_min_share: float = 0.90
    infopagina_max_age_days: int = 365
    plus_min_share: float = 0.30
    plus_min_children: int = 5
    statuses_max: int = 2
    lingering_days: int = 60
    unreported_max: int = 2
    vacancy_window_days: int = 30
    vacancy_stale_days: int = 28
    status_stale_days: int = 14
    reminder_max: int = 2
    reminder_interval_days: int = 7
    notify_tries_max: int = 3
    coverage_norm: float = 33.0


DEFAULTS = Settings()
KEYS = tuple(f.name for f in fields(Settings))

# What each setting means, in the words of the Instellingen page and `python -m llko settings`.
DESCRIPTIONS = {
    "municipality": "Naam van de gemeente (titels, brieven, rapporten)",
    "deadline_days": "Termijn om een aanvraag te beantwoorden, in kalenderdagen (R2)",
    "due_soon_days": "‘Termijn loopt af’: zoveel dagen of minder voor de termijn (R2)",
    "answering_min_share": "Minimaal aandeel tijdig beantwoord (R11 beantwoorden)",
    "infopagina_max_age_days": "Hoe oud de laatste controle van de infopagina mag zijn, in dagen (R11)",
    "plus_min_share": "Minimaal aandeel kinderen uit kwetsbare gezinnen bij plussubsidie (R8)",
    "plus_min_children": "Minimaal aantal kinderen om het aandeel van R8 te beoordelen",
    "statuses_max": "Toegelaten aantal verkeerd gebruikte statussen (R11 statussen)",
    "lingering_days": "Na zoveel dagen ‘in behandeling’ telt een aanvraag als blijven hangen (R11)",
    "unreported_max": "Toegelaten aantal goedkeuringen zonder gemelde vrije plaats (R11)",
    "vacancy_window_days": "Venster rond de startdatum bij vrije plaatsen, in dagen (R11, R12)",
    "vacancy_stale_days": "Een vrije plaats die zo lang niet bevestigd werd, wordt gemarkeerd (dagen)",
    "status_stale_days": "Een opvang met open aanvragen waarvan geen status zo lang bewoog, wordt gemarkeerd (dagen)",
    "reminder_max": "Hoe vaak een herinnering per mail eenzelfde aanvraag hoogstens noemt (R13)",
    "reminder_interval_days": "Minstens zoveel dagen tussen twee herinneringen die eenzelfde aanvraag noemen (R13)",
    "notify_tries_max": "Hoe vaak een mail die niet verstuurd kon worden hoogstens geprobeerd wordt (R13)",
    "coverage_norm": "Norm voor plaatsen per 100 kinderen onder 3, als lijn op Beleid (de Vlaamse doelstelling 50 "
                     "staat ernaast)",
}


# Their names as the Instellingen page and its messages say them (the keys are for the command line and the code).
LABELS = {
    "municipality": "Gemeente",
    "deadline_days": "Antwoordtermijn (dagen)",
    "due_soon_days": "‘Termijn loopt af’ (dagen)",
    "answering_min_share": "Minimum tijdig beantwoord",
    "infopagina_max_age_days": "Maximale ouderdom infopagina-controle (dagen)",
    "plus_min_share": "Minimum kinderen uit kwetsbare gezinnen (plussubsidie)",
    "plus_min_children": "Minimum aantal kinderen voor het plus-aandeel",
    "statuses_max": "Toegelaten verkeerd gebruikte statussen",
    "lingering_days": "Blijven hangen ‘in behandeling’ na (dagen)",
    "unreported_max": "Toegelaten goedkeuringen zonder gemelde plaats",
    "vacancy_window_days": "Venster rond de startdatum (dagen)",
    "vacancy_stale_days": "Vrije plaats niet bevestigd na (dagen)",
    "status_stale_days": "Open aanvragen zonder beweging na (dagen)",
    "reminder_max": "Herinneringen per aanvraag (hoogstens)",
    "reminder_interval_days": "Dagen tussen twee herinneringen",
    "notify_tries_max": "Pogingen per mail (hoogstens)",
    "coverage_norm": "Norm plaatsen per 100 kinderen onder 3",
}
_LONGEST = 12  # characters a number may have: more is a typo (and Python refuses to read 4,300 digits)


def kind(key: str) -> str:
    """'text', 'days' (a whole number >= 1), 'count' (a whole number >= 0), 'share' (0 to 1) or 'number' (> 0)."""
    if key == "municipality":
        return "text"
    if key == "coverage_norm":
        return "number"
    if key.endswith("_days"):
        return "days"
    if key.endswith("_share"):
        return "share"
    return "count"


_WHOLE = re.compile(r"^[0-9]+$")
MAX_DAYS = 3650  # ten years: any longer period is a typo (and would push dates out of range)
MAX_COUNT = 100_000
_NUMBER = re.compile(r"^[0-9]+([.,][0-9]+)?$")
_SHARE = re.compile(r"^(0|1)?([.,][0-9]+)?$")
_PERCENT = re.compile(r"^([0-9]+([.,][0-9]+)?)\s*%$")


def parse(key: str, raw: str):
    """The value of a setting from what a user typed; ValueError with a Dutch message when it is not acceptable.

    A share as 0.9, 0,9 or 90% (a bare 90 is refused); *_days a whole number >= 1; counts a whole number >= 0.
    """
    if key not in KEYS:
        raise ValueError(f"Onbekende instelling '{key}'. Kies uit: {', '.join(KEYS)}.")
    value = str(raw).strip()
    what, label = kind(key), LABELS[key]
    if what == "text":
        if not value or len(value) > 100:
            raise ValueError(f"{label}: vul een naam in van hoogstens 100 tekens.")
        return value
    if len(value) > _LONGEST:
        raise ValueError(f"{label}: '{value[:_LONGEST]}…' is te lang voor een getal ({dutch.whole(len(value))} "
                         "tekens).")
    if what in ("days", "count"):
        lowest, highest = (1, MAX_DAYS) if what == "days" else (0, MAX_COUNT)
        if not _WHOLE.match(value) or not lowest <= int(value) <= highest:
            raise ValueError(f"{label}: '{value}' is geen geheel getal van {lowest} tot {dutch.whole(highest)}.")
        return int(value)
    if what == "number":
        if not _NUMBER.match(value) or not 0 < float(value.replace(",", ".")) <= MAX_COUNT:
            raise ValueError(f"{label}: '{value}' is geen getal groter dan 0 (bv. 33 of 33,5).")
        return float(value.replace(",", "."))
    percent = _PERCENT.match(value)
    if percent:
        share = float(percent.group(1).replace(",", ".")) / 100
    elif _SHARE.match(value) and any(c.isdigit() for c in value):
        share = float(value.replace(",", "."))
    else:
        raise ValueError(f"{label}: '{value}' is geen aandeel; schrijf 0,9 of 0.9 of 90%.")
    if not 0 <= share <= 1:
        raise ValueError(f"{label}: '{value}' ligt niet tussen 0 en 100%.")
    return share


def show(key: str, value) -> str:
    """A setting's value as a Dutch reader writes it (0,9 -> 90%)."""
    if kind(key) == "share":
        return f"{value * 100:g}%".replace(".", ",")
    if kind(key) == "number":
        return f"{value:g}".replace(".", ",")
    return str(value)


def _stored(conn: Connection) -> dict[str, str]:
    rows = conn.execute(text("SELECT key, value FROM settings")).all()
    return {k: v for k, v in rows if k in KEYS}


def load_from(conn: Connection) -> Settings:
    """The settings in force, read on an open connection (inside a caller's transaction)."""
    values = {}
    for key, raw in _stored(conn).items():
        try:
            values[key] = parse(key, raw)
        except ValueError:  # a value written by hand in the table: the default holds
            continue
    return replace(DEFAULTS, **values)


def load(engine: Engine) -> Settings:
    """The settings in force: the stored values over the defaults."""
    with engine.connect() as conn:
        return load_from(conn)


@retry_when_busy
def save(engine: Engine, actor: str, key: str, raw: str, then=None):
    """Validate and store one setting in one transaction with its audit entry; returns the new value.

    then(conn, settings): runs in the same transaction with the new settings (to rebuild what depends on them).
    Raises ValueError (Dutch) and changes nothing when the key or value is not acceptable.
    """
    value = parse(key, raw)
    with transaction(engine) as session:
        conn = session.connection()
        old = getattr(load_from(conn), key)
        set_setting(session, key, str(value))
        session.flush()
        audit.record(session, actor, "setting_changed", key=key, old=show(key, old), new=show(key, value))
        if then is not None:
            then(conn, load_from(conn))
    return value
