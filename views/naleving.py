"""Naleving: per provider and obligation the verdict of R11 in an advice round or over a free period (a colour and
a symbol per cell; click a cell for its evidence), the advice in force (R9) and the thresholds used. The coordinator
opens a provider's dossier from here and manages the advice rounds (create, fix, reopen); the policy maker sees the
grid, the advice and the findings, never a request id."""

from datetime import date

import streamlit as st

import ui
from llko.compliance import evidence, ladder, rounds, rules
from ui import compliance as shown

user = ui.open_page(__file__)
coordinator = user.role == "coordinator"
names = ui.reads.provider_names()
ui.show_flash()
chosen = shown.scope("naleving", for_policy=not coordinator)
date_from, date_to, found, overrides, config = (chosen.date_from, chosen.date_to, chosen.verdicts, chosen.overrides,
                                                chosen.settings)


def final(pid: str, key: str) -> bool:
    return evidence.final(key, found[pid], overrides.get(pid, {}))


negative = [p for p in found if final(p, evidence.NEGATIVE_ADVICE)]
zero = [p for p in found if final(p, evidence.ZERO_SCORE)]
in_order = [p for p in found if not any(v.is_shortcoming for v in found[p].values())]
tiles = st.columns(4)
tiles[0].metric("In orde", f"{len(in_order)} van {len(found)}", border=True,
                help="Opvanginitiatieven zonder enige tekortkoming in de periode.")
tiles[1].metric("Negatief advies", len(negative), border=True,
                help="Een minimale verplichting niet nagekomen (na aanpassingen door het loket).")
tiles[2].metric("0-score", len(zero), border=True,
                help="Een verdere afspraak niet nagekomen (na aanpassingen door het loket).")
tiles[3].metric("Aangepast advies", sum(len(o) for o in overrides.values()), border=True,
                help="Adviezen die het loket met een motivering aanpaste; de afgeleide waarde blijft bewaard.")

st.header("Overzicht per opvang")
if not found:
    st.write("Nog geen opvanginitiatieven: importeer een export van Opvang.Vlaanderen of de registerwerkmap.")
    st.stop()
frame = shown.grid(found, names, overrides)
st.write("Klik een cel om te zien waarop het oordeel steunt.")
wide = {c: st.column_config.TextColumn(c, width="medium") for c in ("Negatief advies", "0-score")}  # "nee (aange…"
event = ui.table(shown.coloured(frame), key="naleving_grid", on_select="rerun", selection_mode="single-cell",
                 column_config=wide,
                 height=min(36 * (len(frame) + 1) + 3, 800))  # every provider in view, up to 21 rows
st.write(shown.LEGEND)
ui.download_buttons(frame, f"naleving-{date_from:%Y%m%d}-{date_to:%Y%m%d}", key="dl_naleving", sheet="naleving")

ordered = shown.grid_order(found, names)
by_label = {rules.LABELS[o]: o for o in rules.OBLIGATIONS}
cell = ui.selected_cell(event, len(frame), list(frame.columns))  # a forged row or column is ignored
if cell:  # a click on the grid chooses the provider and obligation below
    row, column = cell
    st.session_state["naleving_provider"] = ordered[row]
    if column in by_label:
        st.session_state["naleving_obligation"] = by_label[column]

st.header("Waarop het oordeel steunt")
left, right = st.columns(2)
short = [(p, o) for p in ordered for o in rules.OBLIGATIONS if found[p][o].is_shortcoming]
if "naleving_provider" not in st.session_state and short:  # first open: the first shortcoming in the grid
    st.session_state["naleving_provider"], st.session_state["naleving_obligation"] = short[0]
provider_id = ui.choose("Opvang", {p: names.get(p, p) for p in ordered}, key="naleving_provider", where=left)
obligation = ui.choose("Verplichting", {o: rules.LABELS[o] for o in rules.OBLIGATIONS}, key="naleving_obligation",
                       where=right)
verdicts = found[provider_id]
verdict = verdicts[obligation]
st.subheader(f"{ui.literal(names.get(provider_id, provider_id))} — {rules.LABELS[obligation]}")
st.write(f"**{shown.SYMBOLS[verdict.verdict]}** ({rules.CATEGORY_LABELS[verdict.category]}). "
         f"{evidence.summary(verdict, config)}")
