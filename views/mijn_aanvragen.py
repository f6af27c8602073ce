"""Mijn aanvragen: a provider's own open, overdue and due-soon requests, and the R4 to-dos."""

import streamlit as st

import ui
from llko.notify import stale
from llko.providers import service
from llko.requests import rules

OWN_COLUMNS = ["id", "child_id", "received", "deadline", "status", "status_date", "answer_date", "days_late"]

user = ui.open_page(__file__)
ui.show_flash()
today = ui.today()
own = user.provider_ids  # the only providers this page ever reads
names = ui.reads.provider_names()
if not own:
    st.warning("Uw account is nog aan geen opvang gekoppeld. Neem contact op met het Lokaal Loket Kinderopvang.")
    st.stop()
# ?opvang=<dossiernummer> opens one of the account's providers (a link in a mail); any other id is refused,
# whatever the URL says: the check below is what keeps a provider inside its own data.
requested = st.query_params.get("opvang", own[0])
if requested not in own:
    st.error("U hebt geen toegang tot de gegevens van deze opvang.")
    st.stop()
provider_id = ui.own_provider(user, names, first=requested)
name = ui.literal(names.get(provider_id, provider_id))
config = ui.reads.settings()
days, soon_days = config.deadline_days, config.due_soon_days
st.write(f"{name} — stand op {ui.fmt_date(today)}. Beantwoord elke aanvraag binnen "
         f"{days} dagen in Opvang.Vlaanderen; ‘vraag ontvangen’ telt niet als antwoord.")

scope = (provider_id,)
figures = ui.reads.kpis(today, scope)
tiles = st.columns(4)
tiles[0].metric("Open", figures["open"], border=True, help="Nieuw, vraag ontvangen of in behandeling.")
tiles[1].metric("Te laat", figures["overdue"], border=True, help=f"Nog geen antwoord na {days} dagen.")
tiles[2].metric(f"Termijn loopt af (≤ {soon_days} dagen)", figures["due_soon"], border=True,
                help=f"Nog geen antwoord en de termijn loopt binnen {soon_days} dagen af.")
tiles[3].metric(ui.IN_TIME, ui.fmt_pct(figures["in_time_rate"]), border=True,
                help=ui.in_time_help(days, "uw"))

own_flags = ui.reads.stale_flags(today, scope)
if own_flags:
    st.header("Bij te werken")
    for flag in own_flags:
        st.warning(f"{flag.kind.capitalize()}: {ui.literal(flag.text)} — {stale.WHERE_TO_FIX[flag.kind]}.")

st.header("Te laat")
late = ui.reads.request_list(today, "overdue", scope)
if late.empty:
    st.success("U hebt geen aanvragen die te laat zijn. Goed zo!")
else:
    ui.show_requests(late, ["id", "received", "deadline", "days_late", "status"], key="own_overdue")
    ui.list_caption(late, figures["overdue"])

st.header("Nog te beantwoorden, binnen de termijn")
open_waiting = ui.reads.request_list(today, "waiting", scope)
if open_waiting.empty:
    st.info("Geen openstaande aanvragen zonder antwoord.")
else:
    soon = figures["due_soon"]
    st.write(f"De open aanvragen zonder antwoord waarvan de termijn nog loopt, de kortste termijn eerst; bij {soon} "
             f"{'daarvan' if soon != 1 else 'ervan'} loopt de termijn binnen {soon_days} dagen af.")
    ui.show_requests(open_waiting, ["id", "received", "deadline", "days_left", "status"], key="own_waiting")
    ui.list_caption(open_waiting)

st.header("Ouders reageren niet meer")
todos = ui.reads.request_list(today, "followups", scope)
if todos.empty:
    st.info("Geen opvolgacties.")
else:
    ui.show_requests(todos, ["id", "status_date", "reminder_date", "close_date", "todo"], key="own_todos")
    ui.list_caption(todos)
    st.write("Herinneringsbericht uit de procedure, met uw eigen contactgegevens (klik rechtsboven om te kopiëren):")
    st.code(rules.reminder_message(names.get(provider_id, provider_id), user.email or "[uw e-mailadres of telefoonnummer]"),
            language=None, wrap_lines=True)
    if not user.email:
        st.info("Uw account heeft nog geen e-mailadres; vraag het Lokaal Loket Kinderopvang om het toe te voegen, "
                "dan staat het in dit bericht.")
    st.write("Krijgt u een week na de herinnering nog geen reactie, zet de aanvraag dan op ‘geannuleerd door opvang’.")

st.header("Al uw aanvragen")
everything = ui.reads.classified_requests(today, ui.reads.Selection(provider_ids=(provider_id,)))
everything = everything.sort_values(["received", "id"], ascending=False)
count = len(everything)
st.write(f"{count} {'aanvraag' if count == 1 else 'aanvragen'} van {name} in het "
         "dashboard, de nieuwste eerst, met hun laatst gekende status. Download ze om ze naast Opvang.Vlaanderen te "
         "leggen.")
if count:
    ui.show_requests(everything, OWN_COLUMNS, key="own_all")
ui.download_buttons(ui.request_view(everything, OWN_COLUMNS), f"mijn-aanvragen-{provider_id}-{today:%Y%m%d}",
                    key="dl_own", sheet="Mijn aanvragen", providers=scope)

st.header("Herinneringen per e-mail")
recipient = ui.reads.reminder_recipients().get(provider_id)
wants = recipient.wants_reminders if recipient else True
if recipient and recipient.email:
    st.write(f"Het Lokaal Loket Kinderopvang mailt {name} een herinnering naar {ui.literal(recipient.email)} wanneer "
             f"aanvragen te laat zijn of hun termijn binnen {soon_days} dagen afloopt. Eenzelfde aanvraag staat in "
             f"hoogstens {config.reminder_max} herinneringen, minstens {config.reminder_interval_days} dagen na "
             "elkaar.")
else:
    st.info("Bij uw opvanggegevens staat nog geen e-mailadres, dus u krijgt geen herinneringen. Vraag het Lokaal "
            "Loket Kinderopvang om het toe te voegen.")
choice = st.toggle("Herinneringen ontvangen", value=wants, key=f"reminders_{provider_id}")
if st.button("Keuze bewaren", key="reminders_save", disabled=choice == wants):
    try:
        service.set_reminders(ui.engine(), user.username, provider_id, bool(choice))
    except ValueError as exc:
        ui.forms.show_refusal(exc)
    else:
        ui.flash("Herinneringen staan aan." if choice else "Herinneringen staan uit; het loket ziet de aanvragen "
                 "die te laat zijn wel in zijn dagoverzicht.")
