"""Aanvragen: per provider, with drill-down to its requests and each request's status history."""

from dataclasses import replace
from datetime import timedelta

import streamlit as st

import ui
from llko.requests import queries
from llko.providers import queries as provider_queries
from llko.requests.queries import Selection
from llko.requests.statuses import ALL

ui.open_page(__file__)
today = ui.today()

providers = provider_queries.providers(ui.engine())
names = dict(zip(providers["id"], providers["name"]))

with st.container(border=True):
    c1, c2, c3 = st.columns([2, 2, 2])
    chosen_providers = c1.multiselect("Opvang", providers["id"], format_func=names.get, placeholder="Alle opvang")
    chosen_status = c2.multiselect("Status", ALL, format_func=ui.STATUS_LABELS.get, placeholder="Alle statussen")
    first, last = queries.received_span(ui.engine())
    first, last = first or today - timedelta(days=180), last or today
    period = c3.date_input("Ontvangen tussen", (first, today), format="DD/MM/YYYY")

start, end = period if isinstance(period, tuple) and len(period) == 2 else (first, today)
selection = Selection(provider_ids=tuple(chosen_providers) or None, statuses=tuple(chosen_status) or None,
                      received_from=start if start > first else None,  # bounds around every request: no bound
                      received_until=end if end < last else None)
table = ui.read("per_provider", today, selection)
table = table[table["total"] > 0]
st.caption(f"{int(table['total'].sum())} aanvragen in deze selectie.")

view = table.rename(columns={
    "name": "Opvang", "kind": "Soort", "open": "Open", "overdue": "Te laat", "in_time_share": "Tijdig beantwoord",
    "not_possible": "Tekort (niet mogelijk)", "closed_elsewhere_approved": "Elders goedgekeurd",
    "approved": "Goedgekeurd", "answered": "Beantwoord",
})[["Opvang", "Soort", "Open", "Te laat", "Beantwoord", "Tijdig beantwoord", "Tekort (niet mogelijk)",
    "Goedgekeurd", "Elders goedgekeurd"]].sort_values(["Te laat", "Open"], ascending=False)
view["Tijdig beantwoord"] = ui.whole_percent(view["Tijdig beantwoord"])
ui.table(view, key="per_provider", column_config={
    "Tijdig beantwoord": st.column_config.NumberColumn(format="%d%%")})
ui.download_buttons(view.rename(columns={"Tijdig beantwoord": "Tijdig beantwoord (%)"}),
                    f"aanvragen-per-opvang-{today:%Y%m%d}", key="dl_providers", sheet="Aanvragen per opvang")

st.header("Detail per opvang")
detail_options = list(table.sort_values("name")["provider_id"])
if not detail_options:
    st.info("Geen aanvragen in deze selectie.")
    st.stop()
provider_id = st.selectbox("Opvang", detail_options, format_func=names.get, key="detail_provider")
rows = ui.read("classified_requests", today, replace(selection, provider_ids=(provider_id,)))
rows = rows.sort_values(["received", "id"], ascending=False)
columns = ["id", "child_id", "received", "deadline", "status", "status_date", "answer_date", "days_late"]
ui.show_requests(rows, columns, key="detail_requests")
ui.download_buttons(ui.request_view(rows, columns), f"aanvragen-{provider_id}-{today:%Y%m%d}", key="dl_requests",
                    sheet=f"Aanvragen {provider_id}")

request_id = st.selectbox("Statusgeschiedenis van aanvraag", rows["id"], index=None, placeholder="Kies een aanvraag",
                          key="history_request")
if request_id:
    history = queries.status_history(ui.engine(), request_id)
    history["status"] = history["status"].map(ui.STATUS_LABELS)
    ui.table(history.rename(columns={"status": "Status", "status_date": "Datum status",
                                     "snapshot_date": "Gezien in momentopname van"}),
             key="history", column_config=ui.date_columns("Datum status", "Gezien in momentopname van"))
