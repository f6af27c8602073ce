"""Beleid: the policy maker's first page — the need for childcare and how the loket's providers answer it, over a
period the reader picks (default the last full calendar year): requests per month by outcome, answers in time,
children with an unmet need, answer days, coverage per deelgemeente against the norm, free places reported, and the
compliance of an advice round at a glance. Every figure is the figures contract's (`python -m llko figures`);
never a request or child id."""

import altair as alt
import pandas as pd
import streamlit as st

import ui
from llko import dutch
from llko.compliance import evidence, rules as compliance_rules
from llko.reporting import annual, figures as policy, population
from ui import compliance as shown

FLEMISH_TARGET = 50  # places per 100 children under 3: the Flemish target, drawn beside the loket's own norm
OUTCOMES = {  # the requests of a month by where they stand now (a partition of 'received')
    "approved": ("Goedgekeurd", "#2E8B57"), "not_possible": ("Opvangplan niet mogelijk", "#D9692B"),
    "open": ("Nog open", "#3E6A94"), "closed_elsewhere_approved": ("Elders goedgekeurd", "#9BB3C7"),
    "cancelled_by_provider": ("Geannuleerd door opvang", "#8E6C8A"),
    "cancelled_by_parent": ("Geannuleerd door ouder", "#C9C2B8"),
}

user = ui.open_page(__file__)
today = ui.today()
config = ui.reads.settings()
ui.show_flash()

# --- the period every figure follows --------------------------------------------------------------------------
choice = ui.choose_one_of("Periode", policy.PERIODS, horizontal=True, key="beleid_period")
custom_from = custom_to = None
if choice == "custom":
    left, right = st.columns(2)
    default_from, default_to = policy.last_full_year(today)
    custom_from = ui.forms.day_input("Van", default_from, key="beleid_period_from", where=left)
    custom_to = ui.forms.day_input("Tot en met", default_to, key="beleid_period_to", where=right)
try:
    date_from, date_to = policy.period_of(choice, today, custom_from, custom_to)
except ValueError as exc:
    st.error(ui.literal(str(exc)))
    st.stop()
found = ui.reads.figures(date_from, date_to)
period = f"{ui.fmt_date(date_from)} tot en met {ui.fmt_date(date_to)}"
stem = f"{date_from:%Y%m%d}-{date_to:%Y%m%d}"
st.write(f"Aanvragen die {ui.literal(config.municipality)} ontving van {period}, in hun laatst gekende toestand. "
         "Enkel totalen: geen gegevens van individuele aanvragen of kinderen.")
requests, children, days = found["requests"], found["children"], found["answer_days"]

tiles = st.columns(4)
tiles[0].metric("Aanvragen", dutch.whole(requests["received"]), border=True, help="Aanvragen ontvangen in de periode.")
share = policy.in_time_share(requests)
tiles[1].metric("Tijdig beantwoord", ui.fmt_pct(share), border=True,
                help=f"Van de beantwoorde aanvragen: het aandeel met een antwoord binnen {config.deadline_days} dagen.")
tiles[2].metric("Kinderen met onvervulde nood", children["unmet"], border=True,
                help="Al hun aanvragen zijn afgesloten, minstens één met ‘opvangplan niet mogelijk’, geen enkele "
                     "goedgekeurd (R5).")
median = "–" if days["median"] is None else f"{days['median']:g}".replace(".", ",")
tiles[3].metric("Dagen tot antwoord (mediaan)", median, border=True,
                help="De helft van de antwoorden kwam sneller, de helft trager.")


def month_frame(rows: dict) -> pd.DataFrame:
    """{jjjj-mm: counts} as a frame with a Dutch month label, in calendar order."""
    frame = pd.DataFrame([{"month": m, **counts} for m, counts in rows.items()])
    frame["Maand"] = frame["month"].map(lambda m: ui.charts.month_label(pd.Timestamp(f"{m}-01")))
    return frame


months = month_frame(found["months"])
month_order = list(months["Maand"])

if not requests["received"]:
    st.info(f"Geen aanvragen ontvangen van {period}: kies een andere periode. De vrije plaatsen, het aanbod per "
            "deelgemeente en de naleving hieronder volgen de periode wel.")
