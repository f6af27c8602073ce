"""Aanvragen: per provider, with drill-down to its requests and each request's status history."""

from dataclasses import replace
from datetime import timedelta

import streamlit as st

import ui

from llko.requests.statuses import ALL

IN_TIME = ui.IN_TIME


def follow_click(table_key: str, ids_key: str, target_key: str) -> None:
    """A click on a table row chooses that row's id in the selectbox below (which the keyboard can reach too)."""
    ids = st.session_state.get(ids_key, [])
    row = ui.selected_row(st.session_state[table_key], len(ids))
    if row is not None:
        st.session_state[target_key] = ids[row]


ui.open_page(__file__)
today = ui.today()
names = ui.reads.provider_names()

with st.container(border=True):
    c1, c2, c3 = st.columns([2, 2, 2])
    chosen_providers = ui.choose_many("Opvang", names, placeholder="Alle opvang", select_all=False, where=c1)
    chosen_status = ui.choose_many("Status", {s: ui.STATUS_LABELS[s] for s in ALL}, placeholder="Alle statussen",
                                   select_all=False, where=c2)
    first, last = ui.reads.received_span()
    first, last = first or today - timedelta(days=180), last or today
    period = c3.date_input("Ontvangen tussen", (first, today), format="DD/MM/YYYY")

start, end = period if isinstance(period, tuple) and len(period) == 2 else (first, today)
selection = ui.reads.Selection(provider_ids=tuple(chosen_providers) or None, statuses=tuple(chosen_status) or None,
                      received_from=start if start > first else None,  # bounds around every request: no bound
                      received_until=end if end < last else None)
table = ui.reads.per_provider(today, selection)
table = table[table["total"] > 0].sort_values(["overdue", "open", "name"], ascending=[False, False, True])
st.write(f"{int(table['total'].sum())} aanvragen in deze selectie, ontvangen van {ui.fmt_date(start)} tot "
         f"{ui.fmt_date(end)}. ‘{IN_TIME}’: van de aanvragen waarvan de termijn in de {ui.tables.WINDOW_DAYS} dagen tot "
         f"{ui.fmt_date(today)} afliep, het aandeel dat op tijd een antwoord kreeg (los van de filters op status en "
         "periode). Klik op een opvang om haar aanvragen te zien.")

view = ui.provider_view(table, ["name", "kind", "open", "overdue", "answered", "in_time_pct", "not_possible",
                                 "approved", "closed_elsewhere_approved"])
st.session_state["_provider_rows"] = list(table["provider_id"])
ui.table(view, key="per_provider", column_config={IN_TIME: st.column_config.NumberColumn(format="%d%%")},
         on_select=lambda: follow_click("per_provider", "_provider_rows", "detail_provider"),
         selection_mode="single-row")
ui.download_buttons(view.rename(columns={IN_TIME: ui.IN_TIME_DOWNLOAD}),
                    f"aanvragen-per-opvang-{today:%Y%m%d}", key="dl_providers", sheet="Aanvragen per opvang")

st.header("Aanvragen van één opvang")
detail_options = list(table["provider_id"])  # the provider with most overdue requests first
if not detail_options:
    st.info("Geen aanvragen in deze selectie.")
    st.stop()
provider_id = ui.choose("Opvang", {p: names.get(p, p) for p in detail_options}, key="detail_provider")
rows = ui.reads.classified_requests(today, replace(selection, provider_ids=(provider_id,)))
rows = rows.sort_values(["received", "id"], ascending=False)
columns = ["id", "child_id", "received", "deadline", "status", "status_date", "answer_date", "days_late"]
st.write(f"{len(rows)} aanvragen van {ui.literal(names.get(provider_id, provider_id))}, de nieuwste eerst. Klik op een aanvraag "
         "voor haar statusgeschiedenis.")
st.session_state["_request_rows"] = list(rows["id"])
ui.show_requests(rows, columns, key="detail_requests", selection_mode="single-row",
                 on_select=lambda: follow_click("detail_requests", "_request_rows", "history_request"))
ui.download_buttons(ui.request_view(rows, columns), f"aanvragen-{provider_id}-{today:%Y%m%d}", key="dl_requests",
                    sheet=f"Aanvragen {provider_id}")

request_id = ui.choose("Statusgeschiedenis van aanvraag", list(rows["id"]), index=None,
                       placeholder="Kies een aanvraag", key="history_request")
if request_id:
    history = ui.reads.status_history(request_id)
    history["status"] = history["status"].map(ui.STATUS_LABELS)
    ui.table(history.rename(columns={"status": "Status", "status_date": "Datum status",
                                     "snapshot_date": "Gezien in momentopname van"}),
             key="history", column_config=ui.date_columns("Datum status", "Gezien in momentopname van"))
