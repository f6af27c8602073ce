"""Infopagina: per provider, whether its page on Opvang.Vlaanderen holds the five items (R6) at the loket's latest
check, what is missing since when, which declarations wait for confirmation, and a reminder ready to send."""

import pandas as pd
import streamlit as st

import ui
from llko.infopagina import rules, service

user = ui.open_page(__file__)
today = ui.today()
config = ui.reads.settings()
names = ui.reads.provider_names()
ui.show_flash()
checks = ui.reads.infopagina_checks()
states = rules.states(checks, today, names)


def verdict(provider_id: str) -> str:
    return rules.standing(states[provider_id], today, config.infopagina_max_age_days)


tiles = st.columns(4)
counts = pd.Series([verdict(p) for p in names]).value_counts()
tiles[0].metric("Volledig", int(counts.get(rules.COMPLETE, 0)), border=True)
tiles[1].metric("Onvolledig", int(counts.get(rules.INCOMPLETE, 0)), border=True,
                help="Bij de laatste controle van het loket ontbrak minstens één van de vijf onderdelen.")
tiles[2].metric("Niet (recent) gecontroleerd", int(counts.get(rules.NEVER, 0) + counts.get(rules.TOO_OLD, 0)),
                border=True, help=f"Nooit gecontroleerd, of de laatste controle is ouder dan "
                                  f"{config.infopagina_max_age_days} dagen.")
tiles[3].metric("Te bevestigen", sum(1 for s in states.values() if s.to_confirm), border=True,
                help="De opvang verklaarde haar infopagina na de laatste controle van het loket.")

st.header("Overzicht")
overview = pd.DataFrame([{
    "Opvang": names[p], "Toestand": verdict(p),
    "Laatste controle": states[p].latest.datum if states[p].latest else None,
    "Ontbreekt (sinds)": "; ".join(f"{rules.ITEM_LABELS[i]} (sinds {ui.fmt_date(d)})"
                                   for i, d in states[p].missing_since.items()),
    "Te bevestigen": states[p].to_confirm.datum if states[p].to_confirm else None,
} for p in names]).sort_values(["Toestand", "Opvang"], key=lambda col: col.map(
    {s: i for i, s in enumerate(rules.STANDINGS)}) if col.name == "Toestand" else col)
ui.table(overview, key="infopagina_table", column_config=ui.date_columns("Laatste controle", "Te bevestigen"),
         wrap=("Ontbreekt (sinds)",))
st.write(f"De vijf onderdelen: {', '.join(rules.ITEM_LABELS[i] for i in rules.ITEMS)}. Alleen controles van het "
         "loket tellen; een verklaring van de opvang staat op ‘te bevestigen’ tot het loket ze bevestigt.")
ui.download_buttons(lambda: ui.reads.register_sheet("infopagina"), f"infopagina-{today:%Y%m%d}", key="dl_infopagina",
                    sheet="infopagina")

st.header("Per opvang")
order = list(overview["Opvang"])
provider_id = ui.choose("Opvang", {p: names[p] for p in sorted(names, key=lambda p: order.index(names[p]))},
                        key="infopagina_provider")
found = states[provider_id]
if found.to_confirm:
    declared = found.to_confirm
    st.warning(f"{ui.literal(names[provider_id])} verklaarde op {ui.fmt_date(declared.datum)}: "
               + ", ".join(f"{rules.ITEM_LABELS[i]} {'ja' if declared.present[i] else 'nee'}" for i in rules.ITEMS)
               + ". Bekijk de pagina en bevestig, of leg hieronder vast wat u zelf ziet.")
    if st.button("Verklaring bevestigen (als controle van vandaag)", key="confirm_declaration"):
        service.record(ui.engine(), user.username, provider_id, today, rules.LOKET, declared.present, user.name)
        ui.flash(f"Bevestigd: de infopagina van {names[provider_id]} werd vandaag als gecontroleerd vastgelegd.")
if found.missing:
    st.subheader("Herinnering")
    st.write("Klaar om te versturen; kopieer de tekst naar uw mail:")
    st.code(rules.reminder(names[provider_id], found.missing, config.municipality), language=None, wrap_lines=True)

with st.form("record_check", clear_on_submit=True):
    st.subheader("Controle vastleggen")
    day = ui.forms.day_input("Gecontroleerd op", today)
    last = found.latest.present if found.latest else {}
    present = {item: st.checkbox(rules.ITEM_LABELS[item], value=last.get(item, False), key=f"check_{item}")
               for item in rules.ITEMS}
    if st.form_submit_button("Controle bewaren"):
        try:
            service.record(ui.engine(), user.username, provider_id, day, rules.LOKET, present, user.name,
                           today=today)
        except ValueError as exc:
            ui.forms.show_refusal(exc)
        else:
            ui.flash(f"De controle van {ui.fmt_date(day)} is bewaard.")

history = ui.reads.infopagina_history((provider_id,))
if not history.empty:
    st.subheader("Geschiedenis")
    ui.infopagina.history(
        history, "infopagina_history", rules.SOURCES,
        lambda i, why, day, present: service.correct(ui.engine(), user.username, i, why, day, present, today,
                                                     user.name),
        lambda i, why: service.withdraw(ui.engine(), user.username, i, why))
