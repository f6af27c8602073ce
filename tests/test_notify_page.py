"""The Meldingen page (coordinator) and the provider's own switch on Mijn aanvragen, through AppTest on the small
town of test_notify_run: what today's run would send, who gets no reminder, the history with its errors, a failed
mail tried again against a real SMTP server; a provider switching its reminders off (audited)."""

from datetime import date

import pytest

from apptest import errors, page, table
from llko.notify.service import run
from test_notify_run import COORDINATOR, D, ZONNETJE, Inbox, free_port, town  # noqa: F401  (fixtures)
from tests.helpers import audited, count, rows

MELDINGEN = "views/meldingen.py"


@pytest.fixture
def on_day(town, db_url, app_env, monkeypatch):  # noqa: F811
    app_env(db_url)
    monkeypatch.setenv("LLKO_TODAY", D.isoformat())
    for name in ("LLKO_SMTP_HOST", "LLKO_SMTP_SENDER"):
        monkeypatch.delenv(name, raising=False)
    return town


@pytest.fixture
def server(monkeypatch):
    inbox = Inbox()
    inbox.port = free_port()
    inbox.up()
    for name, value in {"LLKO_SMTP_HOST": "127.0.0.1", "LLKO_SMTP_PORT": str(inbox.port),
                        "LLKO_SMTP_SECURITY": "none", "LLKO_SMTP_SENDER": "kinderopvang@ninove.example"}.items():
        monkeypatch.setenv(name, value)
    yield inbox
    if inbox.controller is not None:
        inbox.down()


def texts(at) -> str:
    return " ".join(str(e.value) for e in (*at.markdown, *at.info, *at.warning, *at.success, *at.error))


def test_the_page_shows_what_today_would_send_and_stores_nothing(on_day):
    at = page(MELDINGEN, "coord").run()
    assert not errors(at)
    preview = table(at, "Onderwerp")
    assert list(preview["Aan"]) == [ZONNETJE, COORDINATOR]
    assert list(preview["Soort"]) == ["herinnering aan opvang", "dagoverzicht"]
    assert list(preview["Aanvragen"]) == [2, 4]  # A1, A2; the digest: A1, A7, A8 late, A2 due soon
    assert "Er is nog geen mailserver ingesteld" in texts(at)
    assert not at.code  # no mail opened until one is chosen
    at.selectbox(key="notify_preview_read").select(0).run()
    assert "- A1: ontvangen op 01/11/2026, antwoord uiterlijk op 15/11/2026 (te laat)" in at.code[0].value
    assert count(on_day, "outbox") == 0


def test_the_page_names_the_providers_a_reminder_cannot_reach(on_day):
    at = page(MELDINGEN, "coord").run()
    unreachable = table(at, "Herinneringen").fillna("–")
    assert unreachable.to_dict("records") == [
        {"Opvang": "Maan", "Dossiernummer": "P2", "E-mail": "–", "Herinneringen": "aan"},
        {"Opvang": "Ster", "Dossiernummer": "P3", "E-mail": "ster@example.be", "Herinneringen": "uitgezet"}]


def test_a_failed_mail_shows_its_error_and_goes_when_tried_again(on_day, server):
    server.down()
    assert not run(on_day, D).ok
    server.up()
    at = page(MELDINGEN, "coord").run()
    history = table(at, "Toestand")
    assert list(history["Toestand"]) == ["mislukt", "mislukt"]
    assert all("niet bereikbaar" in e for e in history["Fout"])
    assert list(history["Aanvragen"])[-1] == "A1, A2"  # the reminder, oldest last
    at.selectbox(key="notify_retry").select(rows(on_day, "SELECT id FROM outbox WHERE target = 'P1'")[0][0]).run()
    at.button(key="notify_retry_button").click().run()
    assert not errors(at)
    assert [rcpt for rcpt, _ in server.mails] == [[ZONNETJE]]
    assert rows(on_day, "SELECT target, state, tries FROM outbox ORDER BY id") == [("P1", "sent", 2),
                                                                                ("coord", "failed", 1)]
    assert [(actor, d["gelukt"]) for actor, d in audited(on_day, "notify_retried")] == [("coord", True)]
    assert "De mail is opnieuw verstuurd." in texts(at)
    at.selectbox(key="notify_state").select("sent").run()
    assert list(table(at, "Toestand")["Aan"]) == [ZONNETJE]
    at.selectbox(key="notify_state").select("failed").run()
    assert list(table(at, "Toestand")["Aan"]) == [COORDINATOR]


