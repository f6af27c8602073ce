"""Rule R6 (the infopagina's minimum content) as pure functions of one provider's checks and a day. No database,
no Streamlit; 'today' is always a parameter."""

from dataclasses import dataclass
from datetime import date

ITEMS = ("openingsuren", "openingsdagen", "contact", "foto_logo", "tarief")
ITEM_LABELS = {
    "openingsuren": "openingsuren",
    "openingsdagen": "openingsdagen",
    "contact": "contactgegevens",
    "foto_logo": "foto of logo",
    "tarief": "tarief (inkomensgerelateerd of vaste prijs per dag)",
}
LOKET, OPVANG = "loket", "opvang"  # the coordinator looked at the page / the provider's own declaration
SOURCES = (LOKET, OPVANG)
SOURCE_LABELS = {LOKET: "controle door het loket", OPVANG: "verklaring van de opvang"}


@dataclass(frozen=True)
class Check:
    """One look at a provider's infopagina on `datum`; present: yes/no for each of the five ITEMS."""

    provider_id: str
    datum: date
    bron: str
    present: dict[str, bool]
    door: str = ""

    def __post_init__(self):
        if self.bron not in SOURCES:
            raise ValueError(f"bron must be one of {SOURCES}, not {self.bron!r}")
        if set(self.present) != set(ITEMS):
            raise ValueError(f"present must say yes/no for exactly {ITEMS}, not {sorted(self.present)}")


@dataclass(frozen=True)
class ProviderInfopagina:
    """R6 for one provider on a day: what the latest loket check found and what awaits confirmation."""

    latest: Check | None  # the latest loket check dated on or before the day
    missing_since: dict[str, date]  # per missing item (ITEMS order): the start of its current run of 'missing'
    to_confirm: Check | None  # a provider declaration newer than `latest` ("te bevestigen")

    @property
    def complete(self) -> bool | None:
        """All five present at the latest loket check; None (unknown) without any loket check."""
        return None if self.latest is None else not self.missing_since

    @property
    def missing(self) -> list[str]:
        return list(self.missing_since)


def is_complete(check: Check) -> bool:
    """R6: all five items present."""
    return all(check.present[item] for item in ITEMS)


def missing(check: Check) -> list[str]:
    """The items the check found missing, in R6's order."""
    return [item for item in ITEMS if not check.present[item]]


def _loket_until(checks, day: date) -> list[Check]:
    """The loket checks dated on or before `day`, oldest first."""
    return sorted((c for c in checks if c.bron == LOKET and c.datum <= day), key=lambda c: c.datum)


def latest_loket(checks, day: date) -> Check | None:
    """The latest loket check dated on or before `day` (provider declarations never count), or None."""
    loket = _loket_until(checks, day)
    return loket[-1] if loket else None


def missing_since(checks, item: str, day: date) -> date | None:
    """R6: the date of the first loket check of the item's current unbroken run of 'missing' (up to `day`);
    None when the latest loket check found it present, or there is none."""
    since = None
    for check in _loket_until(checks, day):
        if check.present[item]:
            since = None
        elif since is None:
            since = check.datum
    return since


def to_confirm(checks, day: date) -> Check | None:
    """The latest provider declaration dated on or before `day` and after the latest loket check ("te
    bevestigen"); a declaration on the same day as a loket check is taken as seen. None when there is none."""
    latest = latest_loket(checks, day)
    newer = [c for c in checks if c.bron == OPVANG and c.datum <= day and (latest is None or c.datum > latest.datum)]
    return max(newer, key=lambda c: c.datum) if newer else None


def reminder(provider_name: str, missing_items: list[str], municipality: str) -> str:
    """A ready-to-send Dutch reminder asking the provider to add exactly these items (listed in R6's order)."""
    unknown = [item for item in missing_items if item not in ITEMS]
    if unknown:
        raise ValueError(f"unknown infopagina items: {unknown}")
    items = [item for item in ITEMS if item in missing_items]
    if not items:
        raise ValueError("nothing is missing: no reminder to send")
    listed = "\n".join(f"- {ITEM_LABELS[item]}" for item in items)
    these = "dit gegeven" if len(items) == 1 else "deze gegevens"
    return (f"Beste {provider_name},\n\n"
            "Bij onze laatste controle van uw infopagina op Opvang.Vlaanderen ontbrak nog:\n"
            f"{listed}\n\n"
            "Volgens de samenwerkingsovereenkomst met het Lokaal Loket Kinderopvang staat die informatie "
            "minimaal op de infopagina, zodat ouders goed geïnformeerd een opvang kunnen kiezen. "
            f"Wilt u {these} aanvullen? Laat het ons gerust weten wanneer dat gebeurd is, dan kijken we "
            "uw pagina opnieuw na.\n\n"
            "Alvast bedankt.\n\n"
            "Met vriendelijke groeten,\n"
            f"Lokaal Loket Kinderopvang {municipality}")


NEVER, TOO_OLD, INCOMPLETE, COMPLETE = "nooit gecontroleerd", "controle te oud", "onvolledig", "volledig"
STANDINGS = (INCOMPLETE, NEVER, TOO_OLD, COMPLETE)  # the order the loket works through them


def standing(found: ProviderInfopagina, day: date, max_age_days: int) -> str:
    """One provider's infopagina summed up on `day` as R11 reads it: never checked by the loket, its latest check
    more than `max_age_days` old (unknown), else complete or incomplete."""
    if found.latest is None:
        return NEVER
    if (day - found.latest.datum).days > max_age_days:
        return TOO_OLD
    return COMPLETE if found.complete else INCOMPLETE


def state(checks, day: date) -> ProviderInfopagina:
    """R6 for one provider on `day`. checks: that provider's checks (of any date; later ones are ignored)."""
    checks = list(checks)
    if len({c.provider_id for c in checks}) > 1:
        raise ValueError("state() takes the checks of one provider")
    latest = latest_loket(checks, day)
    since = {} if latest is None else {item: missing_since(checks, item, day) for item in missing(latest)}
    return ProviderInfopagina(latest=latest, missing_since=since, to_confirm=to_confirm(checks, day))


def states(checks, day: date, provider_ids) -> dict[str, ProviderInfopagina]:
    """state() for each of these providers, from the checks of all of them."""
    by_provider: dict[str, list[Check]] = {p: [] for p in provider_ids}
    for check in checks:
        if check.provider_id in by_provider:
            by_provider[check.provider_id].append(check)
    return {p: state(found, day) for p, found in by_provider.items()}
