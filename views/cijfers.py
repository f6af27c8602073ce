"""Cijfers: aggregate figures per provider and per month, for the coordinator and policy makers."""

import altair as alt
import streamlit as st

import ui

IN_TIME = ui.IN_TIME

ui.open_page(__file__)
today = ui.today()
config = ui.reads.settings()
st.write(f"Geaggregeerde cijfers van {ui.literal(config.municipality)} op {ui.fmt_date(today)}; geen gegevens van individuele "
         f"aanvragen of kinderen. ‘Tijdig’ volgt R2: een antwoord binnen {config.deadline_days} dagen; ook ‘opvangplan "
         "niet mogelijk’ is een antwoord aan de ouders, maar in de cijfers voor Opgroeien telt die status als tekort "
         "(kolom ‘Tekort’).")

table = ui.reads.per_provider(today)
figures = ui.reads.shares(today)
tiles = st.columns(4)
tiles[0].metric("Aanvragen", int(table["total"].sum()), border=True, help="Alle aanvragen in het dashboard.")
tiles[1].metric(IN_TIME, ui.fmt_pct(figures["in_time_rate"]), border=True,
                help=ui.in_time_help(config.deadline_days))
tiles[2].metric("Te laat (nu)", int(table["overdue"].sum()), border=True,
                help=f"Nog geen antwoord en meer dan {config.deadline_days} dagen na ontvangst.")
tiles[3].metric("Kinderen met onvervulde nood", figures["children_unmet"], border=True,
                help="Alle aanvragen afgesloten, minstens één ‘opvangplan niet mogelijk’, geen goedkeuring (R5).")

table["in_time_pct"] = ui.whole_percent(table["in_time_share"])
st.header("Tijdig beantwoord per opvang")
rated = table.dropna(subset=["in_time_pct"])
if len(rated) > ui.CHART_MAX_BARS:  # a region: the weakest first, every provider in the table below
    rated = rated.nsmallest(ui.CHART_MAX_BARS, "in_time_pct")
    st.write(f"De {ui.CHART_MAX_BARS} opvanginitiatieven met het laagste aandeel tijdig beantwoorde aanvragen; "
             "alle opvanginitiatieven staan in de tabel hieronder.")
rated = rated.assign(kind=rated["kind"].fillna("onbekend"))
chart = alt.Chart(rated).mark_bar(color="#00757F").encode(
    x=alt.X("in_time_pct:Q", title=f"% tijdig beantwoord ({ui.tables.WINDOW_DAYS} dagen)", scale=alt.Scale(domain=[0, 100])),
    y=alt.Y("name:N", title=None, sort="x", axis=alt.Axis(labelLimit=360)),
    tooltip=[alt.Tooltip("name:N", title="Opvang"), alt.Tooltip("kind:N", title="Soort"),
             alt.Tooltip("in_time_pct:Q", title="% tijdig"), alt.Tooltip("overdue:Q", title="Te laat")],
).properties(height=alt.Step(22))
weakest = rated.nsmallest(1, "in_time_pct")
ui.charts.show(
    chart,
    guide="Hoe langer de balk, hoe meer aanvragen op tijd een antwoord kregen; de zwakste staan bovenaan. "
          "Dezelfde cijfers staan in de tabel hieronder (kolom ‘" + IN_TIME + "’).",
    description=f"Staafdiagram: per opvang het percentage aanvragen dat de voorbije {ui.tables.WINDOW_DAYS} dagen tijdig beantwoord werd"
                + (f"; het laagste is {weakest['name'].iloc[0]} met {weakest['in_time_pct'].iloc[0]}%." if len(weakest) else "."))

view = ui.provider_view(table.sort_values("name"), ["name", "kind", "open", "overdue", "answered", "in_time_pct",
                                                     "not_possible", "approved", "cancelled_by_provider",
                                                     "closed_elsewhere_approved"])
ui.table(view, key="figures", column_config={IN_TIME: st.column_config.NumberColumn(format="%d%%")})
ui.download_buttons(view.rename(columns={IN_TIME: ui.IN_TIME_DOWNLOAD}),
                    f"cijfers-per-opvang-{today:%Y%m%d}", key="dl_figures", sheet="Cijfers per opvang")

st.header("Aanvragen per maand")
monthly = ui.reads.monthly()
monthly["status"] = monthly["status"].map(ui.STATUS_LABELS)
monthly["Maand"] = monthly["month"].map(ui.charts.month_label)
# The legend's order from top to bottom is the stack's: the first status on top of each bar.
monthly["rank"] = monthly["status"].map({label: i for i, label in enumerate(ui.STATUS_LABELS.values())})
in_order = list(dict.fromkeys(monthly.sort_values("month")["Maand"]))
months = alt.Chart(monthly).mark_bar().encode(
    x=alt.X("Maand:O", sort=in_order, title="Maand van ontvangst", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("count:Q", title="Aanvragen", stack="zero"),
    color=alt.Color("status:N", title="Huidige status", scale=ui.charts.status_scale(ui.STATUS_LABELS)),
    order=alt.Order("rank:Q", sort="descending"),
    tooltip=[alt.Tooltip("Maand:N"), alt.Tooltip("status:N", title="Status"),
             alt.Tooltip("count:Q", title="Aanvragen")],
)
busiest = monthly.groupby("Maand", sort=False)["count"].sum()
ui.charts.show(
    months,
    guide="Elke balk is een maand; de kleuren tonen de huidige status van die aanvragen (groen goedgekeurd, oranje "
          "opvangplan niet mogelijk, blauw nog open). De tabel eronder geeft dezelfde aantallen.",
    description="Gestapeld staafdiagram van het aantal aanvragen per maand van ontvangst, per huidige status"
                + (f"; de drukste maand is {busiest.idxmax()} met {busiest.max()} aanvragen." if len(busiest) else "."))
if not monthly.empty:
    per_month = monthly.pivot_table(index=["month", "Maand"], columns="status", values="count", aggfunc="sum",
                                    fill_value=0).reset_index().drop(columns="month")
    present = [ui.STATUS_LABELS[s] for s in ui.STATUS_LABELS if ui.STATUS_LABELS[s] in per_month.columns]
    per_month = per_month[["Maand", *present]]
    per_month["Totaal"] = per_month[present].sum(axis=1)
    with st.expander("De aantallen per maand als tabel"):
        ui.table(per_month, key="per_month")
