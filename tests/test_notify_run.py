"""`python -m llko notify` against a real SMTP server (aiosmtpd on a localhost port this test binds): the mails
arrive with the right recipients, subjects and request ids; never twice; a server that is down or refuses loses
nothing; the cap of two reminders a week apart; a dry run sends and stores nothing (DESIGN.md R13)."""

import email
import socket
from datetime import date, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from llko.accounts import auth
from llko.providers import service as providers
from llko.requests.importer import import_file
from tests.helpers import PASSWORD, audited, count, in_process, rows

D = date(2026, 11, 20)
# Deadlines (received + 14 days) as worked out by hand for D = 20/11/2026 (due soon: 0..3 days left):
#   A1 01/11 -> 15/11 overdue · A2 08/11 -> 22/11 due soon (an acknowledgement is no answer) · A3 10/11 -> 24/11
#   (4 days: not yet) · A4 answered · A5 closed by the approval of its child K5 at Maan (R3) · A7 Maan, overdue,
#   no e-mail · A8 Ster, overdue, reminders off.
EXPORT = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord
A1;K1;P1;Zonnetje;01/11/2026;nieuw;01/11/2026;
A2;K2;P1;Zonnetje;08/11/2026;vraag ontvangen;09/11/2026;
A3;K3;P1;Zonnetje;10/11/2026;nieuw;10/11/2026;
A4;K4;P1;Zonnetje;01/11/2026;in behandeling;05/11/2026;05/11/2026
A5;K5;P1;Zonnetje;02/11/2026;nieuw;02/11/2026;
A6;K5;P2;Maan;03/11/2026;goedgekeurd;10/11/2026;10/11/2026
A7;K7;P2;Maan;01/11/2026;nieuw;01/11/2026;
A8;K8;P3;Ster;01/11/2026;nieuw;01/11/2026;
"""
ZONNETJE, COORDINATOR = "zonnetje@example.be", "kinderopvang@ninove.example"


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message) per mail; refuse: addresses it rejects."""

    def __init__(self):
        self.mails, self.refuse = [], set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for rcpt, m in self.mails if address in rcpt]


    def down(self):
        self.controller.stop()
        self.controller = None

    def up(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """A running SMTP server on a free localhost port, and the environment that points notify at it."""
    inbox = Inbox()
    inbox.port = port = free_port()
    inbox.up()
    for name, value in {"LLKO_SMTP_HOST": "127.0.0.1", "LLKO_SMTP_PORT": str(port), "LLKO_SMTP_SECURITY": "none",
                        "LLKO_SMTP_SENDER": "kinderopvang@ninove.example",
                        "LLKO_APP_URL": "https://llko.ninove.example"}.items():
        monkeypatch.setenv(name, value)
    yield inbox
    if inbox.controller is not None:
        inbox.down()


@pytest.fixture
def town(engine, db_url, monkeypatch):
    assert import_file(engine, EXPORT.encode(), "e.csv", D, "test").ok
    providers.update_provider(engine, "test", "P1", email=ZONNETJE)
    providers.update_provider(engine, "test", "P3", email="ster@example.be")
    providers.set_reminders(engine, "test", "P3", False)
    auth.create_user(engine, "test", "coord", "Coord", "coordinator", PASSWORD, (), COORDINATOR)
    auth.create_user(engine, "test", "coord2", "Zonder adres", "coordinator", PASSWORD)
    auth.create_user(engine, "test", "zon", "Zon", "provider", PASSWORD, ("P1",))
    monkeypatch.setenv("LLKO_DATABASE_URL", db_url)
    return engine


@pytest.fixture
def notify(town, capsys):
    run = in_process(capsys)
    return lambda day=D, *extra: run("notify", "--as-of", day.isoformat(), *extra)


def plain(message) -> str:
    """The plain-text part as read, its wrapped list items on one line again."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n").replace("\n  ", " ")


def ids_in(message) -> list[str]:
    text = plain(message)
    return sorted(w.rstrip(":") for w in text.split() if w.rstrip(":") in {f"A{i}" for i in range(1, 10)})


def test_the_reminder_and_the_digest_arrive_with_the_right_recipients_subjects_and_ids(smtp, notify, town):
    code, out, err = notify()
    assert code == 0, err
    assert sorted(rcpt[0] for rcpt, _ in smtp.mails) == [COORDINATOR, ZONNETJE]  # Maan: no address; Ster: off
    reminder, = smtp.to(ZONNETJE)
    assert reminder["Subject"] == "Herinnering: 2 opvangvragen wachten op een antwoord via Opvang.Vlaanderen"
    assert reminder["From"] == "kinderopvang@ninove.example"
    assert ids_in(reminder) == ["A1", "A2"]
    text = plain(reminder)
    assert "A1: ontvangen op 01/11/2026, antwoord uiterlijk op 15/11/2026 (te laat)" in text
    assert "https://llko.ninove.example/mijn_aanvragen?opvang=P1" in text
    assert "A1" in reminder.get_body(("html",)).get_content()
    # the text travels as written (no quoted-printable line breaks inside an id or a date), the HTML beside it
    assert reminder.get_body(("plain",))["Content-Transfer-Encoding"] in ("7bit", "8bit")
    digest, = smtp.to(COORDINATOR)
    assert digest["Subject"] == "Dagoverzicht Lokaal Loket Kinderopvang Ninove 20/11/2026: 3 nieuw te laat, 1 bijna te laat"
    body = plain(digest)
    assert ids_in(digest) == ["A1", "A2", "A7", "A7", "A8", "A8"]  # A7 and A8 also under "could not be sent"
    assert "Maan (P2) · 20/11/2026 · geen e-mailadres in de opvanggegevens; aanvragen A7" in body
    assert "Ster (P3) · 20/11/2026 · herinneringen uitgezet door de opvang; aanvragen A8" in body
    assert rows(town, "SELECT kind, target, state, tries FROM outbox ORDER BY id") == [
        ("herinnering", "P1", "sent", 1), ("overzicht", "coord", "sent", 1)]
    assert rows(town, "SELECT request_id FROM outbox_requests WHERE mail_id = 1 ORDER BY request_id") == [
        ("A1",), ("A2",)]
    assert "2 nieuw klaargezet, 2 verstuurd, 0 mislukt" in out
    assert [d["verstuurd"] for _, d in audited(town, "notify_run")] == [2]


def test_a_second_run_on_the_same_day_sends_nothing(smtp, notify, town):
    assert notify()[0] == 0
    code, out, _ = notify()
    assert code == 0 and len(smtp.mails) == 2
    assert "0 nieuw klaargezet, 0 verstuurd, 0 mislukt" in out
    assert count(town, "outbox") == 2


def test_two_reminders_a_week_apart_at_most_name_a_request(smtp, notify):
    assert notify(D)[0] == 0                       # 20/11: A1 late, A2 due soon; A3 has 4 days left
    assert notify(D + timedelta(days=6))[0] == 0   # 26/11: A1, A2 named 6 days ago; A3 (deadline 24/11) never named
    assert notify(D + timedelta(days=7))[0] == 0   # 27/11: A1, A2 a second time; A3 named yesterday
    assert notify(D + timedelta(days=14))[0] == 0  # 04/12: A1, A2 named twice; A3 a second time (8 days on)
    assert notify(D + timedelta(days=21))[0] == 0  # 11/12: everything named twice: no reminder
    assert [ids_in(m) for m in smtp.to(ZONNETJE)] == [["A1", "A2"], ["A3"], ["A1", "A2"], ["A3"]]


def test_the_26th_names_the_request_never_named_before(smtp, notify):
    """On 26/11 A3 (deadline 24/11) is overdue and was never named: a reminder names it alone."""
    notify(D)
    notify(D + timedelta(days=6))
    assert ids_in(smtp.to(ZONNETJE)[1]) == ["A3"]


def test_the_next_digest_lists_only_the_requests_newly_overdue(smtp, notify):
    notify(D)
    notify(D + timedelta(days=7))  # 27/11: A2 (deadline 22/11) and A3 (24/11) became overdue since 20/11
    second = smtp.to(COORDINATOR)[1]
    body = plain(second)
    part = body.split("Nieuw te laat sinds het vorige overzicht van 20/11/2026 (2)")[1].split("\n\n")[0]
    assert "A2 · Zonnetje (P1)" in part and "A3 · Zonnetje (P1)" in part and "A1" not in part


def test_a_server_that_is_down_loses_nothing_and_the_next_run_delivers(smtp, notify, town):
    smtp.down()
    code, _, err = notify()
    assert code == 1
    assert "2 mail(s) niet verstuurd; ze blijven bewaard en worden bij de volgende run opnieuw geprobeerd" in err
    assert "de mailserver is niet bereikbaar" in err
    assert rows(town, "SELECT state, tries FROM outbox ORDER BY id") == [("failed", 1), ("failed", 1)]
    smtp.up()
    code, out, _ = notify()
    assert code == 0
    assert sorted(rcpt[0] for rcpt, _ in smtp.mails) == [COORDINATOR, ZONNETJE]
    assert rows(town, "SELECT state, tries, error FROM outbox ORDER BY id") == [("sent", 2, ""), ("sent", 2, "")]
    assert "0 nieuw klaargezet, 2 verstuurd, 0 mislukt" in out


def test_a_failed_mail_is_tried_notify_tries_max_times(smtp, notify, town, capsys):
    smtp.down()
    for _ in range(4):
        notify()
    assert rows(town, "SELECT state, tries FROM outbox ORDER BY id") == [("failed", 3), ("failed", 3)]
    in_process(capsys)("settings", "set", "notify_tries_max", "4")
    smtp.up()
    assert notify()[0] == 0
    assert rows(town, "SELECT state, tries FROM outbox ORDER BY id") == [("sent", 4), ("sent", 4)]


def test_a_refused_address_fails_that_mail_alone(smtp, notify, town):
    smtp.refuse.add(ZONNETJE)
    code, _, err = notify()
    assert code == 1 and "weigert het adres (550 5.1.1 mailbox unavailable)" in err
    assert [rcpt for rcpt, _ in smtp.mails] == [[COORDINATOR]]
    assert rows(town, "SELECT target, state FROM outbox ORDER BY id") == [("P1", "failed"), ("coord", "sent")]


def test_a_dry_run_prints_what_would_go_and_stores_and_sends_nothing(smtp, notify, town, monkeypatch):
    monkeypatch.delenv("LLKO_SMTP_HOST")
    code, out, _ = notify(D, "--dry-run")
    assert code == 0
    assert "Proefrun voor 20/11/2026: 2 mail(s) zouden vertrekken; er is niets verstuurd of bewaard." in out
    assert f"--- herinnering aan {ZONNETJE}: Herinnering: 2 opvangvragen" in out
    assert "Aanvragen: A1, A2\n" in out
    assert smtp.mails == [] and count(town, "outbox") == 0


def test_without_a_mail_server_notify_refuses_and_stores_nothing(smtp, notify, town, monkeypatch):
    monkeypatch.delenv("LLKO_SMTP_HOST")
    code, _, err = notify()
    assert code == 1
    assert "Er is geen mailserver ingesteld (LLKO_SMTP_HOST en LLKO_SMTP_SENDER)" in err
    assert count(town, "outbox") == 0


def test_switching_reminders_back_on_sends_the_provider_its_reminder(smtp, notify, town):
    providers.set_reminders(town, "lien", "P3", True)
    notify()
    ster, = smtp.to("ster@example.be")
    assert ids_in(ster) == ["A8"]
    assert [d for _, d in audited(town, "reminders_switched")] == [{"opvang": "P3", "aan": False},
                                                                   {"opvang": "P3", "aan": True}]


def test_in_the_demo_town_the_mails_arrive_once_and_a_server_down_loses_nothing(own_demo, smtp, capsys):
    """Issue 27's 'done when': in the demo town, notify on its day (02/11/2026) with the mail server down fails every
    mail and keeps them; with the server up the next run delivers each once — the digest to the demo coordinator,
    each reminder to its own provider's address naming only that provider's requests; a third run sends nothing."""
    run = in_process(capsys)
    smtp.down()
    code, _, err = run("notify", "--as-of", "2026-11-02")
    assert code == 1 and "niet verstuurd; ze blijven bewaard" in err
    composed = rows(own_demo, "SELECT state, tries FROM outbox WHERE as_of = '2026-11-02'")
    assert composed and set(composed) == {("failed", 1)}
    smtp.up()
    assert run("notify", "--as-of", "2026-11-02")[0] == 0
    assert len(smtp.mails) == len(composed)  # every stored mail, once
    assert set(rows(own_demo, "SELECT state, tries FROM outbox WHERE as_of = '2026-11-02'")) == {("sent", 2)}
    assert len(smtp.to("kinderopvang@demo-llko.be")) == 1
    addresses = dict(rows(own_demo, "SELECT email, id FROM providers"))
    for rcpt, message in smtp.mails:
        if rcpt == ["kinderopvang@demo-llko.be"]:
            continue
        provider = addresses[rcpt[0]]
        named = [w.rstrip(":") for w in plain(message).split() if w.startswith("A20") and w.endswith(":")]
        owners = {r[0] for r in rows(own_demo, "SELECT provider_id FROM requests WHERE id IN ("
                                     + ", ".join(f"'{i}'" for i in named) + ")")}
        assert named and owners == {provider}
    assert run("notify", "--as-of", "2026-11-02")[0] == 0
    assert len(smtp.mails) == len(composed)
