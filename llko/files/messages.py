"""Import messages a person reads: when many cells share one problem, one line per column and problem (how many,
the first rows, an example) instead of a line per cell; and the columns an import skipped, naming those that look
like personal data of a child or a parent (the dashboard keeps pseudonymous ids only). Used by both importers
(Opvang.Vlaanderen exports and the register workbook); the full list of problems stays available beside it."""

import re
from typing import Iterable, Protocol

from llko import dutch

SUMMARY_FROM = 20  # more cells than this sharing one problem: one line for them all
FIRST_ROWS = 5
_DAY_SUFFIX = re.compile(r"\s*\(\d{2}/\d{2}/\d{4}\)$")  # "(09/05/2026)": differs per row, not per problem

# Header words (normalized: lower case, '_' between words) that name personal data, and what they are.
PERSONAL = (
    (re.compile(r"(^|_)(rijksregister|rijksregisternummer|insz|rrn|nationaal_?nummer|nationaal_nr)($|_)"),
     "een rijksregisternummer"),
    (re.compile(r"(^|_)(voornaam|voornamen)($|_)"), "een voornaam"),
    (re.compile(r"(^|_)(naam|achternaam|familienaam|name)($|_)"), "een naam"),
    (re.compile(r"(^|_)(adres|straat|huisnummer|woonplaats|postcode|gemeente_ouder|address)($|_)"), "een adres"),
    (re.compile(r"(^|_)(telefoon|telefoonnummer|tel|gsm|mobiel|phone)($|_)"), "een telefoonnummer"),
    (re.compile(r"(^|_)(e_?mail|mail|e_?mailadres|mailadres)($|_)"), "een e-mailadres"),
    (re.compile(r"(^|_)(geboortedatum|geboren|birth)($|_)"), "een geboortedatum"),
)


def short(text: str, width: int = 60) -> str:
    """A cell value shortened for a message."""
    return text if len(text) <= width else text[: width - 3] + "..."


class Problem(Protocol):
    row: int | None
    column: str | None
    value: str | None
    expected: str

    @property
    def message(self) -> str: ...


def _rows(rows: list[int]) -> str:
    shown = [str(r) for r in rows[:FIRST_ROWS]]
    if len(rows) > FIRST_ROWS:
        return ", ".join(shown) + f" en nog {dutch.whole(len(rows) - FIRST_ROWS)} andere"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]


def summary(problems: Iterable[Problem]) -> list[str]:
    """The problems as lines to read: file-level ones as they are; a problem of at most SUMMARY_FROM cells (in all
    columns together) a line per cell; a problem of more cells one line per column, with the count, the first rows
    and an example value."""
    problems = list(problems)
    lines: list[str] = [p.message for p in problems if p.row is None]
    groups: dict[tuple, list] = {}
    shared: dict[str, int] = {}
    for p in problems:
        if p.row is not None:
            problem = _DAY_SUFFIX.sub("", p.expected)
            groups.setdefault((p.column, problem), []).append(p)
            shared[problem] = shared.get(problem, 0) + 1
    for (column, expected), cells in groups.items():
        if shared[expected] <= SUMMARY_FROM:
            lines += [p.message for p in cells]
            continue
        example = next((p.value for p in cells if p.value), "")
        lines.append(one_line(f"Kolom {column}", [p.row for p in cells], example, f"verwacht {expected}"))
    return lines


def one_line(where: str, rows: list[int], example: str, expected: str) -> str:
    """'Kolom x: 2.115 cellen met hetzelfde probleem (rijen 2, 3, 4, 5, 6 en nog 2.110 andere), bv. '25/09/26'
    — verwacht ...' (expected: the words after the dash)."""
    return (f"{where}: {dutch.whole(len(rows))} cellen met hetzelfde probleem (rijen {_rows(rows)})"
            + (f", bv. '{example}'" if example else ", leeg") + f" — {expected}.")


def personal_kind(header: str) -> str | None:
    """What personal data a (normalized) header seems to name ('een naam', 'een adres', ...), or None."""
    for pattern, kind in PERSONAL:
        if pattern.search(header):
            return kind
    return None


def skipped_columns(headers: Iterable[tuple[str, str]]) -> list[str]:
    """Notices for the columns an import did not keep: (header as written, normalized header) pairs. A header that
    looks like personal data gets a line of its own saying why; the others share one line."""
    personal, other = [], []
    for written, normalized in headers:
        if not written.strip():
            continue
        kind = personal_kind(normalized)
        (personal if kind else other).append((written.strip(), kind))
    lines = [f"Kolom ‘{name}’ niet bewaard: ze lijkt {kind} van een kind of ouder te bevatten, en het dashboard "
             "bewaart alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand." for name, kind in personal]
    if other:
        names = ", ".join(f"‘{name}’" for name, _ in other)
        lines.append(f"{'Kolom' if len(other) == 1 else 'Kolommen'} {names} niet bewaard: de import kent "
                     f"{'ze' if len(other) > 1 else 'die'} niet.")
    return lines
