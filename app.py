"""LLKO dashboard entry: login, then the navigation built from the user's role. Nothing else."""

import streamlit as st

import ui
from llko import bootstrap
from llko.accounts import auth
from ui import login

st.set_page_config(page_title="LLKO", page_icon="🧸", layout="wide")

ui.style()
municipality = ui.reads.settings().municipality
st.set_page_config(page_title=f"LLKO {municipality}")
st.sidebar.markdown(f"**Lokaal Loket Kinderopvang {ui.literal(municipality)}**")
demo = ui.reads.is_demo()
if demo:
    st.warning("**DEMO** — fictieve gegevens van een demostad, geen echte aanvragen of opvanginitiatieven.", icon="🧪")


sidebar_user = st.sidebar.container()
user = login.gate()


def _signed_out_page() -> None:
    """What a visitor sees under the login form; in demo mode the demo accounts."""
    if demo:
        with st.expander("Demo-accounts", expanded=True):
            st.write(f"Alle demo-accounts hebben het wachtwoord `{bootstrap.DEMO_PASSWORD}`.")
            st.dataframe(
                [{"gebruikersnaam": u, "rol": auth.ROLES.get(r, r), "naam": n} for u, r, n in ui.reads.demo_accounts()],
                hide_index=True,
            )


def _signed_out() -> None:
    """End the run as a visitor. Navigation is still declared, so no page of views/ is reachable."""
    st.navigation([st.Page(_signed_out_page, title="Aanmelden", icon="🔐")], position="hidden").run()
    st.stop()


if user is None:
    _signed_out()

sidebar_user.write(f"**{ui.literal(user.name)}**  \n{auth.ROLES[user.role]}")
st.navigation([st.Page(spec.path, title=spec.title, icon=spec.icon) for spec in ui.menu(user)], expanded=True).run()
