"""What the compliance pages (Naleving, Dossier, Mijn naleving) show alike: the period picker, the grid of verdicts
with a colour and a symbol each, one provider's verdicts and evidence, the thresholds and the loket's reading."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from llko.compliance import evidence, rounds, rules
from llko.settings import Settings
from ui import reads
from ui.choices import choose, unique_labels
from ui.session import today
from ui.tables import fmt_date, table
from ui.text import literal

SYMBOLS = {rules.IN_ORDER: "✓ in orde", rules.SHORTCOMING: "✗ tekort", rules.UNKNOWN: "? onbekend",
           rules.NOT_APPLICABLE: "– n.v.t."}
# Pale backgrounds under dark text (contrast well above 4.5:1); the symbol says the same for who does not see colour.
COLOURS = {rules.IN_ORDER: "#e6f4ea", rules.SHORTCOMING: "#fce8e6", rules.UNKNOWN: "#fef7e0",
           rules.NOT_APPLICABLE: "#f1f3f4"}
BY_SYMBOL = {text: COLOURS[v] for v, text in SYMBOLS.items()}
LEGEND = ("✓ in orde · ✗ tekort (een tekortkoming) · ? onbekend (te weinig gegevens: nooit een tekort) · "
          "– niet van toepassing")
REQUEST_EVIDENCE = ("answering", "statuses", "vacancies")  # evidence rows that are request ids


def period(key: str) -> tuple[date, date]:
    """R11's period, picked: 'tot en met' defaults to today, 'van' to 364 days earlier. A start after the end
    stops the page with the rule's Dutch message."""
    end_default = today()
    left, right = st.columns(2)
    start = left.date_input("Periode van", end_default - timedelta(days=rules.DEFAULT_PERIOD_DAYS),
                            min_value=end_default - timedelta(days=3650), max_value=end_default + timedelta(days=366),
                            format="DD/MM/YYYY", key=f"{key}_from")
    end = right.date_input("tot en met", end_default, min_value=end_default - timedelta(days=3650),
                           max_value=end_default + timedelta(days=366), format="DD/MM/YYYY", key=f"{key}_to")
    if start is None or end is None:
        st.error("Kies een begin- en een einddatum van de periode.")
        st.stop()
    try:
        rules.check_period(start, end)
    except ValueError as exc:
        st.error(literal(str(exc)))
        st.stop()
    return start, end


FREE = "free"  # the choice of a free period instead of an advice round


@dataclass(frozen=True)
class Scope:
    """What a compliance page shows: an advice round (its verdicts, overrides and settings) or a free period (live,
    no overrides)."""

    round: rounds.Round | None
    date_from: date
    date_to: date
    verdicts: dict
    overrides: dict
    settings: Settings


def scope(key: str, for_policy: bool = False) -> Scope:
    """The advice round to show (default: the most recent open one, else the most recent) or a free period, and a
    sentence saying which and how it stands."""
    found = reads.advice_rounds()
    chosen_default = rounds.default(found)
    options = {r.id: r.label for r in found} | {FREE: "Vrije periode (de oordelen van nu, zonder aanpassingen)"}
    keys = list(options)
    picked = choose("Adviesronde", options, key=f"{key}_round",
                    index=keys.index(chosen_default.id) if chosen_default else keys.index(FREE))
    current = next((r for r in found if r.id == picked), None)
    if current is None:
        date_from, date_to = period(key)
        st.write(f"Vrije periode van {fmt_date(date_from)} tot en met {fmt_date(date_to)}: de oordelen van nu, zonder "
                 "de aanpassingen van een adviesronde.")
        return Scope(None, date_from, date_to, reads.compliance(date_from, date_to), {}, reads.settings())
    standing = reads.round_standing(current, for_policy)
    st.write(f"Adviesronde ‘{literal(current.name)}’ ({rounds.KINDS[current.kind]}) over {fmt_date(current.date_from)} "
             f"tot en met {fmt_date(current.date_to)}: "
             + (f"vastgelegd op {fmt_date(current.fixed_on)}; de oordelen, het bewijs en de drempels zijn die van dat "
                "moment." if current.is_fixed else "open; de oordelen volgen de gegevens van nu."))
    return Scope(current, current.date_from, current.date_to, standing.verdicts, standing.overrides,
                 standing.settings)


def advice_value(key: str, verdicts, overrides: dict) -> str:
    """The advice in force: 'ja' or 'nee' (the override when there is one)."""
    value = overrides[key].value if key in overrides else evidence.derived(verdicts)[key]
    return "ja" if value else "nee"


