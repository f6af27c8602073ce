"""Forms that more than one page shows: a free place (reported by the provider, or by the loket on its behalf), and
the correction or withdrawal of an entry (R14)."""

from typing import Callable

from datetime import date

import streamlit as st

from llko import corrections
from llko.vacancies import rules
from ui.choices import choose, choose_many, choose_one_of
from ui.session import flash, today
from ui.text import literal


# The widest range a date field takes: a date typed outside a widget's range is silently replaced by Streamlit, so
# the fields take (nearly) anything and llko refuses what the field does not allow, naming the field.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
DAY_HELP = "Typ de datum als dd/mm/jjjj of kies ze in de kalender."


def day_input(label: str, value, *, key: str | None = None, where=st, help: str | None = None):
    """A date field for a day a person enters (dd/mm/jjjj): what is typed reaches llko as typed."""
    return where.date_input(label, value, min_value=EARLIEST, max_value=LATEST, format="DD/MM/YYYY", key=key,
                            help=help or DAY_HELP)


def vacancy_form(key: str, values: dict, submit: str) -> dict | None:
    """The vacancy form; the raw values when submitted, else None."""
    with st.form(key):
        left, right = st.columns(2)
        vanaf = day_input("Vrij vanaf", values.get("vanaf", today()), where=left)
        tot = day_input("Vrij tot (leeg: geen einddatum)", values.get("tot"), where=right)
        dagen = choose_many("Weekdagen", {d: rules.WEEKDAY_LABELS[d] for d in rules.WEEKDAYS},
                            default=values.get("dagen", ()), placeholder="Kies de dagen waarop de plaats vrij is")
        left, middle, right = st.columns(3)
        dagdeel = choose("Dagdeel", {p: rules.DAY_PART_LABELS[p] for p in rules.DAY_PARTS}, where=left,
                         index=rules.DAY_PARTS.index(values.get("dagdeel", "dag")))
        plaatsen = middle.number_input("Aantal plaatsen", step=1, value=int(values.get("plaatsen", 1)),
                                       help="Een geheel getal van 1 tot en met 100.")  # llko checks what is typed
        leeftijd = choose("Leeftijd", {a: rules.AGE_LABELS[a] for a in rules.AGE_GROUPS}, where=right,
                          index=rules.AGE_GROUPS.index(values.get("leeftijd", "alle")))
        soort = choose_one_of("Soort plaats", {k: rules.KIND_LABELS[k] for k in rules.KINDS},
                              index=rules.KINDS.index(values.get("soort", "vast")), horizontal=True)
        opmerking = st.text_area("Opmerking (optioneel)", values.get("opmerking", ""), max_chars=rules.REMARK_MAX,
                                 height=80)
        if st.form_submit_button(submit, type="primary"):
            return {"vanaf": vanaf, "tot": tot, "dagen": list(dagen or ()), "dagdeel": dagdeel, "plaatsen": plaatsen,
                    "leeftijd": leeftijd, "soort": soort, "opmerking": opmerking}
    return None


def show_refusal(exc: ValueError) -> None:
    """A refusal from llko: one error per field (each message names its field), or the one message."""
    for message in getattr(exc, "problems", {}).values() or [str(exc)]:
        st.error(literal(message))  # a message may quote what was typed


def form_round(key: str) -> int:
    """The round of a form whose widgets get fresh keys after a write (next_round), so the next entry starts empty."""
    return st.session_state.get(key, 0)


def next_round(key: str) -> None:
    st.session_state[key] = form_round(key) + 1


def correction_form(key: str, what: str, entries: dict, fields: Callable[[object], dict] | None,
                    correct: Callable[[object, str, dict], str] | None, withdraw: Callable[[object, str], str]) -> None:
    """R14 on a page, in an expander: choose one of `entries` ({id: label}, the entries that stand) and correct it
    (the form holds what it says now: `fields(id)` draws the fields and returns their values) or withdraw it,
    always with a reason. `correct` and `withdraw` write through llko and return the flash message."""
    if not entries:
        return
    with st.expander(f"{what} corrigeren of intrekken"):
        st.write("Het origineel blijft in de geschiedenis staan, gemarkeerd als gecorrigeerd of ingetrokken, met uw "
                 "naam, het moment en de reden.")
        chosen = choose(what, entries, key=f"{key}_entry")
        round_ = form_round(f"_{key}_round")
        with st.form(f"{key}_{chosen}_{round_}"):
            values = fields(chosen) if fields else {}
            reason = st.text_input("Reden van de correctie of de intrekking", max_chars=corrections.REASON_MAX,
                                   placeholder=f"Waarom? (minstens {corrections.REASON_MIN} tekens)")
            left, right = st.columns(2)
            fixed = correct is not None and left.form_submit_button("Correctie bewaren", type="primary")
            dropped = right.form_submit_button("Intrekken")
        if fixed or dropped:
            try:
                message = correct(chosen, reason, values) if fixed else withdraw(chosen, reason)
            except ValueError as exc:
                show_refusal(exc)
            else:
                next_round(f"_{key}_round")
                flash(message)

