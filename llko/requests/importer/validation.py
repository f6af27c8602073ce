"""Every cell checked column by column and typed; the impossible dates (after the snapshot, before the request, a
spreadsheet that swapped day and month) explained once."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from llko import dutch
from llko.clock import SHORT_YEAR, WITH_TIME
from llko.requests import statuses
from llko.requests.importer.columns import (
    COLUMNS,
    DATE_COLUMNS,
    DAYS_MAX,
    DAYS_MIN,
    ID_COLUMNS,
    ID_MAX_LENGTH,
    NAME_MAX_LENGTH,
    REQUIRED,
)
from llko.requests.importer.problems import IMPOSSIBLE_DATE, ImportProblem, ParsedFile, empty_frame, nl_date, nl_list

EXPECT_REQUIRED = "een waarde (verplichte kolom)"


EXPECT_DATE = "een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd"


EXPECT_STATUS = "een status van Opvang.Vlaanderen: " + ", ".join(statuses.ALL)


EXPECT_BOOL = "ja of nee (ook j/n of 1/0), of leeg"


EXPECT_DAYS = "een aantal dagen van 0,5 tot 7 (bv. 2,5), of leeg"


EXPECT_ID = f"een id van hoogstens {ID_MAX_LENGTH} tekens"


EXPECT_NAME = f"een naam van hoogstens {NAME_MAX_LENGTH} tekens"


def _problems(frame: pd.DataFrame, column: str, bad: pd.Series, expected: str) -> list[ImportProblem]:
    """One problem per row where `bad` holds."""
    values = frame.loc[bad, column]
    return [ImportProblem(int(row), column, str(v), expected) for row, v in values.items()]




_LATE_DAY_TEXT = r"^(1[3-9]|2\d|3[01])/\d{1,2}/(\d{2}|\d{4})$"  # text dd/mm with a day > 12: never read as a date


MIXED_DATES = ("een datum zoals de rest van de kolom: deze kolom mengt echte datumcellen met tekstdatums met een dag "
               "na de 12de, het teken van een rekenblad dat dag en maand omwisselde")


def _parse_dates(values: pd.Series) -> pd.Series:
    """A column of cells read as llko.clock.parse_day reads one (dd/mm/jjjj, dd/mm/jj as 20jj, jjjj-mm-dd, a date and
    time), all at once, as datetime64 (NaT when blank or invalid); tests/test_dates.py holds the two to the same
    answers. dd/mm/jjjj, nearly every cell of an export, is read by pandas' own parser; only the rest is rewritten.
    A column holds a few thousand distinct days at most: each is read once."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)  # a missing cell is one more value, not -1
    if len(distinct) < len(values):
        days = _parse_distinct(pd.Series(distinct, dtype=values.dtype)).to_numpy()
        return pd.Series(days[codes], index=values.index, name=values.name)
    return _parse_distinct(values)