def advice_note(key: str, verdicts, overrides: dict) -> str | None:
    """Under the advice in force, when the loket changed it: 'aangepast; afgeleid: ja'."""
    if key not in overrides:
        return None
    return f"aangepast; afgeleid: {'ja' if evidence.derived(verdicts)[key] else 'nee'}"


def advice_text(key: str, verdicts, overrides: dict) -> str:
    """'ja', 'nee', or 'nee (aangepast; afgeleid: ja)'."""
    note = advice_note(key, verdicts, overrides)
    return advice_value(key, verdicts, overrides) + (f" ({note})" if note else "")


def grid_order(found: dict, names: dict[str, str]) -> list[str]:
    """The providers in the grid's order: by name."""
    return sorted(found, key=lambda p: names.get(p, p).lower())


def grid(found: dict, names: dict[str, str], overrides: dict) -> pd.DataFrame:
    """One row per provider (by name, made unique): the advice in force right after the name (what a policy maker
    comes for, in view on any screen), then a symbol per obligation."""
    rows = []
    labels = unique_labels({p: names.get(p, p) for p in found})
    for pid in grid_order(found, names):
        verdicts = found[pid]
        rows.append({"Opvang": labels[pid],
                     "Negatief advies": advice_text(evidence.NEGATIVE_ADVICE, verdicts, overrides.get(pid, {})),
                     "0-score": advice_text(evidence.ZERO_SCORE, verdicts, overrides.get(pid, {})),
                     **{rules.LABELS[o]: SYMBOLS[verdicts[o].verdict] for o in rules.OBLIGATIONS}})
    return pd.DataFrame(rows, columns=["Opvang", "Negatief advies", "0-score",
                                       *(rules.LABELS[o] for o in rules.OBLIGATIONS)])


def coloured(frame: pd.DataFrame, columns: list[str] | None = None):
    """The table with each verdict cell (in these columns; by default the grid's obligations) on its colour."""
    columns = columns or [rules.LABELS[o] for o in rules.OBLIGATIONS]
    return frame.style.map(lambda v: f"background-color: {BY_SYMBOL.get(v, 'transparent')}; color: #1f1f1f",
                           subset=columns)


def verdict_table(verdicts: dict, config: Settings) -> pd.DataFrame:
    """One provider: per obligation its category, verdict (symbol) and what was found."""
    return pd.DataFrame([{"Verplichting": rules.LABELS[o], "Soort": rules.CATEGORY_LABELS[rules.CATEGORY[o]],
                          "Oordeel": SYMBOLS[verdicts[o].verdict],
                          "Wat werd gevonden": evidence.summary(verdicts[o], config)}
                         for o in rules.OBLIGATIONS])


def show_verdicts(verdicts: dict, config: Settings, key: str) -> None:
    table(coloured(verdict_table(verdicts, config), ["Oordeel"]), key=key, wrap=("Verplichting", "Wat werd gevonden"),
          column_config={"Verplichting": {"width": 200}})
    st.write(LEGEND)


def evidence_table(verdicts: dict, obligations=rules.OBLIGATIONS, with_requests: bool = True) -> pd.DataFrame:
    """The evidence rows of these obligations (without request ids when with_requests is False)."""
    rows = [r for r in evidence.rows(verdicts) if r.obligation in obligations
            and (with_requests or r.obligation not in REQUEST_EVIDENCE)]
    return pd.DataFrame([{"Verplichting": r.label, "Bewijs": r.item, "Toelichting": r.detail} for r in rows],
                        columns=["Verplichting", "Bewijs", "Toelichting"])


def show_evidence(verdicts: dict, key: str, obligations=rules.OBLIGATIONS) -> None:
    frame = evidence_table(verdicts, obligations)
    if frame.empty:
        st.write("Geen bewijsstukken: niets te laat, niets ontbrekend, niets gemist.")
    else:
        table(frame, key=key, wrap=("Toelichting",))


def show_thresholds(config: Settings, coordinator: bool = False, fixed: bool = False) -> None:
    """The settings R11 applied, with their values, and the loket's reading of 'minimum' and 'further' (for the
    coordinator, where to change them; for a fixed round, those of the moment it was fixed)."""
    if fixed:
        st.write("De oordelen volgen de instellingen die golden toen de adviesronde werd vastgelegd:")
    else:
        st.write("De oordelen volgen de instellingen van nu (te wijzigen op de pagina Instellingen):" if coordinator
                 else "De oordelen volgen deze instellingen van het loket:")
    table(pd.DataFrame(evidence.thresholds(config), columns=["Instelling", "Waarde"]), key="thresholds")
    st.write(rules.READING)