if coordinator or obligation not in shown.REQUEST_EVIDENCE:
    shown.show_evidence(verdicts, key="naleving_evidence", obligations=(obligation,))
else:
    st.write("Het bewijs per aanvraag blijft bij het loket; hierboven staat wat werd geteld.")

st.subheader("Advies")
mine = overrides.get(provider_id, {})
for key in evidence.ADVICE_KEYS:
    value = evidence.final(key, verdicts, mine)
    st.write(f"**{evidence.ADVICE_LABELS[key]}: {'ja' if value else 'nee'}**"
             + (f" (aangepast door het loket; afgeleid: {'ja' if evidence.derived(verdicts)[key] else 'nee'})"
                if key in mine else "") + f". {evidence.reason(key, verdicts)}")
    if key in mine:
        st.write(f"Motivering van de aanpassing ({ui.literal(mine[key].by)}, {ui.fmt_moment(mine[key].at)}): "
                 f"{ui.literal(mine[key].motivation)}")
if coordinator and st.button("Dossier van deze opvang openen", key="open_dossier"):
    st.session_state["dossier_provider"] = provider_id
    st.session_state["dossier_round"] = chosen.round.id if chosen.round else shown.FREE
    st.session_state["dossier_from"], st.session_state["dossier_to"] = date_from, date_to
    st.switch_page("views/dossier.py")

st.header("Drempels en lezing")
fixed = chosen.round is not None and chosen.round.is_fixed
shown.show_thresholds(config, coordinator, fixed)

if not coordinator:
    st.stop()
st.header("Adviesrondes")
st.write("Een advies wordt gegeven voor een beslissing: de jaarlijkse subsidie van de stad (enkel de minimale "
         "verplichtingen) of een uitbreidingsronde (beide adviezen). Zolang een ronde open is, volgen haar oordelen de "
         "gegevens van nu; vastgelegd toont ze wat op dat moment gold, wat er later ook ingelezen of gewijzigd wordt.")
current = chosen.round
if current is not None and not current.is_fixed:
    if st.button(f"Ronde ‘{current.name}’ vastleggen", key="fix_round", type="primary"):
        try:
            rounds.fix(ui.engine(), user.username, current.id, ui.today())
        except ValueError as exc:
            ui.forms.show_refusal(exc)
        else:
            ui.flash(f"De ronde ‘{current.name}’ is vastgelegd: haar oordelen, adviezen en aanpassingen blijven zoals "
                     "ze nu zijn.")
elif current is not None:
    with st.form("reopen_round", clear_on_submit=True):
        st.subheader(f"Ronde ‘{ui.literal(current.name)}’ heropenen")
        why = st.text_area("Waarom heropenen?", max_chars=ladder.NOTE_MAX, height=80,
                           placeholder=f"Motivering, minstens {ladder.MOTIVATION_MIN} tekens")
        if st.form_submit_button("Heropenen"):
            try:
                rounds.reopen(ui.engine(), user.username, current.id, why)
            except ValueError as exc:
                ui.forms.show_refusal(exc)
            else:
                ui.flash(f"De ronde ‘{current.name}’ is heropend: haar oordelen volgen weer de gegevens van nu.")
round_ = ui.forms.form_round("_new_round")
with st.form(f"new_round_{round_}"):
    st.subheader("Nieuwe adviesronde")
    left, right = st.columns(2)
    name = left.text_input("Naam", max_chars=rounds.NAME_MAX, placeholder="bv. Subsidie 2027")
    kind = ui.choose_one_of("Soort", rounds.KINDS, horizontal=True, where=right)
    start = ui.forms.day_input("Periode van", date(ui.today().year - 1, 1, 1), where=left)
    end = ui.forms.day_input("tot en met", date(ui.today().year - 1, 12, 31), where=right)
    if st.form_submit_button("Ronde aanmaken"):
        try:
            rounds.create(ui.engine(), user.username, name, kind, start, end)
        except ValueError as exc:
            ui.forms.show_refusal(exc)
        else:
            ui.forms.next_round("_new_round")
            ui.flash(f"De adviesronde ‘{name.strip()}’ is aangemaakt (open).")