def _parse_distinct(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")
    rest = parsed.isna() & (values != "")
    if rest.any():
        other = values[rest].str.replace(SHORT_YEAR, r"\g<1>20\g<2>", regex=True).str.replace(WITH_TIME, r"\g<1>",
                                                                                              regex=True)
        again = pd.to_datetime(other, format="%d/%m/%Y", errors="coerce")
        iso = again.isna()
        again[iso] = pd.to_datetime(other[iso], format="%Y-%m-%d", errors="coerce")
        parsed[rest] = again
    return parsed


def _objects(values: list, index: pd.Index) -> pd.Series:
    """A Series that keeps Python values and None as they are (no NaN, no numpy scalars)."""
    return pd.Series(values, index=index, dtype=object)


def _as_dates(parsed: pd.Series) -> pd.Series:
    """datetime64 -> object Series of datetime.date or None."""
    dates = parsed.dt.date.astype(object)
    return dates.where(parsed.notna(), None)


def _mixed_dates(frame: pd.DataFrame, date_cells: pd.DataFrame | None, parsed: dict[str, pd.Series]
                 ) -> list[ImportProblem]:
    """A spreadsheet's real date cells in a column that also holds valid text dates with a day > 12 (which a
    month-first spreadsheet could not read as dates, and so left alone): the cells it did read are suspect."""
    problems = []
    for col in DATE_COLUMNS if date_cells is not None else ():
        if col not in date_cells.columns:
            continue
        cells = frame[col][date_cells[col].astype(bool)]
        if len(cells) and (frame[col].str.match(_LATE_DAY_TEXT) & parsed[col].notna()).any():
            problems += [ImportProblem(int(row), col, value, MIXED_DATES, IMPOSSIBLE_DATE)
                         for row, value in cells.items()]
    return problems


def validate(frame: pd.DataFrame, date_cells: pd.DataFrame | None = None
              ) -> tuple[pd.DataFrame, list[ImportProblem]]:
    """Check every cell column by column; return the typed frame and every problem found."""
    frame = frame.reindex(columns=COLUMNS, fill_value="")
    problems: list[ImportProblem] = []
    blank = frame == ""
    for col in REQUIRED:
        problems += _problems(frame, col, blank[col], EXPECT_REQUIRED)
    for col in ID_COLUMNS:
        problems += _problems(frame, col, frame[col].str.len() > ID_MAX_LENGTH, EXPECT_ID)
    problems += _problems(frame, "opvang_naam", frame["opvang_naam"].str.len() > NAME_MAX_LENGTH, EXPECT_NAME)

    typed = pd.DataFrame(index=frame.index)
    for col in ID_COLUMNS:
        typed[col] = _objects(frame[col].tolist(), frame.index)
    typed["opvang_naam"] = _objects([n or None for n in frame["opvang_naam"]], frame.index)

    parsed_dates = {}
    for col in DATE_COLUMNS:
        parsed = parsed_dates[col] = _parse_dates(frame[col])
        problems += _problems(frame, col, ~blank[col] & parsed.isna(), EXPECT_DATE)
        typed[col] = _as_dates(parsed)
    problems += _mixed_dates(frame, date_cells, parsed_dates)
    received = parsed_dates["datum_aanvraag"]
    for col in ("datum_status", "datum_antwoord"):  # impossible: a status or an answer before the request
        before = parsed_dates[col] < received
        problems += [ImportProblem(int(row), col, frame.at[row, col],
                                   f"een datum op of na de datum_aanvraag ({nl_date(received[row].date())})",
                                   IMPOSSIBLE_DATE) for row in before[before].index]

    status = frame["status"].map({label: statuses.normalize(label) for label in frame["status"].unique()})
    problems += _problems(frame, "status", ~blank["status"] & ~status.isin(statuses.ALL), EXPECT_STATUS)
    typed["status"] = _objects(status.tolist(), frame.index)

    flag = frame["kwetsbaar_gezin"].str.lower()
    truthy, falsy = flag.isin(dutch.YES), flag.isin(dutch.NO)
    problems += _problems(frame, "kwetsbaar_gezin", ~blank["kwetsbaar_gezin"] & ~truthy & ~falsy, EXPECT_BOOL)
    typed["kwetsbaar_gezin"] = _objects([True if t else False if f else None for t, f in zip(truthy, falsy)], frame.index)

    days = pd.to_numeric(frame["dagen_per_week"].str.replace(",", ".", regex=False), errors="coerce")
    days_ok = days.between(DAYS_MIN, DAYS_MAX)
    problems += _problems(frame, "dagen_per_week", ~blank["dagen_per_week"] & ~days_ok, EXPECT_DAYS)
    typed["dagen_per_week"] = _objects([float(d) if ok else None for d, ok in zip(days, days_ok)], frame.index)

    order = {c: i for i, c in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 99)))
    return typed[list(COLUMNS)], problems


DATES_NOT_AFTER_AS_OF = ("datum_aanvraag", "datum_status", "datum_antwoord")


def impossible_dates(parsed: ParsedFile, as_of: dt.date) -> ParsedFile:
    """The parsed file refused when a datum_aanvraag, datum_status or datum_antwoord lies after the snapshot's
    as-of date (a problem per cell, explained with the file's other impossible dates); else the file as it was."""
    rows = parsed.frame if not parsed.problems else parsed.checked
    if rows is None:  # refused for the file as a whole: no rows to look at
        return parsed
    problems = []
    for col in DATES_NOT_AFTER_AS_OF:
        values = rows[col]
        after = values.map(lambda d: d is not None and d > as_of)
        problems += [ImportProblem(int(row), col, nl_date(values[row]),
                                   f"een datum op of vóór de momentopname ({nl_date(as_of)})", IMPOSSIBLE_DATE)
                     for row in after[after].index]
    if not problems:
        return parsed
    problems += [p for p in parsed.problems if p.row is not None]  # the cells already refused (explanation anew)
    problems = list(dict.fromkeys(problems))  # checked twice (the page, then the import): each problem once
    order = {c: i for i, c in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 99)))
    return ParsedFile(empty_frame(), explained(problems, as_of), parsed.notices, checked=rows)


def explained(problems: list[ImportProblem], as_of: dt.date | None = None) -> list[ImportProblem]:
    """With impossible dates among the problems, one explanation first: what probably happened and how to fix it."""
    rows = sorted({p.row for p in problems if p.kind == IMPOSSIBLE_DATE})
    if not rows:
        return problems
    which = "rij heeft" if len(rows) == 1 else "rijen hebben"
    snapshot = f" van {nl_date(as_of)}" if as_of else ""
    text = (f"{dutch.whole(len(rows))} {which} een onmogelijke datum ({'rij' if len(rows) == 1 else 'rijen'} "
            f"{nl_list([str(r) for r in rows], limit=5)}): "
            f"een datum na de momentopname{snapshot}, een status- of antwoorddatum vóór de aanvraag, of een echte "
            "datumcel in een kolom met tekstdatums die geen rekenblad als datum las. Waarschijnlijk "
            "werd het bestand geopend en opgeslagen in een rekenblad in een andere taal (bv. Engels), dat bij elke "
            "datum met een dag tot 12 dag en maand omwisselt. Importeer de export zoals ze uit Opvang.Vlaanderen "
            "kwam, zonder ze eerst op te slaan, of zet de taal van het rekenblad op Nederlands (België) voor u het "
            "bestand opent." + (" Of klopt de datum van de momentopname niet? Kies dan de dag waarop de export "
                                "gedownload werd." if as_of else ""))
    return [ImportProblem(None, None, None, text, IMPOSSIBLE_DATE), *problems]
