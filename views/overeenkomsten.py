"""Overeenkomst en LOK (R10): which providers signed the cooperation agreement and which did not (first: unsigned is
a shortcoming in itself), a signature recorded with its scan; the meetings of the Lokaal Overleg Kinderopvang with
who attended and who did not, their minutes; the yearly evaluation of the procedure with the LOK's advice. A
signature or a meeting recorded by mistake is corrected or withdrawn with a reason (R14); the history keeps it."""

from datetime import date

import pandas as pd
import streamlit as st

import ui
from llko import corrections
from llko.agreements import service
from llko.files import documents
from llko.compliance import rules as compliance_rules
from llko.providers import rules as provider_rules

user = ui.open_page(__file__)
today = ui.today()
ui.show_flash()
details = ui.reads.provider_details()
names = dict(zip(details["id"], details["name"]))
active = [p for p, stopped_on in zip(details["id"], details["stopped_on"])
          if not provider_rules.has_stopped(stopped_on, today)]
contact = details.set_index("id")
latest = ui.reads.latest_signatures()
latest = latest[latest["provider_id"].isin(active)]
unsigned, signed = latest[latest["signed_on"].isna()], latest[latest["signed_on"].notna()]
meetings = ui.reads.lok_meetings()
meeting_history = ui.reads.lok_meetings(history=True)
year_ago, _ = compliance_rules.period(None, None, today)  # R11's default year, both ends included
recent = [m for m in meetings if year_ago <= m.held_on <= today]
evaluations = ui.reads.procedure_evaluations()


def name_of(provider_id: str) -> str:
    return names.get(provider_id, provider_id)


def states(remarks) -> list[str]:
    """The Toestand column of a history table: how an entry was corrected or withdrawn, else 'geldt'."""
    return [remark or corrections.STANDS for remark in remarks]


show_refusal, next_round = ui.forms.show_refusal, ui.forms.next_round
tiles = st.columns(4)
tiles[0].metric("Ondertekend", f"{len(signed)} van {len(latest)}", border=True,
                help="Opvanginitiatieven (niet gestopt) die de samenwerkingsovereenkomst ondertekenden.")
tiles[1].metric("Niet ondertekend", len(unsigned), border=True,
                help="Niet ondertekenen is op zich een tekortkoming (verdere afspraak van de overeenkomst).")
tiles[2].metric("LOK-vergaderingen (12 maanden)", len(recent), border=True,
                help=f"Vergaderingen van {ui.fmt_date(year_ago)} tot {ui.fmt_date(today)}; het loket brengt alle "
                     "opvang minstens jaarlijks samen.")
tiles[3].metric(f"Evaluatie {today.year}", "vastgelegd" if today.year in set(evaluations["year"]) else "nog niet",
                border=True, help="De jaarlijkse evaluatie van de procedure opvangvragen, met het advies van het LOK.")

# --- the cooperation agreement ------------------------------------------------------------------------------
st.header("Samenwerkingsovereenkomst")
if unsigned.empty:
    st.success("Alle opvanginitiatieven ondertekenden de samenwerkingsovereenkomst.")
else:
    who = "opvanginitiatief ondertekende" if len(unsigned) == 1 else "opvanginitiatieven ondertekenden"
    st.warning(f"{len(unsigned)} {who} de samenwerkingsovereenkomst niet: dat is op zich een tekortkoming.")
    ui.table(pd.DataFrame({
        "Opvang": unsigned["name"], "Dossiernummer": unsigned["provider_id"],
        "Contactpersoon": [contact.at[p, "contact_person"] for p in unsigned["provider_id"]],
        "E-mail": [contact.at[p, "email"] for p in unsigned["provider_id"]],
    }), key="unsigned_table")
if not signed.empty:
    st.write(f"Ondertekend ({len(signed)}); per opvang telt de laatste handtekening:")
    ui.table(pd.DataFrame({
        "Opvang": signed["name"], "Dossiernummer": signed["provider_id"], "Ondertekend op": signed["signed_on"],
        "Ondertekenaar": signed["signatory"], "Functie": signed["function"],
        "Scan": [n if has else "geen" for n, has in zip(signed["scan_name"], signed["has_scan"])],
    }), key="signed_table", column_config=ui.date_columns("Ondertekend op"))
