"""Overzicht: the coordinator's daily five-minute check."""

import streamlit as st

import ui

ui.open_page(__file__)
today = ui.today()
st.caption(f"Stand op {ui.fmt_date(today)} — wie laat welke aanvraag liggen?")

figures = ui.read("kpis", today)
tiles = st.columns(5)
tiles[0].metric("Open aanvragen", figures["open"])
tiles[1].metric("Te laat beantwoord", figures["overdue"], help="Geen antwoord en meer dan 14 dagen na ontvangst (R2).")
tiles[2].metric("Termijn loopt af ≤ 3 dagen", figures["due_soon"])
tiles[3].metric("Tijdig beantwoord (90 dagen)", ui.fmt_pct(figures["in_time_rate"]),
                help="Aanvragen waarvan de termijn van 14 dagen de voorbije 90 dagen afliep: aandeel op tijd beantwoord.")
tiles[4].metric("Kinderen met onvervulde nood", figures["children_unmet"],
                help="Alle aanvragen afgesloten, minstens één 'opvangplan niet mogelijk', geen goedkeuring (R5).")

st.header("Te laat: nog geen antwoord na 14 dagen")
late = ui.read("request_list", today, "overdue")
if late.empty:
    st.success("Geen enkele aanvraag is te laat.")
else:
    ui.show_requests(late, ["provider_name", "id", "child_id", "received", "deadline", "days_late", "status"], key="overdue")
    ui.list_caption(late, figures["overdue"])

st.header("Termijn loopt binnen 3 dagen af")
soon = ui.read("request_list", today, "due_soon")
if soon.empty:
    st.info("Geen aanvragen met een termijn die binnenkort afloopt.")
else:
    ui.show_requests(soon, ["provider_name", "id", "received", "deadline", "days_left", "status"], key="due_soon")
    ui.list_caption(soon, figures["due_soon"])

st.header("Op te volgen: ouders reageren niet (R4)")
st.caption("‘In behandeling’ zonder reactie van de ouders: na 1 maand een herinnering, 1 week later afsluiten als "
           "‘geannuleerd door opvang’.")
todos = ui.followups(today)
if todos.empty:
    st.info("Geen opvolgacties.")
else:
    ui.show_requests(todos, ["provider_name", "id", "status_date", "reminder_date", "close_date", "todo"], key="todos")
    ui.list_caption(todos)
