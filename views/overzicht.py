"""Overzicht: the coordinator's daily five-minute check."""

from datetime import timedelta

import pandas as pd
import streamlit as st

import ui
from llko.compliance import ladder, rules as compliance_rules
from llko.infopagina import rules as infopagina_rules
from llko.notify import stale as notify_stale
from llko.providers import rules as provider_rules
from llko.vacancies import rules as vacancy_rules

ui.open_page(__file__)
today = ui.today()
config = ui.reads.settings()
days, soon_days = config.deadline_days, config.due_soon_days
st.write(f"Stand op {ui.fmt_date(today)} — welke opvang laat welke aanvraag liggen, en welke ouders moeten "
         "opgevolgd worden?")

figures = ui.reads.kpis(today)
tiles = st.columns(5)
tiles[0].metric("Open aanvragen", figures["open"], border=True,
                help="Nieuw, vraag ontvangen of in behandeling, en niet afgesloten door een goedkeuring elders (R1, R3).")
tiles[1].metric("Te laat (nog geen antwoord)", figures["overdue"], border=True,
                help=f"Nog geen antwoord en meer dan {days} dagen na ontvangst (R2).")
tiles[2].metric(f"Termijn loopt af (≤ {soon_days} dagen)", figures["due_soon"], border=True,
                help=f"Nog geen antwoord en de termijn van {days} dagen loopt binnen {soon_days} dagen af (R2).")
tiles[3].metric(ui.IN_TIME, ui.fmt_pct(figures["in_time_rate"]), border=True,
                help=ui.in_time_help(days, "de"))
tiles[4].metric("Kinderen met onvervulde nood", figures["children_unmet"], border=True,
                help="Alle aanvragen afgesloten, minstens één ‘opvangplan niet mogelijk’, geen goedkeuring (R5).")

st.header(f"Te laat: nog geen antwoord na {days} dagen")
late = ui.reads.request_list(today, "overdue")
if late.empty:
    st.success("Geen enkele aanvraag is te laat.")
else:
    ui.show_requests(late, ["provider_name", "id", "child_id", "received", "deadline", "days_late", "status"],
                     key="overdue")
    ui.list_caption(late, figures["overdue"])

st.header(f"Termijn loopt binnen {soon_days} dagen af")
soon = ui.reads.request_list(today, "due_soon")
if soon.empty:
    st.info("Geen aanvragen met een termijn die binnenkort afloopt.")
else:
    ui.show_requests(soon, ["provider_name", "id", "received", "deadline", "days_left", "status"], key="due_soon")
    ui.list_caption(soon, figures["due_soon"])

st.header("Op te volgen: ouders reageren niet (R4)")
st.write("‘In behandeling’ zonder reactie van de ouders: na 1 maand een herinnering, 1 week later afsluiten als "
         "‘geannuleerd door opvang’.")
todos = ui.reads.request_list(today, "followups")
if todos.empty:
    st.info("Geen opvolgacties.")
else:
    ui.show_requests(todos, ["provider_name", "id", "status_date", "reminder_date", "close_date", "todo"], key="todos")
    ui.list_caption(todos)

st.header("Registers: wat vraagt vandaag aandacht?")
places = [v for v in ui.reads.vacancies() if vacancy_rules.is_active(v, today)]
flags = ui.reads.stale_flags(today)
stale = [f for f in flags if f.kind == notify_stale.VACANCY]
names = ui.reads.provider_names()
checks = ui.reads.infopagina_checks()
states = infopagina_rules.states(checks, today, names)
to_confirm = sorted(names[p] for p, s in states.items() if s.to_confirm)
incomplete = sorted(names[p] for p, s in states.items()  # as the Infopagina page says it (a too old check: unknown)
                    if infopagina_rules.standing(s, today, config.infopagina_max_age_days) == infopagina_rules.INCOMPLETE)
unsigned = ui.reads.latest_signatures().pipe(lambda f: f[f["signed_on"].isna() & ~f["stopped_on"].map(
    lambda d: provider_rules.has_stopped(d, today)).astype(bool)])
left, middle, right = st.columns(3)
with left:
    st.metric("Vrije plaatsen vandaag", sum(v.plaatsen for v in places), border=True,
              help=f"{len(places)} meldingen; {len(stale)} al meer dan {config.vacancy_stale_days} dagen niet bevestigd.")
