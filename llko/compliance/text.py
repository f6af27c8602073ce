"""The compliance contract as a readable Dutch table (the CLI without --json)."""

from datetime import date

from llko import dutch
from llko.compliance.rules import (IN_ORDER, NOT_APPLICABLE, OBLIGATIONS, READING, SHORT_LABELS, SHORTCOMING,
                                   UNKNOWN)

CELLS = {IN_ORDER: "ok", SHORTCOMING: "TEKORT", UNKNOWN: "?", NOT_APPLICABLE: "-"}
LEGEND = ("ok = in orde, TEKORT = tekortkoming, ? = onbekend (te weinig gegevens, nooit een tekort), "
          "- = niet van toepassing")


def cell(found: dict) -> str:
    text = CELLS[found["verdict"]]
    if found.get("share") is not None:
        text += f" {dutch.percent(found['share'])}"
    return text


def format_table(contract: dict, names: dict[str, str] | None = None) -> str:
    """One row per provider (by id): a column per obligation and the two advice columns (derived values)."""
    names = names or {}
    headers = ["opvang", *(SHORT_LABELS[o] for o in OBLIGATIONS), "negatief advies", "0-score"]
    rows = []
    for pid, entry in contract["providers"].items():
        rows.append([f"{pid} {names.get(pid, '')}".strip(), *(cell(entry[o]) for o in OBLIGATIONS),
                     dutch.yes_no(entry["negative_advice"]), dutch.yes_no(entry["zero_score"])])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(row):
        return "  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip()

    start, end = (dutch.day(date.fromisoformat(contract[k])) for k in ("from", "to"))
    out = [f"Naleving van de samenwerking, periode {start} tot en met {end} (met de instellingen van nu)",
           line(headers), *map(line, rows)]
    if not rows:
        out.append("(geen opvanginitiatieven)")
    out += ["", LEGEND, READING]
    return "\n".join(out)
