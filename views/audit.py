"""Audit: who did what, when — filtered and paged in the database, so every entry can be reached, and
downloadable."""

from datetime import timedelta

import pandas as pd
import streamlit as st

import ui
from llko import audit, dutch
from llko.clock import typed_day_problem

ui.open_page(__file__)
since = ui.forms.day_input("Vanaf", ui.today() - timedelta(days=30), key="audit_since")
if since is None or (wrong := typed_day_problem("Vanaf", since, ui.today())):
    st.error(wrong or "Vanaf: kies een dag.")
    st.stop()
label = lambda code: audit.ACTION_LABELS.get(code, code)  # noqa: E731
known_actors, known_actions = ui.reads.audit_choices(since)
c1, c2 = st.columns(2)
actors = ui.choose_many("Wie", list(known_actors), placeholder="Iedereen", key="audit_actor", select_all=False,
                        where=c1)
actions = ui.choose_many("Actie", {a: label(a) for a in sorted(known_actions, key=label)}, placeholder="Alle acties",
                         key="audit_action", select_all=False, where=c2)
chosen = audit.AuditFilter(since, tuple(actors), tuple(actions))
total = ui.reads.audit_count(chosen)
pages = max(1, -(-total // audit.PAGE_SIZE))
page = 1
if pages > 1:  # a new choice starts again at page 1 (the key changes with it)
    page = st.number_input(f"Pagina (van {pages})", 1, pages, 1, key=f"audit_page_{hash((chosen, pages))}")


def readable(log: pd.DataFrame) -> pd.DataFrame:
    """Entries as the page shows them: Belgian time, Dutch actions, details in a sentence."""
    log = log.copy()
    log["detail"] = [audit.describe(a, d) for a, d in zip(log["action"], log["detail"])]
    log["action"] = log["action"].map(label)
    log["at"] = log["at"].dt.tz_convert(ui.LOCAL_TZ).dt.strftime("%d/%m/%Y %H:%M:%S")
    return log.rename(columns={"at": "Wanneer", "actor": "Wie", "action": "Actie", "detail": "Details"})


first = (page - 1) * audit.PAGE_SIZE
view = readable(ui.reads.audit_entries(chosen, audit.PAGE_SIZE, first))
if total == 0:
    st.write(f"Geen regels sinds {ui.fmt_date(since)} bij deze keuze.")
else:
    shown = f"; hier regels {dutch.whole(first + 1)} tot {dutch.whole(first + len(view))} (pagina {page} van {pages})."
    st.write(f"{dutch.whole(total)} {'regel' if total == 1 else 'regels'} sinds {ui.fmt_date(since)} bij deze keuze, "
             f"de nieuwste eerst" + (shown if pages > 1 else "."))
ui.table(view, key="audit_table", wrap=("Details",))
if total > audit.DOWNLOAD_LIMIT:
    st.write(f"De download bevat de nieuwste {dutch.whole(audit.DOWNLOAD_LIMIT)} van die {dutch.whole(total)} regels; "
             "kies een latere begindatum of filter op wie of actie voor de rest.")
ui.download_buttons(lambda: readable(ui.reads.audit_entries(chosen, audit.DOWNLOAD_LIMIT)),
                    f"audit-{ui.today():%Y%m%d}", key="dl_audit", sheet="Audit")
