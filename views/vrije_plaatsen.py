"""Vrije plaatsen: the free places reported to the loket on a chosen day (R7), what is new since the last visit
and what was not confirmed for weeks, per provider and age group, on a timeline, and beside each place the
waiting children that fit it (R12) and the families the loket told about it."""

from datetime import datetime, timedelta, timezone

import altair as alt
import pandas as pd
import streamlit as st

import ui
from llko import corrections
from llko.vacancies import matching, rules, service

user = ui.open_page(__file__)
today = ui.today()
config = ui.reads.settings()
names = ui.reads.provider_names()
if "_vacancies_previous_visit" not in st.session_state:  # once per browser session: reruns keep the same answer
    st.session_state["_vacancies_previous_visit"] = service.last_visit(ui.engine(), user.username,
                                                                       datetime.now(timezone.utc))
previous = st.session_state["_vacancies_previous_visit"]
ui.show_flash()

day = ui.forms.day_input("Vrij op", today, key="vacancy_day")
if day is None or (wrong := rules.day_problem(day, today)):
    st.error(wrong or "Vrij op: kies een dag.")
    st.stop()
every = ui.reads.vacancies()
active = [v for v in every if rules.is_active(v, day)]
recorded = ui.reads.vacancy_recorded()
new = {v.id for v in active if previous is None or recorded.get(v.id, previous) > previous}
stale = {v.id for v in active if rules.is_stale(v, day, config.vacancy_stale_days)}

tiles = st.columns(4)
tiles[0].metric("Vrije plaatsen", sum(v.plaatsen for v in active), border=True,
                help=f"Het aantal plaatsen, samen uit {len(active)} meldingen die op deze dag vrij zijn (R7); een "
                     "melding kan meer dan één plaats hebben.")
tiles[1].metric("Opvanginitiatieven met een vrije plaats", len({v.provider_id for v in active}), border=True)
tiles[2].metric("Nieuwe meldingen sinds uw vorige bezoek", len(new), border=True,
                help="Meldingen (niet plaatsen) die in het register kwamen na uw vorige bezoek aan deze pagina.")
tiles[3].metric(f"Meldingen niet bevestigd (> {config.vacancy_stale_days} dagen)", len(stale), border=True,
                help="Meldingen (niet plaatsen) waarvan de opvang al meer dan zoveel dagen niet bevestigde dat de "
                     "plaats nog vrij is: vraag het na.")
st.write("Uw vorige bezoek: " + (ui.fmt_moment(previous) if previous else
                                 "geen — alle meldingen tellen als nieuw."))


def days_text(v: rules.Vacancy) -> str:
    return ", ".join(v.dagen)


def follow_up(v: rules.Vacancy) -> str:
    notes = []
    if v.id in new:
        notes.append("nieuw")
    if v.id in stale:
        notes.append(f"niet bevestigd sinds {(day - rules.last_confirmed(v)).days} dagen")
    return "; ".join(notes)


st.header(f"Vrije plaatsen op {ui.fmt_date(day)}")
if not active:
    st.write("Geen enkele vrije plaats op deze dag.")
else:
    listed = pd.DataFrame([{
        "Opvang": names.get(v.provider_id, v.provider_id), "Vanaf": v.vanaf, "Tot": v.tot, "Dagen": days_text(v),
        "Dagdeel": v.dagdeel, "Plaatsen": v.plaatsen, "Leeftijd": rules.AGE_LABELS.get(v.leeftijd, v.leeftijd),
        "Soort": v.soort, "Gemeld op": v.gemeld_op, "Laatst bevestigd": rules.last_confirmed(v),
        "Opvolging": follow_up(v), "Opmerking": v.opmerking,
    } for v in active])
    ui.table(listed, key="vacancy_table",
             column_config=ui.date_columns("Vanaf", "Tot", "Gemeld op", "Laatst bevestigd"))
    st.write(f"{len(active)} {'melding' if len(active) == 1 else 'meldingen'}, samen {listed['Plaatsen'].sum()} "
             "plaatsen. ‘Opvolging’ zegt welke nieuw zijn en welke al lang niet bevestigd werden.")
    ui.download_buttons(listed, f"vrije-plaatsen-{day:%Y%m%d}", key="dl_vacancies",
                        sheet="vrije plaatsen")  # exactly the rows on screen

    st.header("Per opvang en per leeftijd")
    left, right = st.columns(2)
    per_provider = listed.groupby("Opvang", as_index=False).agg(Plaatsen=("Plaatsen", "sum"),
                                                                Meldingen=("Plaatsen", "size"))
    left.dataframe(per_provider.sort_values("Opvang"), hide_index=True, width="stretch")
    per_age = listed.groupby("Leeftijd", as_index=False).agg(Plaatsen=("Plaatsen", "sum"))
    right.dataframe(per_age, hide_index=True, width="stretch")

