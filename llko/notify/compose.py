"""R13's mails as pure functions: the rows of day D in, the mails out (subject, plain text and HTML from the templates
beside this module). No database, no mail server; "today" is D, a parameter."""

import functools
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import jinja2

from llko.notify.models import DIGEST, REMINDER
from llko.notify.rules import Named
from llko.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"
OWN_REQUESTS_PAGE = "mijn_aanvragen"  # the provider's page the reminder links to
OVERVIEW_PAGE = "meldingen"  # the coordinator's page the digest links to


@dataclass(frozen=True)
class Draft:
    """A mail composed but not yet stored: target is the provider id of a reminder, the user name of a digest."""

    kind: str
    target: str
    recipient: str
    subject: str
    text: str
    html: str
    request_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """Who a mail goes to: a provider (id, name, e-mail, reminders on) or a coordinator account."""

    key: str
    name: str
    email: str
    wants_reminders: bool = True


@dataclass(frozen=True)
class Late:
    """A request in the digest: overdue (days_late), due soon or an R4 to-do (todo, since)."""

    request_id: str
    provider: str
    received: date
    deadline: date
    days_late: int | None = None
    todo: str = ""
    since: date | None = None


@dataclass(frozen=True)
class Place:
    """A free place in the digest: newly reported, or not confirmed for too long."""

    provider: str
    places: int
    vanaf: date
    reported: date
    confirmed: date


@dataclass(frozen=True)
class Line:
    """One line about a provider in the digest (an infopagina declaration, a file and its last step, a reminder
    that could not be sent)."""

    provider: str
    text: str
    day: date | None = None


@dataclass(frozen=True)
class DigestRows:
    """What the coordinator's digest on D lists (R13); `since` is the day of the previous sent digest."""

    since: date | None = None
    newly_overdue: tuple[Late, ...] = ()
    due_soon: tuple[Late, ...] = ()
    followups: tuple[Late, ...] = ()
    new_places: tuple[Place, ...] = ()
    stale: tuple[Line, ...] = ()  # llko.notify.stale's flags: what = the kind and its sentence
    declarations: tuple[Line, ...] = ()
    files: tuple[Line, ...] = ()
    unsent: tuple[Line, ...] = ()

    def empty(self) -> bool:
        return not any((self.newly_overdue, self.due_soon, self.followups, self.new_places, self.stale,
                        self.declarations, self.files, self.unsent))