else:
    # --- requests per month by outcome ----------------------------------------------------------------------------
    st.header("Aanvragen per maand")
    long = months.melt(id_vars=["Maand"], value_vars=list(OUTCOMES), var_name="key", value_name="Aanvragen")
    long["Uitkomst"] = long["key"].map(lambda k: OUTCOMES[k][0])
    long["rank"] = long["key"].map(list(OUTCOMES).index)
    labels = [label for label, _ in OUTCOMES.values()]
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("Maand:O", sort=month_order, title="Maand van ontvangst", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Aanvragen:Q", title="Aanvragen", stack="zero"),
        color=alt.Color("Uitkomst:N", title="Waar ze nu staan",
                        scale=alt.Scale(domain=labels, range=[colour for _, colour in OUTCOMES.values()])),
        order=alt.Order("rank:Q", sort="descending"),
        tooltip=["Maand:N", "Uitkomst:N", "Aanvragen:Q"],
    )
    busiest = months.set_index("Maand")["received"]
    ui.charts.show(
        chart,
        guide="Elke balk is een maand van ontvangst, gestapeld naar waar de aanvragen nu staan: groen goedgekeurd, "
              "oranje opvangplan niet mogelijk (een tekort), blauw nog open. De tabel eronder geeft dezelfde "
              "aantallen.",
        description=f"Gestapeld staafdiagram van de aanvragen per maand van {period}"
                    + (f"; de drukste maand is {busiest.idxmax()} met {busiest.max()} aanvragen."
                       if busiest.sum() else "."))
    per_month = months[["Maand", *OUTCOMES, "received"]].rename(
        columns={**{k: label for k, (label, _) in OUTCOMES.items()}, "received": "Totaal"})
    with st.expander("De aanvragen per maand als tabel"):
        ui.table(per_month, key="beleid_months")
    ui.download_buttons(per_month, f"aanvragen-per-maand-{stem}", key="dl_beleid_months", sheet="Aanvragen per maand")

    # --- answers in time per month ---------------------------------------------------------------------------------
    st.header("Tijdig antwoord")
    months["Tijdig (%)"] = [None if not a else round(100 * t / a, 1) for t, a in
                            zip(months["answered_in_time"], months["answered"])]
    norm = round(100 * config.answering_min_share, 1)
    line = alt.Chart(months.dropna(subset=["Tijdig (%)"])).mark_line(point=True, color="#00757F").encode(
        x=alt.X("Maand:O", sort=month_order, title="Maand van ontvangst", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Tijdig (%):Q", title="% tijdig beantwoord", scale=alt.Scale(domain=[0, 100])),
        tooltip=["Maand:N", "Tijdig (%):Q", alt.Tooltip("answered:Q", title="Beantwoord")],
    )
    rule = alt.Chart(pd.DataFrame({"norm": [norm]})).mark_rule(color="#8E6C8A", strokeDash=[6, 4]).encode(y="norm:Q")
    ui.charts.show(
        line + rule,
        guide=f"Per maand van ontvangst: van de beantwoorde aanvragen het deel dat binnen {config.deadline_days} dagen "
              f"een antwoord kreeg; de stippellijn is de drempel van {norm:g}% (instelling). Een maand zonder "
              "antwoorden heeft geen punt.",
        description=f"Lijndiagram van het aandeel tijdig beantwoorde aanvragen per maand van {period}, met de "
                    f"drempel van {norm:g}%.")
    st.write(f"Over de hele periode: {requests['answered_in_time']} van de {requests['answered']} antwoorden "
             "kwamen op tijd"
             + ("" if days["median"] is None else
                f"; de helft binnen {days['median']:g} dagen, 90% binnen {days['p90']} dagen".replace(".", ","))
             + ".")

    # --- children and the need for childcare ------------------------------------------------------------------------
    st.header("Kinderen en onvervulde nood")
    kids = pd.DataFrame({"Kinderen": ["Vroegen opvang", "Goedgekeurd", "Wachten nog", "Onvervulde nood",
                                      "Onvervulde nood, kwetsbaar gezin"],
                         "Aantal": [children[k] for k in policy.CHILDREN_KEYS]})
    bars = alt.Chart(kids).mark_bar(color="#3E6A94").encode(
        x=alt.X("Aantal:Q", title="Kinderen"), y=alt.Y("Kinderen:N", sort=list(kids["Kinderen"]), title=None,
                                                       axis=alt.Axis(labelLimit=300)),
        tooltip=["Kinderen:N", "Aantal:Q"])
    ui.charts.show(
        bars,
        guide="Elk kind telt één keer, met al zijn aanvragen (ook buiten de periode): goedgekeurd ergens, nog wachtend "
              "op een antwoord, of met onvervulde nood — alles afgesloten zonder plaats.",
        description=f"Staafdiagram: {children['requesting']} kinderen vroegen opvang van {period}; "
                    f"{children['approved']} kregen een plaats, {children['waiting']} wachten nog, "
                    f"{children['unmet']} hebben een onvervulde nood "
                    f"(waarvan {children['unmet_vulnerable']} uit een kwetsbaar gezin).")
    st.write(f"{children['requesting']} kinderen vroegen opvang; {children['approved']} kregen een plaats, "
             f"{children['waiting']} wachten nog en {children['unmet']} vonden geen plaats (onvervulde nood), van wie "
             f"{children['unmet_vulnerable']} uit een kwetsbaar gezin.")
    ui.download_buttons(kids, f"kinderen-{stem}", key="dl_beleid_children", sheet="Kinderen")

# --- coverage per deelgemeente ---------------------------------------------------------------------------------
st.header("Aanbod per deelgemeente")
districts = pd.DataFrame([{"Deelgemeente": name, **d} for name, d in found["deelgemeenten"].items()])
if districts.empty:
    st.write("Nog geen opvanginitiatieven of bevolkingscijfers.")
else:
    districts = districts.rename(columns={"received": "Aanvragen", "not_possible": "Tekort (niet mogelijk)",
                                          "approved": "Goedgekeurd", "places": "Vergunde plaatsen",
                                          "children_under_3": "Kinderen onder 3",
                                          "places_per_100": "Plaatsen per 100 kinderen"})
    districts = districts[["Deelgemeente", "Plaatsen per 100 kinderen", "Vergunde plaatsen", "Kinderen onder 3",
                           "Aanvragen", "Tekort (niet mogelijk)", "Goedgekeurd"]]  # the decisive figure first
    districts["Plaatsen per 100 kinderen"] = districts["Plaatsen per 100 kinderen"].astype(float)  # None: NaN
    known = districts.dropna(subset=["Plaatsen per 100 kinderen"]).sort_values("Plaatsen per 100 kinderen")
    if known.empty:
        st.info("Voor geen enkele deelgemeente zijn er bevolkingscijfers: vul het register ‘bevolking’ aan (hieronder "
                "of in de registerwerkmap) om de plaatsen per 100 kinderen te zien.")
    else:
        coverage = alt.Chart(known).mark_bar(color="#00757F").encode(
            x=alt.X("Plaatsen per 100 kinderen:Q", title="Vergunde plaatsen per 100 kinderen onder 3"),
            y=alt.Y("Deelgemeente:N", sort=list(known["Deelgemeente"]), title=None),
            tooltip=["Deelgemeente:N", "Plaatsen per 100 kinderen:Q", "Vergunde plaatsen:Q", "Kinderen onder 3:Q"])
        norms = pd.DataFrame({"waarde": [config.coverage_norm, FLEMISH_TARGET],
                              "Norm": [f"norm van het loket ({config.coverage_norm:g})".replace(".", ","),
                                       f"Vlaamse doelstelling ({FLEMISH_TARGET})"]})
        lines = alt.Chart(norms).mark_rule(strokeDash=[6, 4], size=2).encode(
            x="waarde:Q", color=alt.Color("Norm:N", scale=alt.Scale(range=["#8E6C8A", "#B59B62"]), title="Normen"))
        lowest = known.iloc[0]
        ui.charts.show(
            coverage + lines,
            guide="Hoe korter de balk, hoe minder plaatsen voor de kinderen die er wonen; de laagste staan bovenaan. "
                  "De stippellijnen zijn de norm van het loket en de Vlaamse doelstelling. Deelgemeenten zonder "
                  "bevolkingscijfers staan enkel in de tabel.",
            description=f"Staafdiagram van de vergunde plaatsen per 100 kinderen onder 3 per deelgemeente op "
                        f"{ui.fmt_date(date_to)}; het laagste is {lowest['Deelgemeente']} met "
                        f"{lowest['Plaatsen per 100 kinderen']:.1f} tegenover een norm van "
                        f"{config.coverage_norm:g}.".replace(".", ","))
        below = known[known["Plaatsen per 100 kinderen"] < config.coverage_norm]["Deelgemeente"].tolist()
        st.write(f"Onder de norm van {config.coverage_norm:g} plaatsen per 100 kinderen: ".replace(".", ",")
                 + (", ".join(below) if below else "geen enkele deelgemeente") + ".")
    shown_districts = districts.assign(**{"Plaatsen per 100 kinderen": [  # a Dutch decimal comma on screen
        dutch.decimal(v, 1) for v in districts["Plaatsen per 100 kinderen"]]})
    ui.table(shown_districts, key="beleid_districts",
             column_config={"Plaatsen per 100 kinderen": st.column_config.TextColumn(alignment="right")})
    st.write(f"Aanvragen, tekort en goedkeuringen over de periode, per deelgemeente van de opvang; plaatsen van de "
             f"opvanginitiatieven die op {ui.fmt_date(date_to)} werken; kinderen onder 3 uit het register ‘bevolking’ "
             f"(het laatste jaar tot en met {date_to.year}).")
    ui.download_buttons(districts, f"deelgemeenten-{stem}", key="dl_beleid_districts", sheet="Deelgemeenten")
if user.role == "coordinator":
    with st.expander("Bevolkingscijfer invullen (register ‘bevolking’)"):
        st.write("Het aantal kinderen jonger dan 3 dat op 1 januari van het jaar in de deelgemeente woont (bv. uit "
                 "de ‘Cijfers op maat’ van Opgroeien of de bevolkingsdienst). Een tweede cijfer voor hetzelfde jaar "
                 "vervangt het eerste; de auditlog bewaart beide.")
        round_ = ui.forms.form_round("_population_round")
        with st.form(f"population_{round_}"):
            left, middle, right = st.columns(3)
            district = left.text_input("Deelgemeente", max_chars=population.DISTRICT_MAX)
            year = middle.number_input("Jaar", value=today.year, step=1)
            kids_under_3 = right.number_input("Kinderen onder 3", value=0, step=1)
            if st.form_submit_button("Cijfer bewaren", type="primary"):
                try:
                    population.record(ui.engine(), user.username, district, int(year), int(kids_under_3), today)
                except ValueError as exc:
                    ui.forms.show_refusal(exc)
                else:
                    ui.forms.next_round("_population_round")
                    ui.flash(f"Bewaard: {district.strip()}, {int(year)}: {int(kids_under_3)} kinderen onder 3.")

# --- free places -----------------------------------------------------------------------------------------------
st.header("Vrije plaatsen gemeld")
reported = month_frame(found["vacancies"]["months"]).rename(columns={"reported": "Meldingen", "places": "Plaatsen"})
free = alt.Chart(reported).mark_bar(color="#72A8A2").encode(
    x=alt.X("Maand:O", sort=month_order, title="Maand van melding", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("Plaatsen:Q", title="Plaatsen"), tooltip=["Maand:N", "Meldingen:Q", "Plaatsen:Q"])
ui.charts.show(
    free,
    guide="Per maand de plaatsen die opvanginitiatieven als vrij meldden aan het loket (ook die intussen ingevuld "
          "zijn). De tabel geeft ook het aantal meldingen.",
    description=f"Staafdiagram van de gemelde vrije plaatsen per maand van {period}: samen "
                f"{found['vacancies']['reported']} meldingen met {found['vacancies']['places']} plaatsen.")
st.write(f"Samen {found['vacancies']['reported']} meldingen met {found['vacancies']['places']} plaatsen.")
with st.expander("De meldingen per maand als tabel"):
    ui.table(reported[["Maand", "Meldingen", "Plaatsen"]], key="beleid_vacancies")

# --- the figures for Opgroeien --------------------------------------------------------------------------------
st.header("Cijfers voor Opgroeien")
COUNT_LABELS = {"received": "Ontvangen", "not_possible": "Tekort (niet mogelijk)", "approved": "Goedgekeurd",
                "answered": "Beantwoord", "answered_in_time": "Tijdig beantwoord", "open": "Nog open",
                "closed_elsewhere_approved": "Elders goedgekeurd", "cancelled_by_provider": "Geannuleerd door opvang",
                "cancelled_by_parent": "Geannuleerd door ouder"}  # the shortage Opgroeien asks for first
names = ui.reads.provider_names()
per_provider = pd.DataFrame([{"Opvang": names.get(pid, pid), **{COUNT_LABELS[k]: v for k, v in counts.items()}}
                             for pid, counts in found["providers"].items()],
                            columns=["Opvang", *COUNT_LABELS.values()]).sort_values("Opvang")
per_provider = pd.concat([per_provider, pd.DataFrame([{"Opvang": "Totaal",
                                                       **{COUNT_LABELS[k]: v for k, v in requests.items()}}])])
ui.table(per_provider, key="beleid_opgroeien")
st.write("Per opvang de aanvragen van de periode naar hun huidige status. ‘Opvangplan niet mogelijk’ is een antwoord "
         "aan de ouders, maar telt voor Opgroeien als een tekort aan opvang (R5); geannuleerde aanvragen niet.")
ui.download_buttons(per_provider, f"cijfers-opgroeien-{stem}", key="dl_beleid_opgroeien", sheet="Cijfers Opgroeien")

# --- compliance at a glance ----------------------------------------------------------------------------------------
st.header("Naleving in een oogopslag")
chosen = shown.scope("beleid", for_policy=user.role != "coordinator")
verdicts, overrides = chosen.verdicts, chosen.overrides
short = pd.DataFrame({"Verplichting": [compliance_rules.LABELS[o] for o in compliance_rules.OBLIGATIONS],
                      "Soort": [compliance_rules.CATEGORY_LABELS[compliance_rules.CATEGORY[o]]
                                for o in compliance_rules.OBLIGATIONS],
                      "Tekortkomingen": [sum(v[o].is_shortcoming for v in verdicts.values())
                                         for o in compliance_rules.OBLIGATIONS]})
negative = sum(evidence.final(evidence.NEGATIVE_ADVICE, v, overrides.get(p, {})) for p, v in verdicts.items())
zero = sum(evidence.final(evidence.ZERO_SCORE, v, overrides.get(p, {})) for p, v in verdicts.items())
glance = st.columns(3)
glance[0].metric("Opvanginitiatieven", len(verdicts), border=True)
glance[1].metric("Negatief advies", negative, border=True, help="Na aanpassingen door het loket.")
glance[2].metric("0-score", zero, border=True, help="Na aanpassingen door het loket.")
ui.table(short, key="beleid_compliance")
st.write("Per verplichting: bij hoeveel opvanginitiatieven het loket een tekortkoming vond. Meer per opvang op de "
         "pagina Naleving.")

# --- the LOK's yearly report ---------------------------------------------------------------------------------
st.header("Jaarverslag voor het LOK")
with st.container(border=True):
    years = list(range(today.year - 1, today.year - 6, -1)) + [today.year]
    year = ui.choose("Jaar", {y: str(y) + (" (nog niet afgelopen)" if y == today.year else "") for y in years},
                     key="beleid_report_year")
    st.write(f"De cijfers van {year} (1 januari tot en met 31 december) met de naleving van het jaar: als PDF om voor "
             "te leggen, als Excel om verder mee te rekenen. Het zijn dezelfde cijfers als die van deze pagina voor de "
             "periode 1 januari – 31 december van dat jaar.")
    left, right = st.columns(2)
    ui.download("Jaarverslag (PDF)", lambda y=year: annual.report_pdf(annual.annual_report(ui.engine(), y, today)),
                f"jaarverslag-llko-{year}.pdf", "application/pdf", key="dl_annual_pdf", where=left)
    ui.download("Jaarverslag (Excel)", lambda y=year: annual.report_xlsx(annual.annual_report(ui.engine(), y, today)),
                f"jaarverslag-llko-{year}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_annual_xlsx", where=right)
