"""Meldingen: what today's notify run would mail (R13), the mails sent and failed with their errors, a failed one
tried again, and the providers a reminder cannot reach."""

from datetime import timedelta

import pandas as pd
import streamlit as st

import ui
from llko import config as installation
from llko.clock import typed_day_problem
from llko.notify import service
from llko.notify.models import DIGEST, FAILED, PENDING, REMINDER, SENT

KIND_LABELS = {REMINDER: "herinnering aan opvang", DIGEST: "dagoverzicht"}
STATE_LABELS = {SENT: "verstuurd", FAILED: "mislukt", PENDING: "wacht"}
ALL, NONE = "alle", -1  # the choices that filter nothing, open no mail (Streamlit shows None as an empty choice)

user = ui.open_page(__file__)
ui.show_flash()
today = ui.today()
settings = ui.reads.settings()
st.write(f"Elke dag mailt de geplande opdracht `python -m llko notify` twee soorten meldingen. Een opvang met "
         f"aanvragen die te laat zijn of waarvan de termijn binnen {settings.due_soon_days} dagen afloopt, krijgt "
         f"een herinnering; eenzelfde aanvraag wordt hoogstens {settings.reminder_max} keer genoemd, minstens "
         f"{settings.reminder_interval_days} dagen na elkaar. Elke coördinator met een e-mailadres krijgt het "
         "dagoverzicht wanneer er iets te melden is. Een mail die niet vertrekt, blijft bewaard en wordt bij de "
         f"volgende run opnieuw geprobeerd (hoogstens {settings.notify_tries_max} keer).")
try:
    server = installation.smtp()
except ValueError as exc:
    server = None
    st.error(f"De mailserver is verkeerd ingesteld: {exc}. De geplande run weigert tot dat verbeterd is.")
else:
    if server is None:
        st.warning("Er is nog geen mailserver ingesteld (LLKO_SMTP_HOST en LLKO_SMTP_SENDER): de geplande run "
                   "weigert en verstuurt niets. Het voorbeeld hieronder toont wel wat zou vertrekken; README.md zegt "
                   "hoe de dienst IT de mailserver instelt.")
    else:
        st.write(f"Mailserver: {ui.literal(server.host)}, poort {server.port} ({server.security}); afzender "
                 f"{ui.literal(server.sender)}.")

st.header("Wat vandaag zou vertrekken")
preview = ui.reads.notify_preview(today)
if not preview.composed:
    st.info(f"Op {ui.fmt_date(today)} zou er niets (meer) vertrekken: geen aanvraag die nog genoemd mag worden en "
            "niets voor het dagoverzicht, of de run van vandaag heeft alles al verstuurd.")
else:
    drafts = pd.DataFrame({
        "Soort": [KIND_LABELS[d.kind] for d in preview.composed],
        "Aan": [d.recipient for d in preview.composed],
        "Onderwerp": [d.subject for d in preview.composed],
        "Aanvragen": [len(d.request_ids) for d in preview.composed],
    })
    st.write(f"{len(drafts)} {'mail' if len(drafts) == 1 else 'mails'} als de run nu zou lopen voor "
             f"{ui.fmt_date(today)}; er is nog niets verstuurd of bewaard.")
    ui.table(drafts, key="notify_preview", wrap=("Onderwerp",))
    chosen = ui.choose("Mail lezen", {NONE: "–", **{i: f"{KIND_LABELS[d.kind]} aan {d.recipient}"
                                                    for i, d in enumerate(preview.composed)}}, key="notify_preview_read")
    if chosen != NONE:
        st.code(preview.composed[chosen].text, language=None, wrap_lines=True)

st.header("Opvang die geen herinnering krijgt")
recipients = ui.reads.reminder_recipients()
unreachable = [r for r in recipients.values() if not r.email or not r.wants_reminders]
if not unreachable:
    st.success("Elke opvang heeft een e-mailadres en ontvangt herinneringen.")
