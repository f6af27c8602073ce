"""Numbers, days, moments, months, percentages and ja/nee as a Belgian reads and types them — the one place for each,
used by the screens, the letters, the yearly report, the downloads and the messages."""

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from llko.clock import local_moment

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
YES, NO = ("ja", "j", "1"), ("nee", "n", "0")  # what a ja/nee cell or field takes (any case, trimmed)
UNKNOWN = "onbekend"


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def whole(n: int) -> str:
    """12345 -> '12.345' (a dot between thousands)."""
    return f"{n:,}".replace(",", ".")


def decimal(value: float | None, digits: int | None = None) -> str:
    """A number with a decimal comma, rounded half up to `digits` decimals (11,25 -> 11,3, as a spreadsheet does),
    or as short as it goes; 'onbekend' when None."""
    if _blank(value):
        return UNKNOWN
    if digits is None:
        return f"{value:g}".replace(".", ",")
    return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)).replace(".", ",")


def percent(share: float | None) -> str:
    """0.825 -> '82,5%'; 0.9 -> '90%'; 0.8999 -> '89,9%': one decimal at most, cut off rather than rounded, so a
    share below a threshold never shows as the threshold itself; '–' when there is nothing to count."""
    if _blank(share):
        return "–"
    text = f"{math.floor(share * 1000 + 1e-9) / 10:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def day(value) -> str:
    """A day as dd/mm/jjjj ('' for none); takes a date, a datetime, a pandas Timestamp or ISO text."""
    if _blank(value):
        return ""
    if not isinstance(value, date):
        value = pd.Timestamp(value)
    return f"{value:%d/%m/%Y}"


def moment(at: datetime, between: str = " ") -> str:
    """A stored moment as Belgians read it: dd/mm/jjjj uu:mm in Belgian time ('between' goes between day and hour)."""
    local = local_moment(at)
    return f"{local:%d/%m/%Y}{between}{local:%H:%M}"


def month(value: str, with_year: bool = True) -> str:
    """'2026-01' -> 'jan 2026' (or 'jan')."""
    year, number = value.split("-")[:2]
    name = MONTHS[int(number) - 1]
    return f"{name} {year}" if with_year else name


def yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def parse_yes_no(value) -> bool | None:
    """ja/j/1 -> True, nee/n/0 -> False (any case, trimmed); blank -> None; anything else: ValueError."""
    if _blank(value) or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"geen ja/nee: {value!r}")
