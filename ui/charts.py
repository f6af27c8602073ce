"""Charts (Altair) in the app's one style: Dutch month names, one fixed palette for the statuses, a reading guide
under each chart and the same figures as a table beside it (WCAG 1.4.1: never colour alone)."""

import altair as alt
import pandas as pd
import streamlit as st

from llko import dutch
from llko.requests import statuses

CHART_MAX_BARS = 30  # bars in a per-provider chart; more are unreadable (the table shows them all)

# Where colour carries meaning: shortage warm, approved green, open neutral (blue-greys), cancelled muted.
STATUS_COLOURS = {
    statuses.NEW: "#9BB3C7", statuses.RECEIVED: "#6F8FAF", statuses.IN_PROGRESS: "#3E6A94",
    statuses.NOT_POSSIBLE: "#D9692B", statuses.APPROVED: "#2E8B57",
    statuses.CANCELLED_BY_PROVIDER: "#8E6C8A", statuses.CANCELLED_BY_PARENT: "#C9C2B8",
}
CALM = ("#4C78A8", "#72A8A2", "#B59B62", "#9C84A8")  # muted categories (e.g. the kinds of a free place), no alarm red
# Vega's own month names are English whatever the browser: the axis writes Dutch ones itself.
MONTH_AXIS = alt.Axis(labelExpr="[" + ", ".join(f"'{m}'" for m in dutch.MONTHS) + "][month(datum.value)] + ' ' + "
                      "year(datum.value)", labelAngle=0, tickCount="month")


def month_label(day) -> str:
    """'jan 2026' for any day of January 2026."""
    return dutch.month(f"{pd.Timestamp(day):%Y-%m}")


def status_scale(labels: dict[str, str]) -> alt.Scale:
    """The fixed status palette, keyed by the labels the chart shows."""
    return alt.Scale(domain=[labels[s] for s in statuses.ALL], range=[STATUS_COLOURS[s] for s in statuses.ALL])


def show(chart: alt.Chart, guide: str, description: str) -> None:
    """A chart with its one-line reading guide below it; description: what it shows, for screen readers."""
    st.altair_chart(chart.properties(description=description), width="stretch")
    st.write(guide)
