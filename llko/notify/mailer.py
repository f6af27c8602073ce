"""Sending a stored mail through the installation's mail server (smtplib, LLKO_SMTP_*): one connection per run,
a Dutch reason for every way it can fail."""

import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from llko.config import Smtp
from llko.notify.models import OutboxMail

TIMEOUT_SECONDS = 30


class SendFailed(Exception):
    """A mail did not go; str() is the Dutch reason stored with it. connection: the server itself is unreachable
    (the mails after it need not be tried on this run)."""

    def __init__(self, reason: str, connection: bool = False):
        super().__init__(reason)
        self.connection = connection


def message(mail: OutboxMail, sender: str) -> EmailMessage:
    """The mail as it leaves: plain text with an HTML alternative, a Message-ID that names the outbox row."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=f"llko-outbox-{mail.id}", domain=sender.rsplit("@", 1)[-1])
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a daily mail
    msg.set_content(mail.body_text)
    msg.add_alternative(mail.body_html, subtype="html")
    # The bodies are encoded for lines of 78; the headers are not folded below RFC 5322's 998, so that a subject
    # arrives exactly as written (Python folds a long one right after "Subject:", which some readers keep as a space).
    msg.policy = msg.policy.clone(max_line_length=998)
    return msg


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "de mailserver weigert de aanmelding (controleer LLKO_SMTP_USER en LLKO_SMTP_PASSWORD)"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                          for code, text in exc.recipients.values())
        return f"de mailserver weigert het adres ({codes})"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"de mailserver weigert de mail ({exc.smtp_code} {text})"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "de mailserver antwoordt niet (time-out)"
    if isinstance(exc, ConnectionRefusedError):
        return "de mailserver is niet bereikbaar (verbinding geweigerd)"
    if isinstance(exc, ssl.SSLError):
        return f"de beveiligde verbinding met de mailserver mislukt ({exc.reason or exc})"
    if isinstance(exc, (smtplib.SMTPException, OSError)):
        return f"de mailserver is niet bereikbaar ({exc})"
    return str(exc)


class Mailer:
    """One connection to the mail server for a run: opened at the first mail, opened again after it dropped."""

    def __init__(self, smtp: Smtp):
        self.smtp = smtp
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.smtp
        try:
            if s.security == "ssl":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS,
                                        context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
                if s.security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if s.user:
                conn.login(s.user, s.password)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(_reason(exc), connection=True) from exc
        return conn

    def send(self, mail: OutboxMail) -> None:
        """Send one stored mail; SendFailed with the Dutch reason when it did not go."""
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(message(mail, self.smtp.sender))
        except smtplib.SMTPServerDisconnected as exc:
            self._conn = None
            raise SendFailed(_reason(exc), connection=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(_reason(exc)) from exc

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._conn = None