ui.download_buttons(lambda: ui.reads.register_sheet("overeenkomst"), f"overeenkomst-{today:%Y%m%d}",
                    key="dl_overeenkomst", sheet="overeenkomst")
signature_history = ui.reads.signatures(history=True)
if not signature_history.empty:
    with st.expander(f"Alle vastgelegde handtekeningen ({len(signature_history)})"):
        st.write("Per opvang, van oud naar nieuw. Een gecorrigeerde of ingetrokken handtekening blijft staan; de "
                 "toestand zegt door wie, wanneer en waarom.")
        ui.table(pd.DataFrame({
            "Opvang": signature_history["provider_id"].map(name_of), "Dossiernummer": signature_history["provider_id"],
            "Ondertekend op": signature_history["signed_on"], "Ondertekenaar": signature_history["signatory"],
            "Functie": signature_history["function"],
            "Scan": [n if has else "geen" for n, has in zip(signature_history["scan_name"],
                                                            signature_history["has_scan"])],
            "Toestand": states(signature_history["remark"]),
        }), key="signature_history", column_config=ui.date_columns("Ondertekend op"))

every_signature = ui.reads.signatures()
with_scan = every_signature[every_signature["has_scan"]].iloc[::-1]
if not with_scan.empty:
    rows = {int(r.id): r for r in with_scan.itertuples()}
    chosen_scan = ui.choose("Scan van", {i: f"{name_of(r.provider_id)} — ondertekend op {ui.fmt_date(r.signed_on)}"
                                         for i, r in rows.items()}, key="scan_choice")
    ui.download("Scan downloaden", lambda chosen=chosen_scan: (ui.reads.agreement_scan(chosen) or ("", b""))[1],
                rows[chosen_scan].scan_name, documents.MIME_TYPES[documents.PDF], key="dl_scan")

order = list(unsigned["provider_id"]) + list(signed["provider_id"])  # the unsigned first
round_ = ui.forms.form_round("_signature_round")
with st.form(f"signature_{round_}"):
    st.subheader("Handtekening vastleggen")
    provider_id = ui.choose("Opvang", {p: f"{name_of(p)} ({p})" for p in order}, index=None,
                            placeholder="Kies een opvang")
    left, right = st.columns(2)
    signed_on = ui.forms.day_input("Ondertekend op", today, where=left)
    signatory = right.text_input("Ondertekenaar", max_chars=service.NAME_MAX)
    function = left.text_input("Functie", max_chars=service.NAME_MAX, placeholder="bv. verantwoordelijke")
    scan = st.file_uploader("Scan van de ondertekende overeenkomst (PDF, hoogstens 10 MB; mag later)", type=["pdf"])
    if st.form_submit_button("Handtekening bewaren", type="primary"):
        if provider_id is None:
            st.error("Opvang: kies de opvang die ondertekende.")
        else:
            try:
                service.record_signature(ui.engine(), user.username, provider_id, signed_on, signatory, function,
                                         today, scan.getvalue() if scan else None, scan.name if scan else None)
            except ValueError as exc:
                show_refusal(exc)
            else:
                next_round("_signature_round")
                ui.flash(f"De handtekening van {name_of(provider_id)} van {ui.fmt_date(signed_on)} is vastgelegd"
                         + (" met de scan." if scan else "."))

if not every_signature.empty:
    with st.expander("Scan toevoegen aan een vastgelegde handtekening"):
        recorded = {int(r.id): r for r in every_signature.iloc[::-1].itertuples()}
        round_ = ui.forms.form_round("_scan_round")
        with st.form(f"attach_scan_{round_}"):
            agreement_id = ui.choose("Handtekening", {i: (
                f"{name_of(r.provider_id)} — {ui.fmt_date(r.signed_on)}"
                + (f" (scan: {r.scan_name})" if r.has_scan else " (geen scan)")) for i, r in recorded.items()})
            scan = st.file_uploader("Scan (PDF, hoogstens 10 MB)", type=["pdf"])
            replace = st.checkbox("Bestaande scan vervangen")
            if st.form_submit_button("Scan bewaren"):
                if scan is None:
                    st.error("Scan: kies het PDF-bestand.")
                else:
                    try:
                        service.attach_scan(ui.engine(), user.username, agreement_id, scan.getvalue(), scan.name,
                                            replace=replace)
                    except ValueError as exc:
                        show_refusal(exc)
                    else:
                        next_round("_scan_round")
                        ui.flash(f"De scan bij de handtekening van {name_of(recorded[agreement_id].provider_id)} is "
                                 "bewaard.")

