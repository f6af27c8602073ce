"""A notify run (R13): retry what failed, compose day D's reminders and digest, store every mail before it is sent,
send through the mail server and record how it went. Never twice: one mail per kind, day and target; never lost:
a mail that did not go stays `failed` with its reason and is tried again on the next run."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from llko import audit, config, settings as settings_module
from llko.db import transaction, unit_of_work
from llko.models import utcnow
from llko.notify import compose, queries
from llko.notify.mailer import Mailer, SendFailed
from llko.notify.models import FAILED, PENDING, REMINDER, SENT, OutboxMail, OutboxRequest

NO_EMAIL = "geen e-mailadres in de opvanggegevens"
SWITCHED_OFF = "herinneringen uitgezet door de opvang"


@dataclass
class RunResult:
    """What a run did: the mails it composed for D (drafts on a dry run), how many it sent, which failed (mail id,
    recipient, reason), and the providers a reminder could not reach."""

    day: date
    composed: list[compose.Draft] = field(default_factory=list)
    sent: int = 0
    failed: list[tuple[int, str, str]] = field(default_factory=list)
    unreachable: list[compose.Line] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def smtp_or_refuse() -> config.Smtp:
    found = config.smtp()
    if found is None:
        raise ValueError("Er is geen mailserver ingesteld (LLKO_SMTP_HOST en LLKO_SMTP_SENDER): er is niets "
                         "verstuurd of bewaard. Met --dry-run ziet u wat zou vertrekken.")
    return found


def reminders(engine: Engine, day: date, current: settings_module.Settings, skip: set[tuple[str, str]]
              ) -> tuple[list[compose.Draft], list[compose.Line]]:
    """Day D's provider reminders (R13) for the providers not in skip, and the providers that have requests to
    name but no e-mail or reminders switched off."""
    recipients = queries.providers(engine)
    drafts, unreachable = [], []
    for provider_id, named in sorted(queries.named_per_provider(engine, day, current).items()):
        provider = recipients.get(provider_id) or compose.Recipient(provider_id, provider_id, "", True)
        if (REMINDER, provider_id) in skip:
            continue
        draft = compose.reminder(provider, named, day, current, config.app_url())
        if draft is not None:
            drafts.append(draft)
            continue
        why = NO_EMAIL if not provider.email else SWITCHED_OFF
        ids = ", ".join(n.request_id for n in named)
        unreachable.append(compose.Line(f"{provider.name} ({provider_id})", f"{why}; aanvragen {ids}", day))
    return drafts, unreachable


def digests(engine: Engine, day: date, current: settings_module.Settings, skip: set[tuple[str, str]],
            unreachable: list[compose.Line]) -> list[compose.Draft]:
    rows = queries.digest_rows(engine, day, current, tuple(unreachable))
    return [d for d in compose.digest(rows, queries.coordinators(engine), day, current, config.app_url())
            if (d.kind, d.target) not in skip]


@unit_of_work
def store(session: Session, actor: str, day: date, drafts: list[compose.Draft]) -> list[int]:
    """Put the drafts in the outbox as `pending` (one transaction, one audit entry); their ids."""
    ids = []
    try:
        for draft in drafts:
            mail = OutboxMail(kind=draft.kind, as_of=day, target=draft.target, recipient=draft.recipient,
                              subject=draft.subject, body_text=draft.text, body_html=draft.html, state=PENDING)
            session.add(mail)
            session.flush()
            session.add_all(OutboxRequest(mail_id=mail.id, request_id=r) for r in sorted(set(draft.request_ids)))
            ids.append(mail.id)
        session.flush()
    except IntegrityError as exc:
        raise ValueError(f"Een andere notify-run voor {day:%d/%m/%Y} heeft deze mails intussen al klaargezet; "
                         "er is niets dubbel bewaard.") from exc
    if drafts:
        audit.record(session, actor, "notify_composed", dag=day, mails=len(drafts),
                     ontvangers=sorted({d.recipient for d in drafts}))
    return ids


def record_try(engine: Engine, mail_id: int, error: str | None, now: datetime) -> None:
    """One try of a stored mail: sent (error None) or failed with its Dutch reason."""
    with transaction(engine) as session:
        mail = session.get(OutboxMail, mail_id)
        mail.tries += 1
        mail.last_try_at = now
        mail.state = SENT if error is None else FAILED
        mail.error = error or ""
        mail.sent_at = now if error is None else None
        session.add(mail)


def send(engine: Engine, mailer: Mailer, mail_ids: list[int], result: RunResult) -> None:
    """Send these stored mails one by one, recording each try; after a connection failure the rest of the batch
    fails with the same reason (the server is down: no use waiting for each)."""
    down: str | None = None
    for mail_id in mail_ids:
        with Session(engine) as session:
            mail = session.get(OutboxMail, mail_id)
            if mail is None or mail.state == SENT:
                continue
            session.expunge(mail)
        error = down
        if error is None:
            try:
                mailer.send(mail)
            except SendFailed as exc:
                error = str(exc)
                if exc.connection:
                    down = error
        record_try(engine, mail_id, error, utcnow())
        if error is None:
            result.sent += 1
        else:
            result.failed.append((mail_id, mail.recipient, error))


def run(engine: Engine, day: date, actor: str = "notify", dry_run: bool = False) -> RunResult:
    """R13's daily run for day D. A dry run composes and returns the drafts and stores and sends nothing. Else:
    ValueError (Dutch) without a mail server; retries the pending and failed mails (fewer than notify_tries_max
    tries), then stores and sends D's reminders, then D's digest (which names the reminders that could not go)."""
    current = settings_module.load(engine)
    result = RunResult(day)
    skip = queries.composed(engine, day)
    if dry_run:
        drafts, result.unreachable = reminders(engine, day, current, skip)
        result.composed = drafts + digests(engine, day, current, skip, result.unreachable)
        return result
    mailer = Mailer(smtp_or_refuse())
    try:
        send(engine, mailer, queries.to_send(engine, current.notify_tries_max), result)
        drafts, result.unreachable = reminders(engine, day, current, skip)
        send(engine, mailer, store(engine, actor, day, drafts), result)
        later = digests(engine, day, current, skip, result.unreachable)
        send(engine, mailer, store(engine, actor, day, later), result)
        result.composed = drafts + later
    finally:
        mailer.close()
    _record_run(engine, actor, result)
    return result


@unit_of_work
def _record_run(session: Session, actor: str, result: RunResult) -> None:
    audit.record(session, actor, "notify_run", dag=result.day, nieuw=len(result.composed), verstuurd=result.sent,
                 mislukt=len(result.failed))


def retry(engine: Engine, actor: str, mail_id: int) -> RunResult:
    """The Meldingen page's "opnieuw proberen": one failed mail, tried once more whatever its tries."""
    smtp = smtp_or_refuse()
    found = queries.mail(engine, mail_id)
    if found is None or found.state != FAILED:
        raise ValueError("Deze mail staat niet (meer) als mislukt in de wachtrij; er is niets verstuurd.")
    result = RunResult(found.as_of)
    mailer = Mailer(smtp)
    try:
        send(engine, mailer, [mail_id], result)
    finally:
        mailer.close()
    _record_retry(engine, actor, found, result.ok)
    return result


@unit_of_work
def _record_retry(session: Session, actor: str, mail: OutboxMail, ok: bool) -> None:
    audit.record(session, actor, "notify_retried", mail=mail.id, aan=mail.recipient, dag=mail.as_of,
                 gelukt=ok)

