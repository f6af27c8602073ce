"""Dossier: everything the loket needs to follow up one provider — R11's verdicts in an advice round (or over a free
period) with their evidence, R9's advice with the coordinator's override in that round (motivation, who, when), the
contacts and the file along the agreement's ladder as one timeline, and the round's documents (signal to Opgroeien
Regie, its advice letter, Excel annex)."""

import pandas as pd
import streamlit as st

import ui
from llko import corrections
from llko.compliance import documents, evidence, ladder, letters, rounds, rules, service
from ui import compliance as shown

user = ui.open_page(__file__)
today = ui.today()
names = ui.reads.provider_names()
ui.show_flash()
if not names:
    st.write("Nog geen opvanginitiatieven: importeer een export van Opvang.Vlaanderen of de registerwerkmap.")
    st.stop()
ordered = sorted(names, key=lambda p: names[p].lower())
provider_id = ui.choose("Opvang", {p: f"{names[p]} ({p})" for p in ordered}, key="dossier_provider")
name = ui.literal(names[provider_id])  # only ever shown inside the page's markdown
chosen = shown.scope("dossier")
in_round, date_from, date_to, config = chosen.round, chosen.date_from, chosen.date_to, chosen.settings
if provider_id not in chosen.verdicts:
    st.info(f"{name} stond nog niet in het register toen deze adviesronde werd vastgelegd: kies een andere ronde of "
            "een vrije periode.")
    st.stop()
verdicts = chosen.verdicts[provider_id]
overrides = chosen.overrides.get(provider_id, {})
files = ui.reads.enforcement_files((provider_id,))
open_files = files[files["closed_on"].isna()]
contacts = ui.reads.contacts((provider_id,))

short = [o for o in rules.OBLIGATIONS if verdicts[o].is_shortcoming]
tiles = st.columns(4)
tiles[0].metric("Tekortkomingen", len(short), border=True,
                help=f"Verplichtingen niet nagekomen van {ui.fmt_date(date_from)} tot en met {ui.fmt_date(date_to)}.")
for tile, key in zip(tiles[1:3], evidence.ADVICE_KEYS):
    tile.metric(evidence.ADVICE_SHORT[key].capitalize(), shown.advice_value(key, verdicts, overrides), border=True,
                delta=shown.advice_note(key, verdicts, overrides), delta_color="off", delta_arrow="off",
                help=evidence.ADVICE_LABELS[key])
tiles[3].metric("Open dossier", ladder.STEP_LABELS[open_files.iloc[0]["step"]] if len(open_files) else "geen",
                border=True, help="De stap op de ladder van de overeenkomst waar het open dossier nu staat.")

# --- verdicts and evidence -----------------------------------------------------------------------------------
st.header("Oordelen")
st.write(f"{name}, periode {ui.fmt_date(date_from)} tot en met {ui.fmt_date(date_to)}.")
shown.show_verdicts(verdicts, config, key="dossier_verdicts")
st.subheader("Bewijs")
shown.show_evidence(verdicts, key="dossier_evidence")
with st.expander("Drempels en lezing van het loket"):
    shown.show_thresholds(config, coordinator=True, fixed=in_round is not None and in_round.is_fixed)

# --- advice and override -------------------------------------------------------------------------------------
st.header("Advies")
derived = evidence.derived(verdicts)
for key in evidence.ADVICE_KEYS:
    st.subheader(evidence.ADVICE_LABELS[key])
    st.write(f"Afgeleid uit de oordelen: **{'ja' if derived[key] else 'nee'}**. {evidence.reason(key, verdicts)}")
    if key in overrides:
        found = overrides[key]
        st.warning(f"Aangepast door het loket naar **{'ja' if found.value else 'nee'}** ({ui.literal(found.by)}, "
                   f"{ui.fmt_moment(found.at)}). Motivering: {ui.literal(found.motivation)}")

round_ = ui.forms.form_round("_override_round")
if in_round is None:
    st.info("Een aanpassing van het advies hoort bij een adviesronde: kies hierboven een ronde.")
elif in_round.is_fixed:
    st.info(f"De ronde ‘{ui.literal(in_round.name)}’ is vastgelegd; heropen ze op de pagina Naleving (met een "
            "motivering) om het advies nog aan te passen.")