signature_rows = {int(r.id): r for r in every_signature.sort_values("signed_on", ascending=False,
                                                                     kind="stable").itertuples()}  # newest first


def signature_fields(agreement_id: int) -> dict:
    found = signature_rows[agreement_id]
    st.write("De scan gaat mee naar de gecorrigeerde handtekening.")
    left, right = st.columns(2)
    return {"signed_on": ui.forms.day_input("Ondertekend op", found.signed_on, where=left),
            "signatory": right.text_input("Ondertekenaar", found.signatory, max_chars=service.NAME_MAX),
            "function": left.text_input("Functie", found.function, max_chars=service.NAME_MAX)}


def signature_text(agreement_id: int) -> str:
    found = signature_rows[agreement_id]
    return f"De handtekening van {name_of(found.provider_id)} van {ui.fmt_date(found.signed_on)}"


def correct_signature(agreement_id: int, reason: str, values: dict) -> str:
    service.correct_signature(ui.engine(), user.username, agreement_id, reason, values["signed_on"],
                              values["signatory"], values["function"], today)
    return f"{signature_text(agreement_id)} is gecorrigeerd; het origineel blijft in de geschiedenis."


def withdraw_signature(agreement_id: int, reason: str) -> str:
    service.withdraw_signature(ui.engine(), user.username, agreement_id, reason)
    return f"{signature_text(agreement_id)} is ingetrokken; ze blijft in de geschiedenis staan."


ui.forms.correction_form("fix_signature", "Handtekening", {
    i: f"{name_of(r.provider_id)} — {ui.fmt_date(r.signed_on)}" + (f" ({r.signatory})" if r.signatory else "")
    for i, r in sorted(signature_rows.items(), key=lambda item: name_of(item[1].provider_id))},
    signature_fields, correct_signature, withdraw_signature)

# --- the Lokaal Overleg Kinderopvang ------------------------------------------------------------------------
st.header("Lokaal Overleg Kinderopvang")


def expected(on: date) -> list[str]:
    """The providers working on that day (started, not yet stopped): whom a meeting that day was for."""
    return [p for p, started, stopped in zip(details["id"], details["started_on"], details["stopped_on"])
            if provider_rules.works_on(started, stopped, on)]


if not recent:
    st.warning("Geen LOK-vergadering in de voorbije 12 maanden: het loket brengt alle opvang minstens jaarlijks "
               "samen.")
if meeting_history:
    if len(meeting_history) > len(meetings):
        st.write("Een gecorrigeerde of ingetrokken vergadering blijft staan en telt niet mee; de toestand zegt door "
                 "wie, wanneer en waarom.")
    ui.table(pd.DataFrame([{
        "Datum": m.held_on, "Onderwerp": m.subject, "Aantal aanwezig": len(m.attending),
        "Aanwezig": ", ".join(sorted(name_of(p) for p in m.attending)),
        "Afwezig": ", ".join(sorted(name_of(p) for p in expected(m.held_on) if p not in m.attending)),
        "Verslag": m.minutes_name or "geen", "Toestand": m.remark or corrections.STANDS,
    } for m in meeting_history]), key="lok_table", column_config=ui.date_columns("Datum"))
    if recent:
        missed = [p for p in active if not any(p in m.attending for m in recent)]
        st.write("Op geen enkele vergadering van de voorbije 12 maanden (het lokale beleid kennen is een "
                 f"minimumverplichting): {ui.literal(', '.join(sorted(name_of(p) for p in missed)))}." if missed else
                 "Elke opvang was de voorbije 12 maanden minstens één keer aanwezig.")
else:
    st.write("Nog geen LOK-vergadering vastgelegd.")
