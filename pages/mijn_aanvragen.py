"""Mijn aanvragen: a provider's own open, overdue and due-soon requests, and the R4 to-dos."""

import streamlit as st

import ui
from llko.providers import queries as provider_queries
from llko.requests.queries import Selection

REMINDER_TEXT = ("Aangezien we geen reactie meer krijgen, wordt deze aanvraag binnen 1 week afgesloten. "
                 "Wenst u toch nog kinderopvang, neem dan contact met ons op via …")

OWN_COLUMNS = ["id", "child_id", "received", "deadline", "status", "status_date", "answer_date", "days_late"]

user = ui.open_page(__file__)
today = ui.today()
own = user.provider_ids  # the only providers this page ever reads
names = dict(provider_queries.providers(ui.engine())[["id", "name"]].itertuples(index=False))
if not own:
    st.warning("Uw account is nog aan geen opvang gekoppeld. Neem contact op met het Lokaal Loket Kinderopvang.")
    st.stop()
# ?opvang=<dossiernummer> opens one of the account's providers (a link in a mail); any other id is refused,
# whatever the URL says: the check below is what keeps a provider inside its own data.
requested = st.query_params.get("opvang", own[0])
if requested not in own:
    st.error("U hebt geen toegang tot de gegevens van deze opvang.")
    st.stop()
provider_id = requested
if len(own) > 1:
    provider_id = st.selectbox("Opvang", own, index=own.index(requested), format_func=names.get, key="own_provider")
st.caption(f"{names.get(provider_id, provider_id)} — stand op {ui.fmt_date(today)}. Beantwoord elke aanvraag "
           "binnen 14 dagen in Opvang.Vlaanderen; ‘vraag ontvangen’ telt niet als antwoord.")

scope = (provider_id,)
figures = ui.read("kpis", today, scope)
tiles = st.columns(4)
tiles[0].metric("Open", figures["open"])
tiles[1].metric("Te laat", figures["overdue"])
tiles[2].metric("Termijn loopt af ≤ 3 dagen", figures["due_soon"])
tiles[3].metric("Tijdig beantwoord (90 dagen)", ui.fmt_pct(figures["in_time_rate"]))

st.header("Te laat")
late = ui.read("request_list", today, "overdue", scope)
if late.empty:
    st.success("U hebt geen aanvragen die te laat zijn. Goed zo!")
else:
    ui.show_requests(late, ["id", "received", "deadline", "days_late", "status"], key="own_overdue")
    ui.list_caption(late, figures["overdue"])

st.header("Binnenkort te beantwoorden")
open_waiting = ui.read("request_list", today, "waiting", scope)
if open_waiting.empty:
    st.info("Geen openstaande aanvragen zonder antwoord.")
else:
    soon = figures["due_soon"]
    st.caption(f"{soon} {'aanvraag' if soon == 1 else 'aanvragen'} met een termijn die binnen 3 dagen "
               "afloopt; hieronder de open aanvragen zonder antwoord, de kortste termijn eerst.")
    ui.show_requests(open_waiting, ["id", "received", "deadline", "days_left", "status"], key="own_waiting")
    ui.list_caption(open_waiting)

st.header("Ouders reageren niet meer")
todos = ui.followups(today, scope)
if todos.empty:
    st.info("Geen opvolgacties.")
else:
    ui.show_requests(todos, ["id", "status_date", "reminder_date", "close_date", "todo"], key="own_todos")
    ui.list_caption(todos)
    st.write("Herinneringsbericht uit de procedure (klik rechtsboven om te kopiëren):")
    st.code(REMINDER_TEXT, language=None, wrap_lines=True)
    st.caption("Krijgt u een week na de herinnering nog geen reactie, zet de aanvraag dan op "
               "‘geannuleerd door opvang’.")

st.header("Al uw aanvragen")
everything = ui.read("classified_requests", today, Selection(provider_ids=(provider_id,)))
everything = everything.sort_values(["received", "id"], ascending=False)
count = len(everything)
st.write(f"{count} {'aanvraag' if count == 1 else 'aanvragen'} van {names.get(provider_id, provider_id)} in het "
         "dashboard, met hun laatst gekende status. Download ze om ze naast Opvang.Vlaanderen te leggen.")
ui.download_buttons(ui.request_view(everything, OWN_COLUMNS), f"mijn-aanvragen-{provider_id}-{today:%Y%m%d}",
                    key="dl_own", sheet="Mijn aanvragen")
