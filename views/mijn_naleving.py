"""Mijn naleving: the provider's own R11 verdicts in an advice round (or over a free period), with the evidence
behind each (its own request ids) and what they mean for the advice (R9), so nothing comes as a surprise. Only its
own provider(s)."""

import streamlit as st

import ui
from llko.compliance import evidence, rules
from ui import compliance as shown

user = ui.open_page(__file__)
names = ui.reads.provider_names()
provider_id = ui.own_provider(user, names)
chosen = shown.scope("mijn_naleving")
config = chosen.settings
verdicts = chosen.verdicts.get(provider_id)
if verdicts is None:
    st.write("Het loket heeft nog geen gegevens over uw opvang in deze ronde.")
    st.stop()
overrides = chosen.overrides.get(provider_id, {})
st.write(f"Zo kijkt het Lokaal Loket Kinderopvang {ui.literal(config.municipality)} naar de samenwerking met "
         f"{ui.literal(names[provider_id])}. Klopt iets niet? Neem contact op met het loket.")

short = [rules.LABELS[o] for o in rules.OBLIGATIONS if verdicts[o].is_shortcoming]
if short:
    st.error(f"Niet in orde: {'; '.join(short)}.")
else:
    st.success("Geen tekortkomingen in deze periode.")

st.header("Oordelen")
shown.show_verdicts(verdicts, config, key="mijn_verdicts")
st.header("Bewijs")
st.write("Uw aanvragen die te laat beantwoord werden, de onderdelen die op uw infopagina ontbraken, de gemiste "
         "LOK-vergaderingen en de goedkeuringen zonder vooraf gemelde vrije plaats:")
shown.show_evidence(verdicts, key="mijn_evidence")

st.header("Wat dit betekent")
for key in evidence.ADVICE_KEYS:
    value = evidence.final(key, verdicts, overrides)
    st.write(f"**{evidence.ADVICE_LABELS[key]}: {'ja' if value else 'nee'}**"
             + (" (beslist door het loket)" if key in overrides else "") + f". {evidence.reason(key, verdicts)}")

st.header("Drempels")
shown.show_thresholds(config, fixed=chosen.round is not None and chosen.round.is_fixed)
