"""Mijn vrije plaatsen: a provider reports every free place to the loket, however short, temporary or part-time
(R7), confirms it is still free, changes or closes it. Only its own places, whatever the page is sent."""

import pandas as pd
import streamlit as st

import ui
from llko.vacancies import rules, service

user = ui.open_page(__file__)
today = ui.today()
own = user.provider_ids  # the only providers this page reads or writes; llko checks it again on every write
names = ui.reads.provider_names()
config = ui.reads.settings()
provider_id = ui.own_provider(user, names)
st.write(f"{ui.literal(names.get(provider_id, provider_id))}: meld elke vrije plaats aan het Lokaal Loket "
         f"Kinderopvang {ui.literal(config.municipality)}, ook als ze kort, tijdelijk of deeltijds is. Het loket zoekt er wachtende gezinnen bij.")
ui.show_flash()


st.header("Een vrije plaats melden")
submitted = ui.forms.vacancy_form("report_vacancy", {}, "Vrije plaats melden")
if submitted is not None:
    try:
        service.report(ui.engine(), user.username, provider_id, submitted, today, allowed=own)
    except ValueError as exc:
        ui.forms.show_refusal(exc)
    else:
        ui.flash(f"Uw vrije plaats vanaf {ui.fmt_date(submitted['vanaf'])} is gemeld aan het loket.")

places = ui.reads.vacancies((provider_id,))
current = [v for v in places if rules.is_current(v, today)]
past = [v for v in places if not rules.is_current(v, today)]


def state(v: rules.Vacancy) -> str:
    if v.vanaf > today:
        return "komt nog"
    if rules.is_stale(v, today, config.vacancy_stale_days):
        return f"vrij — bevestig a.u.b. (laatst {ui.fmt_date(rules.last_confirmed(v))})"
    return "vrij"


def rows(vacancies: list[rules.Vacancy], with_state: bool) -> pd.DataFrame:
    """The places, what the provider must act on (their state, or why they ended) right after their start, so it
    stays in view on a narrow screen."""
    return pd.DataFrame([{
        "Vanaf": v.vanaf,
        **({"Toestand": state(v)} if with_state else
           {"Afgesloten op": v.afgesloten_op, "Reden": v.reden or ("voorbij" if v.tot else "")}),
        "Tot": v.tot, "Dagen": ", ".join(v.dagen), "Dagdeel": v.dagdeel, "Plaatsen": v.plaatsen,
        "Leeftijd": rules.AGE_LABELS.get(v.leeftijd), "Soort": v.soort, "Gemeld op": v.gemeld_op,
        "Laatst bevestigd": rules.last_confirmed(v), "Opmerking": v.opmerking,
    } for v in vacancies])


st.header("Mijn lopende vrije plaatsen")
if not current:
    st.write("U hebt op dit moment geen vrije plaats gemeld.")
