"""Opvang: the providers the loket works with, today's list (stopped providers apart), and per provider everything
known about it: its master data (with an edit form), its requests, its free places, its agreement (R10), its LOK
attendance and its infopagina (R6)."""

from datetime import date

import pandas as pd
import streamlit as st

import ui
from llko import corrections
from llko.compliance import ladder
from llko.infopagina import rules as infopagina_rules
from llko.providers import rules as provider_rules, service
from llko.vacancies import rules as vacancy_rules

user = ui.open_page(__file__)
today = ui.today()
ui.show_flash()
details = ui.reads.provider_details()
is_stopped = details["stopped_on"].map(lambda d: provider_rules.has_stopped(d, today)).astype(bool)
current, stopped = details[~is_stopped], details[is_stopped]
names = dict(zip(details["id"], details["name"]))


def native(value):
    """A cell as plain Python: blank (None, NaN, <NA>) as None, numpy numbers as int."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def stop_text(stopped_on: date | None) -> str:
    if stopped_on is None:
        return "nee"
    return "ja" if provider_rules.has_stopped(stopped_on, today) else f"nee (stopt op {ui.fmt_date(stopped_on)})"


def listing(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Opvang": frame["name"], "Dossiernummer": frame["id"], "Soort": frame["kind"],
        "Subsidietrap": frame["subsidy_level"], "Vergunde plaatsen": frame["licensed_places"],
        "Deelgemeente": frame["district"], "Gestopt": frame["stopped_on"].map(stop_text),
    })


tiles = st.columns(3)
tiles[0].metric("Opvanginitiatieven", len(current), border=True,
                help="De opvang waarmee het loket vandaag samenwerkt (gestopte opvang niet meegeteld).")
tiles[1].metric("Vergunde plaatsen", int(current["licensed_places"].fillna(0).sum()), border=True,
                help="Samen, van de opvang in de lijst; een opvang zonder gekend aantal telt niet mee.")
tiles[2].metric("Gestopt", len(stopped), border=True, help="Opvang die gestopt is: apart gehouden, niet in de lijst.")

st.header("Opvang vandaag")
if current.empty:
    st.write("Nog geen opvang in het register: importeer een export van Opvang.Vlaanderen of de registerwerkmap.")
else:
    ui.table(listing(current), key="providers_table")
    st.write(f"{len(current)} opvanginitiatieven. Het dossiernummer is dat van Opvang.Vlaanderen.")
ui.download_buttons(lambda: ui.reads.register_sheet("opvang"), f"opvang-{today:%Y%m%d}", key="dl_opvang",
                    sheet="opvang")
st.write("De download is het blad ‘opvang’ van de registerwerkmap, met alle opvang (ook de gestopte): aangepast "
           "leest hij ongewijzigd terug in via Import.")

if not stopped.empty:
    st.header("Gestopte opvang")
    ui.table(listing(stopped).assign(**{"Gestopt op": stopped["stopped_on"]}), key="stopped_table",
             column_config=ui.date_columns("Gestopt op"))

if details.empty:
    st.stop()

st.header("Per opvang")
order = list(current["id"]) + list(stopped["id"])
stopped_ids = set(stopped["id"])
provider_id = ui.choose("Opvang", {p: f"{names[p]} ({p})" + (" — gestopt" if p in stopped_ids else "") for p in order},
                        key="opvang_provider")
shown = {field: native(value) for field, value in details.set_index("id").loc[provider_id].items()}
name = shown["name"]

st.subheader("Gegevens")
LABELS = service.FIELD_LABELS


def as_text(field: str) -> str:
    value = shown.get(field)
    if value is None:
        return ""
    return ui.fmt_date(value) if field in service.DATES else str(value)


ui.table(pd.DataFrame({"Gegeven": ["Dossiernummer", *(LABELS[f] for f in LABELS)],
                       "Waarde": [provider_id, *(as_text(f) for f in LABELS)]}), key="provider_data")

with st.expander("Gegevens wijzigen"), st.form(f"edit_provider_{provider_id}"):
    left, right = st.columns(2)
    values = {"name": left.text_input("Naam", shown["name"] or "", max_chars=service.MAX_LENGTHS["name"])}
    for column, field, options in ((right, "kind", service.KINDS), (left, "subsidy_level", service.SUBSIDY_LEVELS)):
        options = ["", *options]
        values[field] = ui.choose(LABELS[field], {k: k or "onbekend" for k in options}, where=column,
                                  index=options.index(shown[field]) if shown[field] in options else 0)
    values["licensed_places"] = right.number_input("Vergunde plaatsen (leeg: onbekend)", step=1,
                                                   value=shown["licensed_places"])  # llko checks what is typed
    for index, field in enumerate(("address", "district", "email", "phone", "contact_person")):
        values[field] = (left, right)[index % 2].text_input(LABELS[field], shown[field] or "",
                                                            max_chars=service.MAX_LENGTHS[field])
    for index, field in enumerate(service.DATES):
        values[field] = ui.forms.day_input(f"{LABELS[field]} (leeg: onbekend)", shown[field],
                                           where=(left, right)[index])
    if st.form_submit_button("Gegevens bewaren", type="primary"):
        try:
            changes = service.update_provider(ui.engine(), user.username, provider_id,
                                              seen={f: shown[f] for f in values}, **values)
        except ValueError as exc:  # ProviderRefused names each field
            ui.forms.show_refusal(exc)
        else:
            if not changes:
                st.info("Er was niets gewijzigd; er is niets bewaard.")
            else:
                ui.flash(f"De gegevens van {values['name'].strip()} zijn bewaard: "
                         f"{', '.join(LABELS[f].lower() for f in changes)} gewijzigd.")

st.subheader("Aanvragen")
config = ui.reads.settings()
figures = ui.reads.kpis(today, (provider_id,))
tiles = st.columns(4)
tiles[0].metric("Open", figures["open"], border=True, help="Nieuw, vraag ontvangen of in behandeling.")
tiles[1].metric("Te laat", figures["overdue"], border=True,
                help=f"Nog geen antwoord na {config.deadline_days} dagen.")
tiles[2].metric(f"Termijn loopt af (≤ {config.due_soon_days} dagen)", figures["due_soon"], border=True)
tiles[3].metric(ui.IN_TIME, ui.fmt_pct(figures["in_time_rate"]), border=True,
                help=ui.in_time_help(config.deadline_days))
counts = ui.reads.per_provider(today, ui.reads.Selection(provider_ids=(provider_id,)))
if counts.empty:
    st.write("Geen aanvragen van deze opvang in de ingelezen exports.")
else:
    ui.table(ui.provider_view(counts, ["answered", "not_possible", "approved", "cancelled_by_provider",
                                       "closed_elsewhere_approved"]).assign(Totaal=counts["total"].to_numpy()),
             key="provider_requests")
    st.write("Alle aanvragen van deze opvang in hun laatst gekende status; de lijsten staan op de pagina Aanvragen.")

st.subheader("Vrije plaatsen")
places = ui.reads.vacancies((provider_id,))
running = [v for v in places if vacancy_rules.is_current(v, today)]
if not places:
    st.write("Deze opvang meldde nog nooit een vrije plaats aan het loket.")
else:
    st.write(f"{len(places)} {'melding' if len(places) == 1 else 'meldingen'} in het register, waarvan "
             f"{len(running)} lopend of komend; vandaag vrij: "
             f"{sum(v.plaatsen for v in places if vacancy_rules.is_active(v, today))} plaatsen. Laatste melding op "
             f"{ui.fmt_date(max(v.gemeld_op for v in places))}.")
    if running:
        ui.table(pd.DataFrame([{
            "Vanaf": v.vanaf, "Tot": v.tot, "Dagen": ", ".join(v.dagen), "Dagdeel": v.dagdeel, "Plaatsen": v.plaatsen,
            "Leeftijd": vacancy_rules.AGE_LABELS.get(v.leeftijd, v.leeftijd), "Soort": v.soort,
            "Gemeld op": v.gemeld_op, "Laatst bevestigd": vacancy_rules.last_confirmed(v),
        } for v in running]), key="provider_vacancies",
            column_config=ui.date_columns("Vanaf", "Tot", "Gemeld op", "Laatst bevestigd"))

st.subheader("Overeenkomst")
signed = ui.reads.signatures((provider_id,))
if signed.empty:
    st.warning(f"{ui.literal(name)} heeft de samenwerkingsovereenkomst niet ondertekend: dat is op zich een tekortkoming. "
               "Leg een handtekening vast op de pagina Overeenkomst en LOK.")
else:
    last = signed.iloc[-1]
    signer = (f" door {ui.literal(last['signatory'])}" if last["signatory"] else " (ondertekenaar niet ingevuld)")
    st.write(f"Ondertekend op {ui.fmt_date(last['signed_on'])}{signer}"
             f"{', ' + ui.literal(last['function']) if last['function'] else ''}; "
             + (f"scan: {ui.literal(last['scan_name'])}." if last["has_scan"] else "geen scan bewaard.")
             + (f" {len(signed)} handtekeningen in het register; de laatste telt." if len(signed) > 1 else ""))
    if last["has_scan"]:
        agreement_id = int(last["id"])
        ui.download("Scan downloaden", lambda: (ui.reads.agreement_scan(agreement_id) or ("", b""))[1],
                    last["scan_name"], "application/pdf", key="provider_scan")
signed_history = ui.reads.signatures((provider_id,), history=True)
if len(signed_history) > len(signed):  # R14: something was corrected or withdrawn; the register keeps it
    st.write("Alle vastgelegde handtekeningen; een gecorrigeerde of ingetrokken handtekening telt niet mee:")
    ui.table(pd.DataFrame({
        "Ondertekend op": signed_history["signed_on"], "Ondertekenaar": signed_history["signatory"],
        "Functie": signed_history["function"],
        "Toestand": [remark or corrections.STANDS for remark in signed_history["remark"]],
    }), key="provider_signatures", column_config=ui.date_columns("Ondertekend op"))

st.subheader("Lokaal Overleg Kinderopvang")
meetings = ui.reads.lok_meetings()
meeting_history = ui.reads.lok_meetings(history=True)
if not meetings:
    st.write("Geen LOK-vergadering die telt: de vastgelegde zijn ingetrokken." if meeting_history else
             "Nog geen LOK-vergadering vastgelegd.")
else:
    attended = sum(provider_id in m.attending for m in meetings)
    st.write(f"Aanwezig op {attended} van de {len(meetings)} vastgelegde vergaderingen.")
if meeting_history:
    ui.table(pd.DataFrame([{"Datum": m.held_on, "Onderwerp": m.subject,
                            "Aanwezig": "ja" if provider_id in m.attending else "nee",
                            "Toestand": m.remark or corrections.STANDS} for m in meeting_history]),
             key="provider_lok", column_config=ui.date_columns("Datum"))

st.subheader("Infopagina")
checks = ui.reads.infopagina_checks((provider_id,))
state = infopagina_rules.state(checks, today)
if state.latest is None:
    st.write("Het loket controleerde de infopagina van deze opvang nog nooit.")
elif state.complete:
    st.write(f"Volledig bij de laatste controle van het loket ({ui.fmt_date(state.latest.datum)}).")
else:
    st.write(f"Onvolledig bij de laatste controle van het loket ({ui.fmt_date(state.latest.datum)}): ontbreekt "
             + "; ".join(f"{infopagina_rules.ITEM_LABELS[i]} (sinds {ui.fmt_date(d)})"
                         for i, d in state.missing_since.items()) + ".")
if state.to_confirm is not None:
    st.write(f"Een verklaring van de opvang van {ui.fmt_date(state.to_confirm.datum)} wacht op bevestiging "
             "(pagina Infopagina).")

st.subheader("Naleving en opvolging")
files = ui.reads.enforcement_files((provider_id,))
open_files = files[files["closed_on"].isna()]
contacts = ui.reads.contacts((provider_id,))
if open_files.empty:
    st.write("Geen open dossier." + (f" Laatste contact van het loket: {ui.fmt_date(contacts['contact_on'].iloc[0])}."
                                     if not contacts.empty else " Nog geen contact van het loket vastgelegd."))
else:
    current = open_files.iloc[0]
    st.write(f"Open dossier sinds {ui.fmt_date(current['opened_on'])}, nu op ‘{ladder.STEP_LABELS[current['step']]}’ "
             f"(sinds {ui.fmt_date(current['step_on'])}).")
if st.button("Dossier openen (oordelen, advies, contacten, brieven)", key="opvang_dossier"):
    st.session_state["dossier_provider"] = provider_id
    st.switch_page("views/dossier.py")
