"""Gebruikers: accounts, roles, provider links, password resets (coordinator only)."""

import pandas as pd
import streamlit as st

import ui
from llko.accounts import auth

me = ui.open_page(__file__)
engine = ui.engine()
ui.show_flash()
providers = ui.reads.providers()
names = dict(zip(providers["id"], providers["name"]))
users = ui.reads.users()

now = pd.Timestamp.now(tz="UTC")


view = pd.DataFrame({
    "Gebruikersnaam": users["username"], "Naam": users["name"], "Rol": users["role"].map(auth.ROLES),
    "Toestand": [auth.state(r.active, r.locked_until, r.must_change_password, now)
                 for r in users.itertuples()],
    "Opvang": users["provider_ids"].map(lambda ids: ", ".join(names.get(i, i) for i in ids.split(",") if i)),
    "Laatst aangemeld": ui.fmt_moments(users["last_login"]), "E-mail": users["email"],
})
st.write(f"{len(view)} accounts.")
ui.table(view, key="users_table")

new_tab, edit_tab = st.tabs(["Nieuw account", "Account wijzigen"])
# A new form (and new widget keys) after each account made: the next one starts empty, so it can never
# inherit the previous one's role or provider links.
round_ = st.session_state.setdefault("_new_user_round", 0)
with new_tab, st.form(f"new_user_{round_}", clear_on_submit=False):
    username = st.text_input("Gebruikersnaam", max_chars=60, key=f"new_username_{round_}")
    name = st.text_input("Naam", max_chars=120, key=f"new_name_{round_}")
    email = st.text_input("E-mail", max_chars=200, key=f"new_email_{round_}")
    role = ui.choose("Rol", auth.ROLES, index=None, placeholder="Kies een rol", key=f"new_role_{round_}")
    linked = ui.choose_many("Opvang (alleen voor rol opvanginitiatief)", names,
                            placeholder="Kies een of meer opvanginitiatieven", key=f"new_providers_{round_}",
                            select_all=False)
    if st.form_submit_button("Account aanmaken", type="primary"):
        one_time = auth.new_one_time_password()
        try:
            auth.create_user(engine, me.username, username, name, role or "", one_time, tuple(linked), email,
                             must_change_password=True)
        except ValueError as exc:
            ui.forms.show_refusal(exc)
        else:
            st.session_state["_new_user_round"] = round_ + 1
            ui.flash(f"Account '{auth.normalize_username(username)}' aangemaakt. Eenmalig wachtwoord (nu doorgeven; "
                     "het wordt niet meer getoond):", code=one_time)

with edit_tab:
    chosen = ui.choose("Account", list(users["username"]), index=None, placeholder="Kies een account", key="edit_user")
    if chosen:
        row = users.set_index("username").loc[chosen]
        # The version this editor first saw: a save after someone else's change must be refused, not applied.
        seen_key = f"_seen_version_{chosen}"
        seen_version = st.session_state.setdefault(seen_key, int(row["version"]))
        with st.form("edit_user_form"):
            name = st.text_input("Naam", row["name"], max_chars=120)
            email = st.text_input("E-mail", row["email"], max_chars=200)
            role = ui.choose("Rol", auth.ROLES, index=list(auth.ROLES).index(row["role"]))
            current = [i for i in row["provider_ids"].split(",") if i]
            linked = ui.choose_many("Opvang", names, default=current, placeholder="Kies een of meer opvanginitiatieven",
                                    select_all=False)
            active = st.checkbox("Actief", bool(row["active"]))
            if st.form_submit_button("Wijzigingen bewaren", type="primary"):
                try:
                    auth.update_user(engine, me.username, chosen, name=name, email=email, role=role, active=active,
                                     provider_ids=tuple(linked), version=seen_version)
                except auth.EditConflict as exc:
                    st.session_state[seen_key] = int(row["version"])  # the next save may overwrite, knowingly
                    ui.forms.show_refusal(exc)
                except ValueError as exc:
                    ui.forms.show_refusal(exc)
                else:
                    st.session_state.pop(seen_key, None)
                    ui.flash(f"Account '{chosen}' bijgewerkt.")
        if st.button("Wachtwoord resetten", key="reset_password"):
            one_time = auth.reset_password(engine, me.username, chosen)
            ui.flash(f"Eenmalig wachtwoord voor '{chosen}' (nu doorgeven; de gebruiker moet het bij de eerste "
                     "aanmelding wijzigen):", code=one_time)