else:
    with st.form(f"override_{round_}"):
        st.subheader("Advies aanpassen")
        st.write(f"Een aanpassing geldt voor deze opvang in de ronde ‘{ui.literal(in_round.name)}’; de afgeleide "
                 "waarde blijft bewaard en zichtbaar.")
        key = ui.choose("Advies", {k: evidence.ADVICE_LABELS[k] for k in evidence.ADVICE_KEYS})
        choice = ui.choose_one_of("Nieuwe waarde", ["ja", "nee", "terug naar de afgeleide waarde"], horizontal=True,
                                  index=None)
        motivation = st.text_area("Motivering", max_chars=ladder.NOTE_MAX, height=100,
                                  placeholder=f"Waarom? (minstens {ladder.MOTIVATION_MIN} tekens)")
        if st.form_submit_button("Aanpassing bewaren", type="primary"):
            if choice is None:
                st.error("Nieuwe waarde: kies ja, nee of terug naar de afgeleide waarde.")
            else:
                value = {"ja": True, "nee": False}.get(choice)
                try:
                    service.override_advice(ui.engine(), user.username, provider_id, key, in_round.id, value,
                                            motivation)
                except ValueError as exc:
                    ui.forms.show_refusal(exc)
                else:
                    ui.forms.next_round("_override_round")
                    ui.flash(f"Het advies ‘{evidence.ADVICE_SHORT[key]}’ van {names[provider_id]} is "
                             + ("teruggezet naar de afgeleide waarde." if value is None else
                                f"aangepast naar {'ja' if value else 'nee'}."))
history = ui.reads.override_history(provider_id)
if not history.empty:
    with st.expander(f"Alle beslissingen over het advies ({len(history)})"):
        ui.table(pd.DataFrame({
            "Beslist op": ui.fmt_moments(history["decided_at"]), "Door": history["decided_by"],
            "Adviesronde": history["round"],
            "Advies": history["advice"].map(evidence.ADVICE_SHORT),
            "Periode": [f"{ui.fmt_date(a)} – {ui.fmt_date(b)}" for a, b in zip(history["period_from"],
                                                                                history["period_to"])],
            "Afgeleid": history["derived"].map({True: "ja", False: "nee"}),
            "Beslissing": history["value"].map(lambda v: "teruggezet" if v is None or pd.isna(v) else
                                                ("ja" if v else "nee")),
            "Motivering": history["motivation"]}), key="override_history")

# --- contacts and the ladder: one timeline -------------------------------------------------------------------
st.header("Opvolging")
steps = ui.reads.enforcement_steps(provider_id, history=True)
every_contact = ui.reads.contacts((provider_id,), history=True)
timeline = pd.concat([
    pd.DataFrame({"Datum": every_contact["contact_on"], "Wat": "Contact (" + every_contact["channel"] + ")",
                  "Toestand": every_contact["remark"], "Notitie": every_contact["note"],
                  "Over": [", ".join([rules.SHORT_LABELS[o] for o in obl] + ids)
                           for obl, ids in zip(every_contact["obligations"], every_contact["request_ids"])],
                  "Door": every_contact["recorded_by"]}),
    pd.DataFrame({"Datum": steps["taken_on"], "Wat": steps["step"].map(ladder.STEP_LABELS),
                  "Toestand": steps["remark"], "Notitie": steps["note"],
                  "Over": [", ".join(n for _, n in a) for a in steps["attachments"]], "Door": steps["author"]}),
]).sort_values("Datum", ascending=False, kind="stable")
timeline["Toestand"] = timeline["Toestand"].where(timeline["Toestand"] != "", "geldt")
if timeline.empty:
    st.write(f"Nog geen contact of dossier met {name}.")
else:
    st.write("Van nieuw naar oud: de contacten van het loket en de stappen van elk dossier (bij een stap: de "
             "bijlagen). Een gecorrigeerde of ingetrokken vermelding blijft staan; de toestand zegt door wie, wanneer "
             "en waarom.")
    ui.table(timeline.rename(columns={"Over": "Over / bijlagen"}), key="dossier_timeline",
             column_config={**ui.date_columns("Datum"), "Toestand": {"width": 200}}, wrap=("Toestand", "Notitie"))
steps_standing = steps[steps["state"] == corrections.STANDS]
attachments = [(a_id, a_name, label, on) for a_list, label, on in
               zip(steps_standing["attachments"], steps_standing["step"].map(ladder.STEP_LABELS),
                   steps_standing["taken_on"])
               for a_id, a_name in a_list]