else:
    ui.table(rows(current, True), key="own_current",
             column_config=ui.date_columns("Vanaf", "Tot", "Gemeld op", "Laatst bevestigd"))
    st.write(f"Bevestig elke plaats minstens om de {config.vacancy_stale_days} dagen met ‘Nog steeds vrij’, en sluit "
             "ze af zodra ze ingevuld is.")

    def label(v: rules.Vacancy) -> str:
        return (f"vanaf {ui.fmt_date(v.vanaf)}{' tot ' + ui.fmt_date(v.tot) if v.tot else ''}: {v.plaatsen} "
                f"{'plaats' if v.plaatsen == 1 else 'plaatsen'}, {', '.join(v.dagen)}")

    by_id = {v.id: v for v in current}
    chosen = by_id[ui.choose("Vrije plaats", {i: label(v) for i, v in by_id.items()}, key="own_vacancy")]
    seen = f"_vacancy_version_{chosen.id}"  # the version first shown: an edit after someone else's change is
    st.session_state.setdefault(seen, ui.reads.vacancy_version(chosen.id))  # refused, not written over it
    first, second, third = st.columns(3)
    closing = st.session_state.get("_closing")  # (vacancy id, reason) waiting for a confirmation
    try:
        if first.button("Nog steeds vrij", key="confirm_vacancy"):
            service.confirm(ui.engine(), user.username, chosen.id, today, allowed=own)
            st.session_state.pop(seen, None)
            ui.flash(f"Bevestigd: de plaats vanaf {ui.fmt_date(chosen.vanaf)} is nog vrij op {ui.fmt_date(today)}.")
        if second.button("Ingevuld", key="close_filled", help="Een kind neemt de plaats in: afsluiten."):
            closing = st.session_state["_closing"] = (chosen.id, "ingevuld")
        if third.button("Ingetrokken", key="close_withdrawn", help="De plaats is toch niet vrij: afsluiten."):
            closing = st.session_state["_closing"] = (chosen.id, "ingetrokken")
        if closing is not None and closing[0] == chosen.id:  # closing is never one click
            st.warning(f"De plaats vanaf {ui.fmt_date(chosen.vanaf)} afsluiten als {closing[1]}? Ze verdwijnt dan uit "
                       "de vrije plaatsen van het loket (per vergissing afgesloten: heropen ze hieronder).")
            yes, no = st.columns(2)
            if yes.button(f"Ja, afsluiten als {closing[1]}", key="close_confirmed", type="primary"):
                st.session_state.pop("_closing", None)
                service.close(ui.engine(), user.username, chosen.id, today, closing[1], allowed=own)
                st.session_state.pop(seen, None)
                ui.flash(f"De plaats is afgesloten als {closing[1]}.")
            if no.button("Annuleren", key="close_cancelled"):
                st.session_state.pop("_closing", None)
                st.rerun()
    except ValueError as exc:
        ui.forms.show_refusal(exc)
    with st.expander("Deze plaats wijzigen"):
        changed = ui.forms.vacancy_form(f"edit_vacancy_{chosen.id}", {
            "vanaf": chosen.vanaf, "tot": chosen.tot, "dagen": chosen.dagen, "dagdeel": chosen.dagdeel,
            "plaatsen": chosen.plaatsen, "leeftijd": chosen.leeftijd, "soort": chosen.soort,
            "opmerking": chosen.opmerking}, "Wijzigingen bewaren")
        if changed is not None:
            try:
                service.edit(ui.engine(), user.username, chosen.id, changed, today, version=st.session_state[seen],
                             allowed=own)
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                del st.session_state[seen]
                ui.flash("De wijzigingen zijn bewaard.")

if past:
    st.header("Afgesloten en voorbije plaatsen")
    ui.table(rows(past, False), key="own_past",
             column_config=ui.date_columns("Vanaf", "Tot", "Gemeld op", "Laatst bevestigd", "Afgesloten op"))
    closed = {v.id: v for v in past if v.afgesloten_op is not None}
    if closed:
        with st.expander("Per vergissing afgesloten? Opnieuw vrij maken"), st.form("reopen_vacancy"):
            picked = ui.choose("Afgesloten plaats", {i: f"vanaf {ui.fmt_date(v.vanaf)}, afgesloten op "
                                                         f"{ui.fmt_date(v.afgesloten_op)} ({v.reden})"
                                                     for i, v in closed.items()}, key="reopen_choice")
            why = st.text_input("Reden", max_chars=rules.REMARK_MAX, placeholder="bv. per vergissing afgesloten")
            if st.form_submit_button("Opnieuw vrij"):
                try:
                    service.reopen(ui.engine(), user.username, picked, why, allowed=own)
                except ValueError as exc:  # each message names its field
                    ui.forms.show_refusal(exc)
                else:
                    ui.flash(f"De plaats vanaf {ui.fmt_date(closed[picked].vanaf)} is opnieuw vrij; het afsluiten "
                             "blijft in haar geschiedenis.")
ui.download_buttons(lambda: ui.reads.register_sheet("vrije_plaatsen", (provider_id,)),
                    f"mijn-vrije-plaatsen-{provider_id}-{today:%Y%m%d}", key="dl_own_vacancies", sheet="vrije_plaatsen",
                    providers=(provider_id,))
