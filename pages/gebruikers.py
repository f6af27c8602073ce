"""Gebruikers: accounts, roles, provider links, password resets (coordinator only)."""

import streamlit as st

import ui
from llko import auth, queries

me = ui.open_page(__file__)
engine = ui.engine()
ui.show_flash()
providers = queries.providers(engine)
names = dict(zip(providers["id"], providers["name"]))
users = queries.users(engine)

view = users.assign(
    role=users["role"].map(auth.ROLES),
    provider_ids=users["provider_ids"].map(lambda ids: ", ".join(names.get(i, i) for i in ids.split(",") if i)),
    locked=users["locked_until"].notna(),
).rename(columns={"username": "Gebruikersnaam", "name": "Naam", "email": "E-mail", "role": "Rol", "active": "Actief",
                  "must_change_password": "Moet wachtwoord wijzigen", "provider_ids": "Opvang"})
st.dataframe(view[["Gebruikersnaam", "Naam", "E-mail", "Rol", "Opvang", "Actief", "Moet wachtwoord wijzigen"]],
             hide_index=True, width="stretch", key="users_table")

new_tab, edit_tab = st.tabs(["Nieuw account", "Account wijzigen"])
with new_tab, st.form("new_user", clear_on_submit=False):
    username = st.text_input("Gebruikersnaam", max_chars=60)
    name = st.text_input("Naam", max_chars=120)
    email = st.text_input("E-mail", max_chars=200)
    role = st.selectbox("Rol", list(auth.ROLES), format_func=auth.ROLES.get)
    linked = st.multiselect("Opvang (alleen voor rol opvanginitiatief)", providers["id"], format_func=names.get)
    if st.form_submit_button("Account aanmaken", type="primary"):
        one_time = auth.new_one_time_password()
        try:
            auth.create_user(engine, me.username, username, name, role, one_time, tuple(linked), email,
                             must_change_password=True)
        except ValueError as exc:
            st.error(str(exc))
        else:
            ui.flash(f"Account '{auth.normalize_username(username)}' aangemaakt. Eenmalig wachtwoord (nu doorgeven; "
                     f"het wordt niet meer getoond): `{one_time}`")

with edit_tab:
    chosen = st.selectbox("Account", users["username"], index=None, placeholder="Kies een account", key="edit_user")
    if chosen:
        row = users.set_index("username").loc[chosen]
        # The version this editor first saw: a save after someone else's change must be refused, not applied.
        seen_key = f"_seen_version_{chosen}"
        seen_version = st.session_state.setdefault(seen_key, int(row["version"]))
        with st.form("edit_user_form"):
            name = st.text_input("Naam", row["name"], max_chars=120)
            email = st.text_input("E-mail", row["email"], max_chars=200)
            role = st.selectbox("Rol", list(auth.ROLES), index=list(auth.ROLES).index(row["role"]), format_func=auth.ROLES.get)
            current = [i for i in row["provider_ids"].split(",") if i]
            linked = st.multiselect("Opvang", providers["id"], default=current, format_func=names.get)
            active = st.checkbox("Actief", bool(row["active"]))
            if st.form_submit_button("Wijzigingen bewaren", type="primary"):
                try:
                    auth.update_user(engine, me.username, chosen, name=name, email=email, role=role, active=active,
                                     provider_ids=tuple(linked), version=seen_version)
                except auth.EditConflict as exc:
                    st.session_state[seen_key] = int(row["version"])  # the next save may overwrite, knowingly
                    st.error(str(exc))
                except ValueError as exc:
                    st.error(str(exc))
                else:
                    st.session_state.pop(seen_key, None)
                    ui.flash(f"Account '{chosen}' bijgewerkt.")
        if st.button("Wachtwoord resetten", key="reset_password"):
            one_time = auth.reset_password(engine, me.username, chosen)
            ui.flash(f"Eenmalig wachtwoord voor '{chosen}' (nu doorgeven; de gebruiker moet het bij de eerste "
                     f"aanmelding wijzigen): `{one_time}`")
