"""Mijn infopagina: what the loket found on the provider's infopagina (R6), what is missing since when, and the
provider's own declaration, which the loket then confirms. Only its own provider(s)."""

import streamlit as st

import ui
from llko.infopagina import rules, service
from llko.notify import stale

user = ui.open_page(__file__)
today = ui.today()
own = user.provider_ids
names = ui.reads.provider_names()
provider_id = ui.own_provider(user, names)
ui.show_flash()
checks = ui.reads.infopagina_checks((provider_id,))
found = rules.state(checks, today)
st.write(f"Uw infopagina op Opvang.Vlaanderen toont minstens: {', '.join(rules.ITEM_LABELS[i] for i in rules.ITEMS)}. "
         "Het loket kijkt ze na; wat u hier verklaart, bevestigt het loket bij de volgende controle.")

st.header("Laatste controle door het loket")
if found.latest is None:
    st.write("Het loket heeft uw infopagina nog niet gecontroleerd.")
elif found.complete:
    st.success(f"Volledig bij de controle van {ui.fmt_date(found.latest.datum)}.")
else:
    st.error(f"Bij de controle van {ui.fmt_date(found.latest.datum)} ontbrak: "
             + "; ".join(f"{rules.ITEM_LABELS[i]} (sinds {ui.fmt_date(d)})" for i, d in found.missing_since.items())
             + ".")
for flag in ui.reads.stale_flags(today, (provider_id,)):
    if flag.kind == stale.INFOPAGINA and found.latest is not None:  # never checked: said above
        st.warning(f"Verouderd: {flag.text} — {stale.WHERE_TO_FIX[flag.kind]}.")
if found.to_confirm:
    st.info(f"Uw verklaring van {ui.fmt_date(found.to_confirm.datum)} wacht op bevestiging door het loket.")

st.header("Mijn verklaring")
with st.form("declare", clear_on_submit=True):
    st.write("Vink aan wat vandaag op uw infopagina staat:")
    last = (found.to_confirm or found.latest).present if (found.to_confirm or found.latest) else {}
    present = {item: st.checkbox(rules.ITEM_LABELS[item], value=last.get(item, False), key=f"declare_{item}")
               for item in rules.ITEMS}
    if st.form_submit_button("Verklaring versturen", type="primary"):
        try:
            service.record(ui.engine(), user.username, provider_id, today, rules.OPVANG, present, user.name,
                           allowed=own)
        except ValueError as exc:
            ui.forms.show_refusal(exc)
        else:
            ui.flash("Uw verklaring is bewaard; het loket bevestigt ze na een blik op uw infopagina.")

history = ui.reads.infopagina_history((provider_id,))
if not history.empty:
    st.header("Geschiedenis")
    ui.infopagina.history(
        history, "own_infopagina_history", (rules.OPVANG,),
        lambda i, why, day, present: service.correct(ui.engine(), user.username, i, why, day, present, today,
                                                     user.name, allowed=own),
        lambda i, why: service.withdraw(ui.engine(), user.username, i, why, allowed=own), show_by=False)
