"""R13 as pure functions (dates, rows and settings in; what may be said out): which requests a provider reminder
may name on day D. No database, no mail; "today" is D, a parameter.

R13: a provider reminder names, of the provider's requests overdue or due soon on D (R2, not closed by R3), those
that fewer than `reminder_max` sent reminders with an earlier as-of date named, the last of them at least
`reminder_interval_days` days before D.
"""

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

import pandas as pd

from llko.settings import Settings


@dataclass(frozen=True)
class Named:
    """A request a reminder names: its id, the day it was received and its deadline (R2), and whether it is late
    on D (else its deadline is near)."""

    request_id: str
    received: date
    deadline: date
    overdue: bool


def may_name(sent_on: Iterable[date], day: date, settings: Settings) -> bool:
    """May a reminder on `day` name a request that sent reminders named on these as-of days? Only the reminders
    with an earlier as-of date count (a second run on the same day is no earlier reminder)."""
    earlier = sorted(d for d in sent_on if d < day)
    if len(earlier) >= settings.reminder_max:
        return False
    return not earlier or (day - earlier[-1]).days >= settings.reminder_interval_days


def to_remind(classified: pd.DataFrame, sent: Mapping[str, Iterable[date]], day: date,
              settings: Settings) -> list[Named]:
    """The requests a reminder on `day` may name, by id. classified: the provider's requests with the flags of
    llko.requests.rules.classify on `day` (overdue and due_soon already leave out answered requests and those closed
    by R3); sent: request id -> the as-of days of the sent reminders that named it."""
    waiting = classified[classified["overdue"] | classified["due_soon"]]
    named = [Named(str(row.id), pd.Timestamp(row.received).date(), pd.Timestamp(row.deadline).date(),
                   bool(row.overdue))
             for row in waiting.itertuples(index=False) if may_name(sent.get(str(row.id), ()), day, settings)]
    return sorted(named, key=lambda n: n.request_id)
