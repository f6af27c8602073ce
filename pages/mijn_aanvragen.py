"""Mijn aanvragen: a provider's own open, overdue and due-soon requests, and the R4 to-dos."""

import streamlit as st

import ui
from llko import queries

REMINDER_TEXT = ("Aangezien we geen reactie meer krijgen, wordt deze aanvraag binnen 1 week afgesloten. "
                 "Wenst u toch nog kinderopvang, neem dan contact met ons op via …")

user = ui.require_role("provider")
today = ui.today()
own = user.provider_ids  # the only providers this page ever reads
names = dict(queries.providers(ui.engine())[["id", "name"]].itertuples(index=False))
st.title("Mijn aanvragen")
if not own:
    st.warning("Uw account is nog aan geen opvang gekoppeld. Neem contact op met het Lokaal Loket Kinderopvang.")
    st.stop()
provider_id = own[0] if len(own) == 1 else st.selectbox("Opvang", own, format_func=names.get, key="own_provider")
if provider_id not in own:  # a forged widget value never widens the scope
    st.stop()
st.caption(f"{names.get(provider_id, provider_id)} — stand op {ui.fmt_date(today)}. Beantwoord elke aanvraag "
           "binnen 14 dagen in Opvang.Vlaanderen; ‘vraag ontvangen’ telt niet als antwoord.")

scope = (provider_id,)
figures = ui.read("kpis", today, scope)
tiles = st.columns(4)
tiles[0].metric("Open", figures["open"])
tiles[1].metric("Te laat", figures["overdue"])
tiles[2].metric("Termijn loopt af ≤ 3 dagen", figures["due_soon"])
tiles[3].metric("Tijdig beantwoord (90 dagen)", ui.fmt_pct(figures["in_time_rate"]))

st.subheader("Te laat")
late = ui.read("request_list", today, "overdue", scope)
if late.empty:
    st.success("U hebt geen aanvragen die te laat zijn. Goed zo!")
else:
    ui.show_requests(late, ["id", "received", "deadline", "days_late", "status"], key="own_overdue")
    ui.list_caption(late, figures["overdue"])

st.subheader("Binnenkort te beantwoorden")
open_waiting = ui.read("request_list", today, "waiting", scope)
if open_waiting.empty:
    st.info("Geen openstaande aanvragen zonder antwoord.")
else:
    soon = figures["due_soon"]
    st.caption(f"{soon} {'aanvraag' if soon == 1 else 'aanvragen'} met een termijn die binnen 3 dagen "
               "afloopt; hieronder de open aanvragen zonder antwoord, de kortste termijn eerst.")
    ui.show_requests(open_waiting, ["id", "received", "deadline", "days_left", "status"], key="own_waiting")
    ui.list_caption(open_waiting)

st.subheader("Ouders reageren niet meer")
todos = ui.followups(today, scope)
if todos.empty:
    st.info("Geen opvolgacties.")
else:
    ui.show_requests(todos, ["id", "status_date", "reminder_date", "close_date", "todo"], key="own_todos")
    ui.list_caption(todos)
    st.write("Herinneringsbericht uit de procedure (klik rechtsboven om te kopiëren):")
    st.code(REMINDER_TEXT, language=None, wrap_lines=True)
    st.caption("Krijgt u een week na de herinnering nog geen reactie, zet de aanvraag dan op "
               "‘geannuleerd door opvang’.")
