"""Instellingen: the loket's numbers (deadline, thresholds) that another loket could set differently."""

import pandas as pd
import streamlit as st

import ui
from llko import services, settings

FORMATS = {"text": "een naam", "days": "een geheel aantal dagen, minstens 1", "count": "een geheel getal, minstens 0",
           "share": "een aandeel: 0,9 of 90%"}

me = ui.open_page(__file__)
ui.show_flash()
current = ui.reads.settings()
st.write("Elk getal dat een ander loket anders kan kiezen, met de waarde van Ninove als standaard. Een wijziging geldt "
         "meteen voor alle cijfers en komt in de audit.")
ui.table(pd.DataFrame({  # the value beside its name; the meaning, the longest, last and wrapped
    "Instelling": [settings.LABELS[k] for k in settings.KEYS],
    "Waarde": [settings.show(k, getattr(current, k)) for k in settings.KEYS],
    "Standaard": [settings.show(k, getattr(settings.DEFAULTS, k)) for k in settings.KEYS],
    "Betekenis": [settings.DESCRIPTIONS[k] for k in settings.KEYS],
}), key="settings_table", wrap=("Betekenis",),
    height=ui.tables.WRAP_ROW_HEIGHT * len(settings.KEYS) + 40)  # every setting in view, no empty row

st.header("Een instelling wijzigen")
key = ui.choose("Instelling", {k: f"{settings.LABELS[k]} — {settings.DESCRIPTIONS[k]}" for k in settings.KEYS},
                index=None, placeholder="Kies een instelling", key="setting_key")
if key:
    with st.form("change_setting", clear_on_submit=True):
        raw = st.text_input(f"Nieuwe waarde ({FORMATS[settings.kind(key)]})",
                            placeholder=settings.show(key, getattr(current, key)), key="setting_value")
        if st.form_submit_button("Bewaren", type="primary"):
            try:
                value = services.change_setting(ui.engine(), me.username, key, raw)
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                ui.flash(f"{settings.DESCRIPTIONS[key]}: nu {settings.show(key, value)}.")
