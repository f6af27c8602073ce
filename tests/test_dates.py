"""One reading of a day (llko.clock.parse_day) for every form, the register workbook and — a column at a time — the
export import (DESIGN.md: dd/mm/jjjj, dd/mm/jj as 20jj, jjjj-mm-dd, or a real spreadsheet date)."""

from datetime import date, datetime

import pandas as pd
import pytest

from llko.clock import parse_day
from llko.registers.sheets import CellError, day
from llko.requests.importer.validation import _parse_dates

READ = [  # what a person or a file writes -> the day
    ("02/11/2026", date(2026, 11, 2)),
    ("2/1/2026", date(2026, 1, 2)),
    ("02/11/26", date(2026, 11, 2)),  # a Dutch LibreOffice's short year: 20jj
    ("31/12/99", date(2099, 12, 31)),
    ("2026-11-02", date(2026, 11, 2)),
    ("2026-11-02 00:00:00", date(2026, 11, 2)),  # a spreadsheet's date with its time of day
    ("2026-11-02T13:45", date(2026, 11, 2)),
    (" 29/02/2028 ", date(2028, 2, 29)),
]
REFUSED = ["31/09/2026", "29/02/2027", "2026/11/02", "11-02-2026", "02.11.2026", "2/11/026", "morgen", "13/13/2026",
           "2026-11-02 25:00", "02/11/2026 10:00"]


@pytest.mark.parametrize("written, expected", READ)
def test_every_way_a_day_is_written_reads_as_that_day(written, expected):
    assert parse_day(written) == expected
    assert day(written) == expected  # the register workbook's cell


@pytest.mark.parametrize("written", REFUSED)
def test_what_is_no_day_is_refused_everywhere(written):
    with pytest.raises(ValueError):
        parse_day(written)
    with pytest.raises(CellError, match="een datum als dd/mm/jjjj"):
        day(written)


def test_real_spreadsheet_dates_are_their_day():
    assert parse_day(datetime(2026, 11, 2, 13, 45)) == date(2026, 11, 2)
    assert parse_day(date(2026, 11, 2)) == date(2026, 11, 2)


def test_the_export_import_reads_a_column_as_parse_day_reads_each_cell():
    cells = [w for w, _ in READ] + REFUSED
    read = _parse_dates(pd.Series([c.strip() for c in cells], dtype=object))
    assert [None if pd.isna(v) else v.date() for v in read] == [d for _, d in READ] + [None] * len(REFUSED)