st.header("Tijdlijn")
start, end = day - timedelta(days=120), day + timedelta(days=120)
shown = [v for v in every if v.vanaf <= end and (v.tot or v.afgesloten_op or end) >= start]
if not shown:
    st.write("Geen meldingen in de vier maanden voor of na deze dag.")
else:
    shown.sort(key=lambda v: (names.get(v.provider_id, v.provider_id).lower(), v.vanaf, v.id))
    lanes = ui.unique_labels({v.id: f"{names.get(v.provider_id, v.provider_id)} · vanaf {ui.fmt_date(v.vanaf)}"
                              for v in shown})
    bars = pd.DataFrame([{  # one lane per place: places of one provider never hide each other
        "Plaats": lanes[v.id],
        "Opvang": names.get(v.provider_id, v.provider_id), "van": max(v.vanaf, start),
        "tot": min(filter(None, (v.tot, v.afgesloten_op, end))), "Soort": v.soort, "Plaatsen": v.plaatsen,
        "Periode": f"{ui.fmt_date(v.vanaf)} – {ui.fmt_date(v.tot or v.afgesloten_op) or 'open'}",
    } for v in shown])
    timeline = alt.Chart(bars).mark_bar(height=10, cornerRadius=2).encode(
        x=alt.X("van:T", title="Periode", axis=ui.charts.MONTH_AXIS, scale=alt.Scale(domain=[start.isoformat(),
                                                                                          end.isoformat()])),
        x2="tot:T",
        y=alt.Y("Plaats:N", title=None, sort=list(bars["Plaats"]), axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        color=alt.Color("Soort:N", title="Soort plaats", scale=alt.Scale(domain=list(rules.KINDS),
                                                                         range=list(ui.charts.CALM))),
        tooltip=["Opvang", "Periode", "Soort", "Plaatsen"],
    ).properties(height=26 * len(bars)) + alt.Chart(pd.DataFrame({"dag": [day.isoformat()]})).mark_rule(
        color="#31333F").encode(x="dag:T")
    ui.charts.show(
        timeline,
        guide="Elke lijn is één melding (opvang en startdatum), van ‘vanaf’ tot ‘tot’ (of tot ze afgesloten werd); "
              "de verticale lijn is de gekozen dag. Een open balk loopt tot de rand van de grafiek. De tabel hierboven "
              "geeft de meldingen van die dag.",
        description=f"Tijdlijn van {len(shown)} meldingen van vrije plaatsen tussen {ui.fmt_date(start)} en "
                    f"{ui.fmt_date(end)}, één lijn per melding, gekleurd per soort plaats.")

st.header("Melden namens een opvang")
st.write("Een opvang die een vrije plaats telefonisch of per mail doorgeeft: leg ze hier vast, met vandaag als "
         "meldingsdatum.")
on_behalf = ui.choose("Opvang", {p: names[p] for p in sorted(names, key=names.get)}, index=None,
                      placeholder="Kies een opvang", key="on_behalf_provider")
submitted = ui.forms.vacancy_form("on_behalf", {}, "Vrije plaats melden")
if submitted is not None:
    if on_behalf is None:
        st.error("Opvang: kies de opvang die de plaats meldde.")
    else:
        try:
            service.report(ui.engine(), user.username, on_behalf, submitted, today)
        except ValueError as exc:
            ui.forms.show_refusal(exc)
        else:
            ui.flash(f"De vrije plaats van {names[on_behalf]} vanaf {ui.fmt_date(submitted['vanaf'])} is vastgelegd.")

st.header("Passende kinderen")
current = [v for v in every if rules.is_current(v, day)]
if not current:
    st.write("Geen lopende of komende vrije plaats om kinderen bij te zoeken.")
    st.stop()


def label(v: rules.Vacancy) -> str:
    return (f"{names.get(v.provider_id, v.provider_id)} — vanaf {ui.fmt_date(v.vanaf)}, {v.plaatsen} "
            f"{'plaats' if v.plaatsen == 1 else 'plaatsen'}, {days_text(v)} ({v.dagdeel}, "
            f"{rules.AGE_LABELS.get(v.leeftijd, v.leeftijd)})")


by_id = {v.id: v for v in current}
chosen = by_id[ui.choose("Vrije plaats", {i: label(v) for i, v in by_id.items()}, key="match_vacancy")]
found = ui.reads.matches(chosen, day)
GROUPS = {matching.HERE: "vroeg hier aan", matching.UNMET: "onvervulde vraag", matching.REST: "open aanvraag elders"}
st.write(f"{len(found)} {'kind past' if len(found) == 1 else 'kinderen passen'} bij deze plaats op {ui.fmt_date(day)}: "
         "eerst wie hier aanvroeg, dan wie nergens een plaats vond, dan de anderen; binnen elke groep kwetsbare "
         f"gezinnen eerst, dan wie het eerst aanvroeg. Gewenste start uiterlijk {config.vacancy_window_days} dagen na "
         "de start van de plaats, en niet meer dagen per week dan de plaats heeft.")
if found:
    ui.table(pd.DataFrame([{"Volgorde": i, "Kind": c.child_id, "Groep": GROUPS[c.group], "Waarom": c.reason,
                            "Gewenste start": c.start, "Eerste aanvraag": c.first_received}
                           for i, c in enumerate(found, start=1)]),
             key="match_table", column_config=ui.date_columns("Gewenste start", "Eerste aanvraag"))
    with st.form("referral", clear_on_submit=True):
        st.subheader("Gezin ingelicht")
        child = ui.choose("Kind", [c.child_id for c in found], index=None, placeholder="Kies een kind")
        told_on = ui.forms.day_input("Ingelicht op", today)
        note = st.text_input("Notitie (hoe, wat werd afgesproken)", max_chars=500)
        if st.form_submit_button("Bewaren"):
            try:
                service.refer(ui.engine(), user.username, chosen.id, child or "", told_on, note, today=today)
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                ui.flash(f"Genoteerd: het gezin van {child} werd op {ui.fmt_date(told_on)} ingelicht.")
told = ui.reads.referrals((chosen.id,))
if not told.empty:
    st.write("Gezinnen die over deze plaats ingelicht werden:")
    ui.table(pd.DataFrame({"Kind": told["child_id"], "Ingelicht op": told["told_on"], "Door": told["told_by"],
                           "Notitie": told["note"], "Toestand": told["remark"].where(told["remark"] != "", "geldt")}),
             key="referral_table", column_config=ui.date_columns("Ingelicht op"))
    standing = {int(r.id): r for r in told[told["state"] == corrections.STANDS].itertuples()}

    def referral_fields(referral_id: int) -> dict:
        found = standing[referral_id]
        return {"told_on": ui.forms.day_input("Ingelicht op", found.told_on),
                "note": st.text_input("Notitie (hoe, wat werd afgesproken)", found.note, max_chars=500)}

    def correct_referral(referral_id: int, reason: str, values: dict) -> str:
        service.correct_referral(ui.engine(), user.username, referral_id, reason, values["told_on"], values["note"],
                                 today)
        return (f"De melding over het gezin van {standing[referral_id].child_id} is gecorrigeerd; het origineel "
                "blijft in de geschiedenis.")

    def withdraw_referral(referral_id: int, reason: str) -> str:
        service.withdraw_referral(ui.engine(), user.username, referral_id, reason)
        return (f"De melding over het gezin van {standing[referral_id].child_id} is ingetrokken; ze blijft in de "
                "geschiedenis staan.")

    ui.forms.correction_form("fix_referral", "Melding", {i: f"{r.child_id}, ingelicht op {ui.fmt_date(r.told_on)}"
                                                          for i, r in standing.items()},
                             referral_fields, correct_referral, withdraw_referral)