else:
    st.write("Zonder e-mailadres of met herinneringen uitgezet krijgt een opvang geen mail; het dagoverzicht noemt "
             "haar aanvragen die te laat zijn. Het e-mailadres staat bij de opvanggegevens (pagina Opvang); "
             "herinneringen zet de opvang zelf aan of uit op Mijn aanvragen.")
    ui.table(pd.DataFrame({
        "Opvang": [r.name for r in unreachable],
        "Dossiernummer": [r.key for r in unreachable],
        "E-mail": [r.email or None for r in unreachable],
        "Herinneringen": ["aan" if r.wants_reminders else "uitgezet" for r in unreachable],
    }).sort_values("Opvang"), key="notify_unreachable")

st.header("Verstuurd en mislukt")
c1, c2 = st.columns(2)
since = ui.forms.day_input("Vanaf", today - timedelta(days=30), key="notify_since", where=c1)
if since is None or (wrong := typed_day_problem("Vanaf", since, today)):
    st.error(wrong or "Vanaf: kies een dag.")
    st.stop()
state = ui.choose("Toestand", {ALL: "alle", FAILED: "mislukt", SENT: "verstuurd", PENDING: "wacht"},
                  key="notify_state", where=c2)
history = ui.reads.outbox(since, None if state == ALL else state)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({  # how it went first, what it said after
        "Dag": frame["as_of"].map(ui.fmt_date), "Soort": frame["kind"].map(KIND_LABELS),
        "Aan": frame["recipient"], "Toestand": frame["state"].map(STATE_LABELS), "Pogingen": frame["tries"],
        "Fout": frame["error"].where(frame["error"] != "", None), "Onderwerp": frame["subject"],
        "Aanvragen": frame["request_ids"].where(frame["request_ids"] != "", None),
        "Verstuurd op": ui.fmt_moments(frame["sent_at"]),
    })


if history.empty:
    st.write(f"Geen mails sinds {ui.fmt_date(since)} bij deze keuze.")
else:
    failed_count = int((history["state"] == FAILED).sum())
    st.write(f"{len(history)} {'mail' if len(history) == 1 else 'mails'} sinds {ui.fmt_date(since)}, de nieuwste "
             f"eerst; {failed_count} mislukt.")
    ui.table(readable(history), key="notify_history", wrap=("Onderwerp", "Fout"))
    ui.download_buttons(lambda: readable(history), f"meldingen-{today:%Y%m%d}", key="dl_notify", sheet="Meldingen")
    opened = ui.choose("Mail lezen", {NONE: "–", **{
        int(row.id): f"{ui.fmt_date(row.as_of)}: {KIND_LABELS[row.kind]} aan {row.recipient}"
        for row in history.itertuples(index=False)}}, key="notify_history_read")
    if opened != NONE:
        found = ui.reads.outbox_mail(opened)
        if found is not None:
            st.code(found.body_text, language=None, wrap_lines=True)

st.header("Mislukte mails opnieuw proberen")
failed = ui.reads.outbox(state=FAILED)
if failed.empty:
    st.success("Geen mislukte mails.")
else:
    st.write("Een mail die ook na de laatste poging niet vertrok, blijft hier staan tot ze verstuurd is. Verbeter "
             "eerst wat de fout zegt (een e-mailadres, de mailserver), probeer dan opnieuw.")
    retry = ui.choose("Mislukte mail", {int(row.id): f"{ui.fmt_date(row.as_of)}: {KIND_LABELS[row.kind]} aan "
                                                     f"{row.recipient} ({row.tries} pogingen)"
                                        for row in failed.itertuples(index=False)}, key="notify_retry")
    if server is None:
        st.write("Zonder mailserver kan er niets opnieuw verstuurd worden (zie hierboven).")
    if st.button("Opnieuw proberen", key="notify_retry_button", disabled=server is None) and retry is not None:
        try:
            result = service.retry(ui.engine(), user.username, retry)
        except ValueError as exc:
            ui.clear_caches()
            ui.forms.show_refusal(exc)
        else:
            if result.ok:
                ui.flash("De mail is opnieuw verstuurd.")
            ui.clear_caches()
            st.error(f"Opnieuw mislukt: {ui.literal(result.failed[0][2])}. De mail blijft bewaard.")
