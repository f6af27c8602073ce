"""Audit: who did what, when — filterable and downloadable."""

from datetime import timedelta

import streamlit as st

import ui
from llko import audit

ui.open_page(__file__)
since = st.date_input("Vanaf", ui.today() - timedelta(days=30), format="DD/MM/YYYY", key="audit_since")
log = ui.reads.audit_entries(since)
cut = len(log) >= audit.ENTRIES_LIMIT  # the newest ENTRIES_LIMIT only
c1, c2 = st.columns(2)
actors = c1.multiselect("Wie", sorted(log["actor"].unique()), placeholder="Iedereen", key="audit_actor", select_all=False)
label = lambda code: audit.ACTION_LABELS.get(code, code)  # noqa: E731
actions = c2.multiselect("Actie", sorted(log["action"].unique(), key=label), format_func=label,
                         placeholder="Alle acties", key="audit_action", select_all=False)
if actors:
    log = log[log["actor"].isin(actors)]
if actions:
    log = log[log["action"].isin(actions)]
log["detail"] = [audit.describe(a, d) for a, d in zip(log["action"], log["detail"])]
log["action"] = log["action"].map(label)
log["at"] = log["at"].dt.tz_convert(ui.LOCAL_TZ).dt.strftime("%d/%m/%Y %H:%M:%S")
view = log.rename(columns={"at": "Wanneer", "actor": "Wie", "action": "Actie", "detail": "Details"})
st.write(f"{len(view)} {'regel' if len(view) == 1 else 'regels'} sinds {ui.fmt_date(since)}, de nieuwste eerst."
         + (f" Er zijn er meer: alleen de nieuwste {audit.ENTRIES_LIMIT} sinds die dag worden getoond en gefilterd."
            if cut else ""))
ui.table(view, key="audit_table")
ui.download_buttons(view, f"audit-{ui.today():%Y%m%d}", key="dl_audit", sheet="Audit")