with middle:
    st.metric("Infopagina: te bevestigen", len(to_confirm), border=True,
              help="Verklaringen van opvanginitiatieven, nieuwer dan de laatste controle van het loket.")
with right:
    st.metric("Overeenkomst niet ondertekend", len(unsigned), border=True)
notes = []
if stale:
    notes.append(f"{len(stale)} vrije {'plaats' if len(stale) == 1 else 'plaatsen'} al meer dan "
                 f"{config.vacancy_stale_days} dagen niet bevestigd: vraag na of ze nog vrij {'is' if len(stale) == 1 else 'zijn'}.")
if to_confirm:
    notes.append("Infopagina te bevestigen: " + ui.literal(", ".join(to_confirm)) + ".")
if incomplete:
    notes.append("Infopagina onvolledig: " + ui.literal(", ".join(incomplete)) + ".")
for note in notes:
    st.write(note)
st.write("Meer op de pagina's Vrije plaatsen (met de passende kinderen), Infopagina en Overeenkomst en LOK.")

st.header("Verouderde gegevens")
if not flags:
    st.success("Geen verouderde gegevens: elke opvang met open aanvragen werkte ze onlangs bij, elke vrije plaats is "
               "bevestigd en elke infopagina is recent nagekeken.")
else:
    flags = sorted(flags, key=lambda f: (names.get(f.provider_id, f.provider_id), notify_stale.KINDS.index(f.kind)))
    st.write(f"Gegevens die te lang niet bewogen: open aanvragen zonder statuswijziging sinds meer dan "
             f"{config.status_stale_days} dagen, vrije plaatsen niet bevestigd sinds meer dan "
             f"{config.vacancy_stale_days} dagen, infopagina's die het loket nooit of meer dan "
             f"{config.infopagina_max_age_days} dagen geleden nakeek. Het dagoverzicht per mail noemt dezelfde.")
    ui.table(pd.DataFrame({"Opvang": [names.get(f.provider_id, f.provider_id) for f in flags],
                           "Wat": [f.kind for f in flags], "Sinds": [f.since for f in flags],
                           "Toelichting": [f.text for f in flags]}),
             key="stale_flags", column_config=ui.date_columns("Sinds"), wrap=("Toelichting",))

st.header("Opvolging van de samenwerking")
RECENT_DAYS = 28
files = ui.reads.enforcement_files()
open_files = files[files["closed_on"].isna()]
recent = ui.reads.contacts(since=today - timedelta(days=RECENT_DAYS - 1))
left, right = st.columns(2)
left.metric("Open dossiers", len(open_files), border=True,
            help="Dossiers op de ladder van de overeenkomst (tekortkoming vastgesteld tot sanctie), nog niet afgesloten.")
right.metric(f"Contacten (laatste {RECENT_DAYS} dagen)", len(recent), border=True,
             help=f"Contacten van het loket met opvanginitiatieven sinds {ui.fmt_date(today - timedelta(days=RECENT_DAYS - 1))}.")
if not open_files.empty:
    ui.table(pd.DataFrame({"Opvang": open_files["provider_id"].map(lambda p: names.get(p, p)),
                           "Stap": open_files["step"].map(ladder.STEP_LABELS), "Sinds": open_files["step_on"],
                           "Geopend op": open_files["opened_on"],
                           "Over": [", ".join(compliance_rules.SHORT_LABELS[o] for o in obl)
                                    for obl in open_files["obligations"]]}),
             key="open_files", column_config=ui.date_columns("Sinds", "Geopend op"))
if not recent.empty:
    contacted = recent.groupby("provider_id")["contact_on"].agg(["count", "max"]).reset_index()
    contacted = contacted.sort_values("max", ascending=False)
    st.write(f"Gecontacteerd in de laatste {RECENT_DAYS} dagen:")
    ui.table(pd.DataFrame({"Opvang": contacted["provider_id"].map(lambda p: names.get(p, p)),
                           "Contacten": contacted["count"], "Laatste": contacted["max"]}),
             key="recent_contacts", column_config=ui.date_columns("Laatste"))
st.write("Meer op de pagina's Naleving (oordelen per opvang) en Dossier (advies, contacten, ladder, brieven).")
