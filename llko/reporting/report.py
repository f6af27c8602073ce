"""The report contract of shared/DESIGN.md: per-provider counts and totals on a given day."""

from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from llko import settings
from llko.providers import queries as provider_queries
from llko.requests import rules, sql_rules


def build_report(engine: Engine, as_of: date) -> dict:
    """Counts over every request in the database, in its latest known state, with as_of as 'today' and the
    settings in force (deadline_days, due_soon_days)."""
    counts = sql_rules.provider_counts(engine, as_of, settings=settings.load(engine))[list(rules.COUNT_KEYS)]
    provider_ids = provider_queries.providers(engine)["id"]
    counts = counts.reindex(pd.Index(provider_ids, name="provider_id").union(counts.index), fill_value=0)
    providers = counts.astype(int).to_dict("index")
    totals = {k: int(counts[k].sum()) for k in rules.COUNT_KEYS}
    totals["children_unmet"] = sql_rules.children_unmet(engine)
    return {"as_of": as_of.isoformat(), "providers": providers, "totals": totals}


def format_table(report: dict, names: dict[str, str] | None = None) -> str:
    """A readable fixed-width table of a report (the CLI without --json)."""
    names = names or {}
    headers = ["opvang", *rules.COUNT_KEYS]
    rows = [[f"{pid} {names.get(pid, '')}".strip(), *(c[k] for k in rules.COUNT_KEYS)]
            for pid, c in sorted(report["providers"].items())]
    rows.append(["TOTAAL", *(report["totals"][k] for k in rules.COUNT_KEYS)])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = lambda r: "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(r, widths)))  # noqa: E731
    out = [f"Rapport op {date.fromisoformat(report['as_of']).strftime('%d/%m/%Y')}", line(headers), *map(line, rows)]
    out.append(f"Kinderen met onvervulde opvangnood (R5): {report['totals']['children_unmet']}")
    return "\n".join(out)