ui.download_buttons(lambda: ui.reads.register_sheet("lok"), f"lok-{today:%Y%m%d}", key="dl_lok", sheet="lok")

everyone = list(active) + [p for p in details["id"] if p not in active]
if meetings:
    st.subheader("Per vergadering")
    by_id = {m.id: m for m in meetings}
    meeting_id = ui.choose("Vergadering", {i: f"{ui.fmt_date(m.held_on)} — {m.subject}" for i, m in by_id.items()},
                           key="lok_meeting")
    meeting = by_id[meeting_id]
    if meeting.has_minutes:
        kind = meeting.minutes_name.rsplit(".", 1)[-1]
        ui.download("Verslag downloaden", lambda chosen=meeting_id: (ui.reads.lok_minutes(chosen) or ("", b""))[1],
                    meeting.minutes_name, documents.MIME_TYPES.get(kind, "application/octet-stream"), key="dl_minutes")
    with st.expander("Aanwezigheden aanpassen"), st.form(f"attendance_{meeting_id}"):
        options = everyone + [p for p in meeting.attending if p not in everyone]
        present = ui.choose_many("Aanwezig", {p: name_of(p) for p in options}, default=list(meeting.attending),
                                 placeholder="Kies de opvanginitiatieven die aanwezig waren",
                                 key=f"present_{meeting_id}")
        if st.form_submit_button("Aanwezigheden bewaren"):
            try:
                added, removed = service.set_attendance(ui.engine(), user.username, meeting_id, present)
            except ValueError as exc:
                show_refusal(exc)
            else:
                if not added and not removed:
                    st.info("Er was niets gewijzigd; er is niets bewaard.")
                else:
                    ui.flash(f"Aanwezigheden van {ui.fmt_date(meeting.held_on)} bewaard: erbij "
                             f"{', '.join(map(name_of, added)) or 'niemand'}; eraf "
                             f"{', '.join(map(name_of, removed)) or 'niemand'}.")
    with st.expander("Verslag toevoegen"):
        round_ = ui.forms.form_round("_minutes_round")
        with st.form(f"minutes_{meeting_id}_{round_}"):
            minutes = st.file_uploader("Verslag (PDF, DOCX of ODT, hoogstens 10 MB)", type=["pdf", "docx", "odt"])
            replace = st.checkbox("Bestaand verslag vervangen", disabled=not meeting.has_minutes)
            if st.form_submit_button("Verslag bewaren"):
                if minutes is None:
                    st.error("Verslag: kies het bestand.")
                else:
                    try:
                        service.attach_minutes(ui.engine(), user.username, meeting_id, minutes.getvalue(),
                                               minutes.name, replace=replace)
                    except ValueError as exc:
                        show_refusal(exc)
                    else:
                        next_round("_minutes_round")
                        ui.flash(f"Het verslag van {ui.fmt_date(meeting.held_on)} is bewaard.")

round_ = ui.forms.form_round("_meeting_round")
with st.form(f"new_meeting_{round_}"):
    st.subheader("Vergadering vastleggen")
    held_on = ui.forms.day_input("Datum", today)
    subject = st.text_input("Onderwerp", max_chars=service.SUBJECT_MAX)
    attending = ui.choose_many("Aanwezig", {p: name_of(p) for p in everyone}, select_all=False,
                               placeholder="Kies de opvanginitiatieven die aanwezig waren")
    minutes = st.file_uploader("Verslag (PDF, DOCX of ODT, hoogstens 10 MB; mag later)", type=["pdf", "docx", "odt"])
    if st.form_submit_button("Vergadering bewaren", type="primary"):
        try:
            service.add_meeting(ui.engine(), user.username, held_on, subject, attending, today,
                                minutes.getvalue() if minutes else None, minutes.name if minutes else None)
        except ValueError as exc:
            show_refusal(exc)
        else:
            next_round("_meeting_round")
            ui.flash(f"De LOK-vergadering van {ui.fmt_date(held_on)} is vastgelegd ({len(attending)} "
                     f"{'opvanginitiatief' if len(attending) == 1 else 'opvanginitiatieven'} aanwezig).")