if attachments:
    chosen = ui.choose("Bijlage", {i: f"{a_name} — {label}, {ui.fmt_date(on)}"
                                   for i, (_, a_name, label, on) in enumerate(attachments)}, key="attachment_choice")
    ui.download("Bijlage downloaden",
                lambda i=chosen: (ui.reads.step_attachment(attachments[i][0], provider_id) or ("", b""))[1],
                attachments[chosen][1], key="dl_attachment")

contact_rows = {int(r.id): r for r in contacts.itertuples()}


def contact_fields(contact_id: int) -> dict:
    found = contact_rows[contact_id]
    left, right = st.columns(2)
    return {"on": ui.forms.day_input("Datum", found.contact_on, where=left),
            "channel": ui.choose_one_of("Kanaal", {c: ladder.CHANNEL_LABELS[c] for c in ladder.CHANNELS},
                                        index=ladder.CHANNELS.index(found.channel), horizontal=True, where=right),
            "note": st.text_area("Notitie", found.note, max_chars=ladder.NOTE_MAX, height=100)}


def correct_contact(contact_id: int, reason: str, values: dict) -> str:
    found = contact_rows[contact_id]
    service.correct_contact(ui.engine(), user.username, contact_id, reason, values["on"], values["channel"],
                            values["note"], today, found.obligations, found.request_ids)
    return f"Het contact van {ui.fmt_date(found.contact_on)} is gecorrigeerd; het origineel blijft in de geschiedenis."


def withdraw_contact(contact_id: int, reason: str) -> str:
    service.withdraw_contact(ui.engine(), user.username, contact_id, reason)
    return (f"Het contact van {ui.fmt_date(contact_rows[contact_id].contact_on)} is ingetrokken; het blijft in de "
            "geschiedenis staan.")


step_rows = {int(r.id): r for r in steps_standing.itertuples()}


def step_fields(step_id: int) -> dict:
    found = step_rows[step_id]
    values = {"on": ui.forms.day_input("Datum van de stap", found.taken_on),
              "note": st.text_area("Notitie", found.note, max_chars=ladder.NOTE_MAX, height=100), "outcome": ""}
    if found.step == ladder.CLOSED:
        outcome = files.set_index("id")["outcome"].get(found.file_id, "")
        values["outcome"] = st.text_input("Uitkomst", outcome, max_chars=ladder.NOTE_MAX)
    return values


def correct_step(step_id: int, reason: str, values: dict) -> str:
    found = step_rows[step_id]
    service.correct_step(ui.engine(), user.username, user.name, step_id, reason, values["on"], values["note"], today,
                         values["outcome"])
    return f"{ladder.STEP_LABELS[found.step]} is gecorrigeerd; het origineel blijft in de geschiedenis."


def withdraw_step(step_id: int, reason: str) -> str:
    service.withdraw_step(ui.engine(), user.username, step_id, reason)
    return f"{ladder.STEP_LABELS[step_rows[step_id].step]} is ingetrokken; de stap blijft in de geschiedenis staan."


obligation_labels = {o: rules.LABELS[o] for o in rules.OBLIGATIONS}
left, right = st.columns(2)
with left:
    round_ = ui.forms.form_round("_contact_round")
    with st.form(f"contact_{round_}"):
        st.subheader("Contact vastleggen")
        on = ui.forms.day_input("Datum", today)
        channel = ui.choose_one_of("Kanaal", {c: ladder.CHANNEL_LABELS[c] for c in ladder.CHANNELS}, horizontal=True)
        about = ui.choose_many("Over welke verplichtingen", obligation_labels, default=short,
                               placeholder="Kies verplichtingen")
        known = sorted({r.item for r in evidence.rows(verdicts) if r.obligation in shown.REQUEST_EVIDENCE})
        requests = ui.choose_many("Over welke aanvragen (uit het bewijs)", known, placeholder="Kies aanvragen")
        note = st.text_area("Notitie", max_chars=ladder.NOTE_MAX, height=100)
        if st.form_submit_button("Contact bewaren", type="primary"):
            try:
                service.record_contact(ui.engine(), user.username, provider_id, on, channel, note, today, about,
                                       requests)
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                ui.forms.next_round("_contact_round")
                ui.flash(f"Het contact met {names[provider_id]} van {ui.fmt_date(on)} is bewaard.")

