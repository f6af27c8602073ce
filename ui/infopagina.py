"""The infopagina history that Infopagina (the loket) and Mijn infopagina (a provider) both show: every check and
declaration with its state (R14), and the form to correct or withdraw one."""

from typing import Callable

import pandas as pd
import streamlit as st

from llko import corrections
from llko.infopagina import rules
from ui.forms import correction_form, day_input
from ui.tables import date_columns, table


def history(found: pd.DataFrame, key: str, sources: tuple[str, ...], fix: Callable[[int, str, object, dict], None],
            drop: Callable[[int, str], None], show_by: bool = True) -> None:
    """A provider's checks, newest first, each with its state, and the form to correct or withdraw one of those of
    `sources` that stand: `fix(id, reason, day, present)` and `drop(id, reason)` write through llko."""
    shown = {"Datum": found["checked_on"], "Bron": found["source"].map(rules.SOURCE_LABELS)}
    if show_by:
        shown["Door"] = found["checked_by"]
    shown |= {rules.ITEM_LABELS[i]: found[i].map({True: "ja", False: "nee"}) for i in rules.ITEMS}
    shown["Toestand"] = found["remark"].where(found["remark"] != "", "geldt")
    table(pd.DataFrame(shown), key=key, column_config=date_columns("Datum"))
    standing = found[(found["state"] == corrections.STANDS) & found["source"].isin(sources)]
    rows = {int(r.id): r for r in standing.itertuples()}

    def said(check_id: int) -> str:
        return f"De {rules.SOURCE_LABELS[rows[check_id].source]} van {rows[check_id].checked_on:%d/%m/%Y}"

    def fields(check_id: int) -> dict:
        entry = rows[check_id]
        return {"day": day_input("Gecontroleerd op", entry.checked_on),
                "present": {item: st.checkbox(rules.ITEM_LABELS[item], value=bool(getattr(entry, item)),
                                              key=f"{key}_{check_id}_{item}") for item in rules.ITEMS}}

    def correct(check_id: int, reason: str, values: dict) -> str:
        fix(check_id, reason, values["day"], values["present"])
        return f"{said(check_id)} is gecorrigeerd; het origineel blijft in de geschiedenis."

    def withdraw(check_id: int, reason: str) -> str:
        drop(check_id, reason)
        return f"{said(check_id)} is ingetrokken; ze blijft in de geschiedenis staan."

    correction_form(f"{key}_fix", "Controle" if rules.LOKET in sources else "Verklaring",
                    {i: f"{r.checked_on:%d/%m/%Y} — {rules.SOURCE_LABELS[r.source]}" for i, r in rows.items()},
                    fields, correct, withdraw)