def dmy(day: date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


@functools.cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["dmy"] = dmy
    return env


TEXT_WIDTH = 76  # a plain-text mail's lines, as mail programs expect them (and kept whole: no encoded line breaks)


def wrapped(text: str) -> str:
    """Plain text with every line of more than TEXT_WIDTH characters wrapped at spaces (never inside a word, an id
    like A2024-000647 or a link); a list item's following lines indented under its text."""
    lines = []
    for line in text.split("\n"):
        indent = "  " if line.startswith("- ") else ""
        lines.append(textwrap.fill(line, TEXT_WIDTH, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False) if len(line) > TEXT_WIDTH else line)
    return "\n".join(lines)


def _render(name: str, **context) -> tuple[str, str]:
    """The plain text and the HTML of one mail (templates NAME.txt and NAME.html)."""
    return (wrapped(_environment(False).get_template(f"{name}.txt").render(**context)),
            _environment(True).get_template(f"{name}.html").render(**context))


def plural(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def reminder(provider: Recipient, named: list[Named], day: date, settings: Settings, app_url: str) -> Draft | None:
    """The reminder of one provider on `day`: its named requests (by id, received and deadline), the procedure's
    wording and a link to Mijn aanvragen. None when nothing may be named, or the provider has no e-mail or
    switched reminders off (the digest says so)."""
    if not named or not provider.email or not provider.wants_reminders:
        return None
    named = sorted(named, key=lambda n: n.request_id)
    late = sum(1 for n in named if n.overdue)
    subject = (f"Herinnering: {plural(len(named), 'opvangvraag wacht', 'opvangvragen wachten')} op een antwoord "
               f"via Opvang.Vlaanderen")
    text, html = _render("reminder", provider=provider, named=named, late=late, day=day, settings=settings,
                         link=f"{app_url}/{OWN_REQUESTS_PAGE}?opvang={quote(provider.key)}", subject=subject)
    return Draft(REMINDER, provider.key, provider.email, subject, text, html, tuple(n.request_id for n in named))


@dataclass(frozen=True)
class Section:
    """One heading of the digest with its table: column names and rows of text."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def sections(rows: DigestRows, settings: Settings) -> list[Section]:
    """The digest's non-empty parts, in the order the coordinator works through them."""
    since = f"sinds het vorige overzicht van {dmy(rows.since)}" if rows.since else "(eerste overzicht)"
    found = [
        Section(f"Nieuw te laat {since}", ("Aanvraag", "Opvang", "Ontvangen op", "Termijn tot", "Dagen te laat"),
                tuple((r.request_id, r.provider, dmy(r.received), dmy(r.deadline), str(r.days_late))
                      for r in rows.newly_overdue)),
        Section(f"Bijna te laat (termijn binnen {settings.due_soon_days} dagen)",
                ("Aanvraag", "Opvang", "Ontvangen op", "Termijn tot"),
                tuple((r.request_id, r.provider, dmy(r.received), dmy(r.deadline)) for r in rows.due_soon)),
        Section("Op te volgen: ouders reageren niet (herinnering sturen of afsluiten)",
                ("Aanvraag", "Opvang", "In behandeling sinds", "Te doen"),
                tuple((r.request_id, r.provider, dmy(r.since), r.todo) for r in rows.followups)),
        Section(f"Nieuw gemelde vrije plaatsen {since}", ("Opvang", "Plaatsen", "Vanaf", "Gemeld op"),
                tuple((p.provider, str(p.places), dmy(p.vanaf), dmy(p.reported)) for p in rows.new_places)),
        Section("Verouderde gegevens", ("Opvang", "Sinds", "Wat"),
                tuple((line.provider, dmy(line.day) or "nooit", line.text) for line in rows.stale)),
        Section("Infopagina: verklaringen van opvang om te bevestigen", ("Opvang", "Verklaard op", "Verklaring"),
                tuple((line.provider, dmy(line.day), line.text) for line in rows.declarations)),
        Section("Open dossiers en hun laatste stap", ("Opvang", "Laatste stap op", "Stap"),
                tuple((line.provider, dmy(line.day), line.text) for line in rows.files)),
        Section("Herinneringen die niet verstuurd konden worden", ("Opvang", "Sinds", "Reden"),
                tuple((line.provider, dmy(line.day), line.text) for line in rows.unsent)),
    ]
    return [section for section in found if section.rows]


def digest(rows: DigestRows, coordinators: list[Recipient], day: date, settings: Settings,
           app_url: str) -> list[Draft]:
    """The coordinator's digest on `day`, one mail per coordinator with an e-mail; none when the digest is empty."""
    if rows.empty():
        return []
    subject = (f"Dagoverzicht Lokaal Loket Kinderopvang {settings.municipality} {dmy(day)}: "
               f"{len(rows.newly_overdue)} nieuw te laat, {len(rows.due_soon)} bijna te laat")
    ids = tuple(sorted({r.request_id for r in (*rows.newly_overdue, *rows.due_soon, *rows.followups)}))
    parts_found, drafts = sections(rows, settings), []
    for person in coordinators:
        if not person.email:
            continue
        text, html = _render("digest", person=person, sections=parts_found, day=day, settings=settings,
                             subject=subject, link=f"{app_url}/{OVERVIEW_PAGE}")
        drafts.append(Draft(DIGEST, person.key, person.email, subject, text, html, ids))
    return drafts