with right:
    current = open_files.iloc[0] if len(open_files) else None
    round_ = ui.forms.form_round("_step_round")
    with st.form(f"step_{round_}"):
        if current is None:
            st.subheader("Dossier openen")
            st.write(f"Eerste stap: {ladder.STEP_LABELS[ladder.FIRST].lower()}.")
            chosen_step = ladder.FIRST
            about = ui.choose_many("Over welke verplichtingen", obligation_labels, default=short,
                                   placeholder="Kies verplichtingen")
        else:
            st.subheader("Volgende stap")
            st.write(f"Het dossier (geopend op {ui.fmt_date(current['opened_on'])}) staat op "
                     f"‘{ladder.STEP_LABELS[current['step']]}’ sinds {ui.fmt_date(current['step_on'])}.")
            chosen_step = ui.choose("Stap", {s: ladder.STEP_LABELS[s] for s in ladder.next_steps(current["step"])})
        on = ui.forms.day_input("Datum van de stap", today)
        note = st.text_area("Notitie", max_chars=ladder.NOTE_MAX, height=100, key=f"step_note_{round_}")
        outcome = "" if current is None else st.text_input(
            "Uitkomst (enkel bij afsluiten)", max_chars=ladder.NOTE_MAX, placeholder="bv. tekort weggewerkt")
        uploads = st.file_uploader("Bijlagen (PDF, DOCX of ODT; hoogstens 10 MB elk)", type=["pdf", "docx", "odt"],
                                   accept_multiple_files=True)
        attached = [(u.name, u.getvalue()) for u in uploads or ()]
        if st.form_submit_button("Dossier openen" if current is None else "Stap bewaren", type="primary"):
            try:
                if current is None:
                    service.open_file(ui.engine(), user.username, user.name, provider_id, on, about, note, today,
                                      attached)
                else:
                    service.add_step(ui.engine(), user.username, user.name, int(current["id"]), chosen_step, on,
                                     note, today, outcome, attached)
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                ui.forms.next_round("_step_round")
                ui.flash(f"{ladder.STEP_LABELS[chosen_step]}: vastgelegd in het dossier van {names[provider_id]}.")

closed = files[files["closed_on"].notna()]
if not closed.empty:
    with st.expander(f"Afgesloten dossiers ({len(closed)})"):
        ui.table(pd.DataFrame({"Geopend op": closed["opened_on"], "Afgesloten op": closed["closed_on"],
                               "Over": [", ".join(rules.SHORT_LABELS[o] for o in obl) for obl in closed["obligations"]],
                               "Uitkomst": closed["outcome"]}), key="closed_files",
                 column_config=ui.date_columns("Geopend op", "Afgesloten op"))

ui.forms.correction_form("fix_contact", "Contact", {i: f"{ui.fmt_date(r.contact_on)} — {r.channel}: {r.note[:60]}"
                                                    for i, r in contact_rows.items()},
                         contact_fields, correct_contact, withdraw_contact)
ui.forms.correction_form("fix_step", "Stap", {i: f"{ui.fmt_date(r.taken_on)} — {ladder.STEP_LABELS[r.step]}"
                                              for i, r in reversed(step_rows.items())},
                         step_fields, correct_step, withdraw_step)

# --- documents ---------------------------------------------------------------------------------------------
st.header("Documenten")
if in_round is None:
    st.info("De brieven worden geschreven voor een adviesronde: kies hierboven een ronde.")
    st.stop()
st.write(f"Opgemaakt voor de ronde ‘{ui.literal(in_round.name)}’ ({ui.fmt_date(date_from)} tot en met "
         f"{ui.fmt_date(date_to)}, " + ("zoals vastgelegd" if in_round.is_fixed else "uit de gegevens van nu")
         + f"), met de naam van {ui.literal(config.municipality)} en uw naam als afzender.")


def letter():
    return letters.letter(ui.engine(), provider_id, in_round, today, user.name)


stem = f"{provider_id}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
columns = st.columns(3)
ui.download("Signaal aan Opgroeien Regie (PDF)", lambda: documents.signal_pdf(letter()), f"signaal-{stem}.pdf",
            "application/pdf", key="dl_signal", where=columns[0])
ui.download(f"Advies {rounds.KINDS[in_round.kind]} (PDF)", lambda: documents.advice_pdf(letter(), in_round.kind),
            f"advies-{in_round.kind}-{stem}.pdf", "application/pdf", key="dl_advice", where=columns[1])
ui.download("Bewijs als bijlage (Excel)", lambda: documents.evidence_xlsx(letter()), f"bewijs-{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_annex", where=columns[2])