def test_without_a_mail_server_the_retry_button_is_off(on_day, server, monkeypatch):
    server.down()
    run(on_day, D)
    monkeypatch.delenv("LLKO_SMTP_HOST")
    at = page(MELDINGEN, "coord").run()
    assert at.button(key="notify_retry_button").disabled


def test_a_provider_switches_its_reminders_off_and_on(on_day, engine):
    at = page("views/mijn_aanvragen.py", "zon").run()
    assert "mailt Zonnetje een herinnering naar zonnetje@example.be" in texts(at)
    at.toggle(key="reminders_P1").set_value(False).run()
    at.button(key="reminders_save").click().run()
    assert not errors(at)
    assert rows(engine, "SELECT reminders FROM providers WHERE id = 'P1'") in ([(False,)], [(0,)])
    assert [(actor, d) for actor, d in audited(engine, "reminders_switched")][-1] == ("zon",
                                                                                      {"opvang": "P1", "aan": False})
    at.toggle(key="reminders_P1").set_value(True).run()
    at.button(key="reminders_save").click().run()
    assert rows(engine, "SELECT reminders FROM providers WHERE id = 'P1'") in ([(True,)], [(1,)])


def test_a_provider_cannot_open_meldingen(on_day):
    at = page(MELDINGEN, "zon").run()
    assert [t.value for t in at.title] == []
    assert count(on_day, "outbox") == 0


def test_the_history_can_be_read_mail_by_mail(on_day, server):
    run(on_day, D)
    at = page(MELDINGEN, "coord").run()
    mail_id = rows(on_day, "SELECT id FROM outbox WHERE target = 'coord'")[0][0]
    at.selectbox(key="notify_history_read").select(mail_id).run()
    shown = at.code[-1].value.replace("\n  ", " ")  # wrapped list items on one line again
    assert shown.startswith("Beste Coord,") and "Dagoverzicht" not in shown
    assert "Maan (P2) · 20/11/2026 · geen e-mailadres in de opvanggegevens; aanvragen A7" in shown
    assert date(2026, 11, 20).strftime("%d/%m/%Y") in shown


def test_overzicht_lists_the_stale_data_of_every_provider(on_day):
    at = page("views/overzicht.py", "coord").run()
    stale = table(at, "Toelichting")
    assert list(zip(stale["Opvang"], stale["Wat"], stale["Toelichting"])) == [  # by name
        ("Maan", "aanvragen", "1 open aanvraag, geen status bewoog sinds 01/11/2026"),
        ("Maan", "infopagina", "nooit nagekeken door het loket"),
        ("Ster", "aanvragen", "1 open aanvraag, geen status bewoog sinds 01/11/2026"),
        ("Ster", "infopagina", "nooit nagekeken door het loket"),
        ("Zonnetje", "infopagina", "nooit nagekeken door het loket")]


def test_a_provider_sees_only_its_own_stale_data_with_what_to_do(on_day):
    at = page("views/mijn_aanvragen.py", "zon").run()
    warnings = [w.value for w in at.warning]
    assert warnings == ["Infopagina: nooit nagekeken door het loket — vul de infopagina aan en verklaar ze op Mijn "
                        "infopagina; het loket kijkt ze dan na."]


def test_mijn_infopagina_says_when_the_loket_looked_too_long_ago(on_day, engine):
    from llko.infopagina import service as infopagina

    infopagina.record(engine, "coord", "P1", date(2025, 11, 19), "loket", dict.fromkeys(
        ("openingsuren", "openingsdagen", "contact", "foto_logo", "tarief"), True), "Coord")  # 366 days before D
    at = page("views/mijn_infopagina.py", "zon").run()
    assert [w.value for w in at.warning] == [
        "Verouderd: laatst nagekeken door het loket op 19/11/2025, meer dan 365 dagen geleden — vul de infopagina aan "
        "en verklaar ze op Mijn infopagina; het loket kijkt ze dan na."]
