"""R13 in the demo town: the notify run of a week before `today`, as if it had been sent (the provider reminders
and the coordinator's digest), one reminder refused by the mail server — so that Meldingen shows a history and a
failed mail, and today's run the second reminders a week later."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from llko import settings as settings_module
from llko.notify import service

RUN_AGO = timedelta(days=7)
REFUSED = "de mailserver weigert het adres (550 5.1.1 mailbox unavailable)"


def build(engine: Engine, today: date) -> int:
    """The mails of the run a week ago, stored as sent at 07:30 that day, the first reminder as refused three
    times; returns how many."""
    day = today - RUN_AGO
    current = settings_module.load(engine)
    moment = datetime.combine(day, time(7, 30), ZoneInfo("Europe/Brussels"))
    drafts, unreachable = service.reminders(engine, day, current, set())
    reminders = service.store(engine, "notify", day, drafts)
    digests = service.store(engine, "notify", day, service.digests(engine, day, current, set(), unreachable))
    for mail_id in reminders[1:] + digests:
        service.record_try(engine, mail_id, None, moment)
    for attempt in range(current.notify_tries_max if reminders else 0):
        service.record_try(engine, reminders[0], REFUSED, moment + timedelta(hours=attempt))
    return len(reminders) + len(digests)
