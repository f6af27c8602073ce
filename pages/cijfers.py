"""Cijfers: aggregate figures per provider and per month, for the coordinator and policy makers."""

import altair as alt
import streamlit as st

import ui

ui.open_page(__file__)
today = ui.today()
st.caption(f"Geaggregeerde cijfers op {ui.fmt_date(today)}; geen gegevens van individuele aanvragen of kinderen. "
           "‘Tijdig beantwoord’ volgt R2: ook ‘opvangplan niet mogelijk’ is een antwoord aan de ouders; in de "
           "cijfers voor Opgroeien telt die status als tekort (kolom ‘Tekort’).")

table = ui.read("per_provider", today)
figures = ui.read("shares", today)
tiles = st.columns(4)
tiles[0].metric("Aanvragen", int(table["total"].sum()))
tiles[1].metric("Tijdig beantwoord (90 dagen)", ui.fmt_pct(figures["in_time_rate"]))
tiles[2].metric("Te laat (nu)", int(table["overdue"].sum()))
tiles[3].metric("Kinderen met onvervulde nood", figures["children_unmet"])

table["in_time_pct"] = ui.whole_percent(table["in_time_share"])
st.header("Tijdig beantwoord per opvang")
rated = table.dropna(subset=["in_time_pct"])
if len(rated) > ui.CHART_MAX_BARS:  # a region: the weakest first, every provider in the table below
    rated = rated.nsmallest(ui.CHART_MAX_BARS, "in_time_pct")
    st.caption(f"De {ui.CHART_MAX_BARS} opvanginitiatieven met het laagste aandeel tijdig beantwoorde aanvragen; "
               "alle opvanginitiatieven staan in de tabel hieronder.")
chart = alt.Chart(rated).mark_bar().encode(
    x=alt.X("in_time_pct:Q", title="% tijdig beantwoord", scale=alt.Scale(domain=[0, 100])),
    y=alt.Y("name:N", title=None, sort="x"),
    color=alt.Color("kind:N", title="Soort"),
    tooltip=[alt.Tooltip("name:N", title="Opvang"), alt.Tooltip("in_time_pct:Q", title="% tijdig"),
             alt.Tooltip("answered:Q", title="Beantwoord"), alt.Tooltip("overdue:Q", title="Te laat")],
)
st.altair_chart(chart, width="stretch")

view = table.rename(columns={
    "name": "Opvang", "kind": "Soort", "open": "Open", "overdue": "Te laat", "answered": "Beantwoord",
    "in_time_pct": "% tijdig", "not_possible": "Tekort (niet mogelijk)", "approved": "Goedgekeurd",
    "cancelled_by_provider": "Geannuleerd door opvang", "closed_elsewhere_approved": "Elders goedgekeurd"})
columns = ["Opvang", "Soort", "Open", "Te laat", "Beantwoord", "% tijdig", "Tekort (niet mogelijk)", "Goedgekeurd",
           "Geannuleerd door opvang", "Elders goedgekeurd"]
ui.table(view[columns], key="figures", column_config={"% tijdig": st.column_config.NumberColumn(format="%d%%")})
ui.download_buttons(view[columns].rename(columns={"% tijdig": "Tijdig beantwoord (%)"}),
                    f"cijfers-per-opvang-{today:%Y%m%d}", key="dl_figures", sheet="Cijfers per opvang")

st.header("Aanvragen per maand")
monthly = ui.read("monthly")
monthly["status"] = monthly["status"].map(ui.STATUS_LABELS)
st.altair_chart(alt.Chart(monthly).mark_bar().encode(
    x=alt.X("yearmonth(month):T", title="Maand van ontvangst"), y=alt.Y("count:Q", title="Aanvragen"),
    color=alt.Color("status:N", title="Huidige status")), width="stretch")