standing_meetings = {m.id: m for m in meetings}


def meeting_fields(meeting_id: int) -> dict:
    found = standing_meetings[meeting_id]
    st.write("Wie aanwezig was, het verslag en een evaluatie die naar deze vergadering verwijst, gaan mee naar de "
               "gecorrigeerde vergadering.")
    return {"held_on": ui.forms.day_input("Datum", found.held_on),
            "subject": st.text_input("Onderwerp", found.subject, max_chars=service.SUBJECT_MAX)}


def correct_meeting(meeting_id: int, reason: str, values: dict) -> str:
    service.correct_meeting(ui.engine(), user.username, meeting_id, reason, values["held_on"], values["subject"],
                            today)
    return (f"De LOK-vergadering van {ui.fmt_date(standing_meetings[meeting_id].held_on)} is gecorrigeerd; het "
            "origineel blijft in de geschiedenis.")


def withdraw_meeting(meeting_id: int, reason: str) -> str:
    unlinked = sorted(int(y) for y, m in zip(evaluations["year"], evaluations["meeting_id"])
                      if pd.notna(m) and int(m) == meeting_id)
    service.withdraw_meeting(ui.engine(), user.username, meeting_id, reason)
    return (f"De LOK-vergadering van {ui.fmt_date(standing_meetings[meeting_id].held_on)} is ingetrokken; ze blijft "
            "in de geschiedenis staan."
            + (f" De evaluatie van {', '.join(map(str, unlinked))} verwijst niet langer naar een vergadering."
               if unlinked else ""))


ui.forms.correction_form("fix_meeting", "LOK-vergadering", {
    i: f"{ui.fmt_date(m.held_on)} — {m.subject}" for i, m in standing_meetings.items()},
    meeting_fields, correct_meeting, withdraw_meeting)

# --- the yearly evaluation of the procedure -----------------------------------------------------------------
st.header("Jaarlijkse evaluatie van de procedure")
st.write("Het loket evalueert de procedure voor opvangvragen jaarlijks en legt ze voor advies voor aan het LOK.")
if today.year not in set(evaluations["year"]):
    st.info(f"Voor {today.year} is de evaluatie met het advies van het LOK nog niet vastgelegd.")
if not evaluations.empty:
    ui.table(pd.DataFrame({
        "Jaar": evaluations["year"].astype(str), "LOK-vergadering": evaluations["meeting_on"],
        "Evaluatie": evaluations["findings"], "Advies van het LOK": evaluations["advice"],
        "Vastgelegd door": evaluations["recorded_by"],
        "Vastgelegd op": ui.fmt_moments(evaluations["recorded_at"]),
    }), key="evaluation_table", column_config=ui.date_columns("LOK-vergadering"))

round_ = ui.forms.form_round("_evaluation_round")
with st.form(f"evaluation_{round_}"):
    st.subheader("Evaluatie vastleggen")
    left, right = st.columns(2)
    year = left.number_input("Jaar", value=today.year, step=1, help=f"Een jaar van 2000 tot en met {today.year}.")
    by_id = {m.id: m for m in meetings}
    advised_at = ui.choose("LOK-vergadering die advies gaf (optioneel)",
                           {i: f"{ui.fmt_date(m.held_on)} — {m.subject}" for i, m in by_id.items()}, index=None,
                           placeholder="Kies een vergadering", where=right)
    findings = st.text_area("Evaluatie van de procedure", max_chars=service.TEXT_MAX, height=120,
                            placeholder="Wat liep goed, wat niet, welke cijfers")
    advice = st.text_area("Advies van het LOK", max_chars=service.TEXT_MAX, height=120)
    replace = st.checkbox("Bestaande evaluatie van dit jaar vervangen")
    if st.form_submit_button("Evaluatie bewaren", type="primary"):
        try:
            replaced = service.record_evaluation(ui.engine(), user.username, int(year), findings, advice, today,
                                                 meeting_id=advised_at, replace=replace)
        except ValueError as exc:
            show_refusal(exc)
        else:
            next_round("_evaluation_round")
            ui.flash(f"De evaluatie van {int(year)} is {'vervangen' if replaced else 'vastgelegd'}.")
