"""Mijn account: change one's own password (required after a reset)."""

import streamlit as st

import ui
from llko.accounts import auth

user = ui.open_page(__file__)
st.write(f"Aangemeld als **{ui.literal(user.username)}** ({auth.ROLES[user.role]}).")
if user.must_change_password:
    st.warning("U meldde zich aan met een eenmalig wachtwoord. Kies nu een eigen wachtwoord om verder te gaan.")

with st.form("change_password", clear_on_submit=True):
    st.header("Wachtwoord wijzigen")
    old = st.text_input("Huidig wachtwoord", type="password")
    new = st.text_input(f"Nieuw wachtwoord (minstens {auth.MIN_PASSWORD_CHARS} tekens)", type="password")
    again = st.text_input("Nieuw wachtwoord herhalen", type="password")
    if st.form_submit_button("Wachtwoord wijzigen"):
        if new != again:
            st.error("De twee nieuwe wachtwoorden zijn niet gelijk.")
        else:
            try:
                auth.change_password(ui.engine(), user.username, old, new, keep=ui.login.token())
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                st.success("Uw wachtwoord is gewijzigd.")
                if user.must_change_password:
                    st.rerun()
