"""The LOK's yearly report (DESIGN.md "The figures contract", R11): the figures contract and the compliance of
[1 January, 31 December] of a year, with the state of the loket's registers on 31 December, as a PDF/UA document
in Dutch (WeasyPrint, Jinja2 templates in templates/) and as an Excel workbook with a named sheet per section.

Every number about requests, children, deelgemeenten and free places is read from llko.reporting.figures.figures
and every verdict from llko.compliance.queries.compliance: nothing is counted again here. The registers add what
only they know (infopagina checks, signatures, LOK meetings, enforcement files). The report is for the policy
maker: providers by name, never a request or child id (the free notes of the enforcement files are left out).
"""

import base64
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping

import pandas as pd
from sqlalchemy.engine import Engine

from llko import dutch, printing
from llko import settings as settings_store
from llko.agreements import queries as agreement_queries
from llko.agreements.queries import Meeting
from llko.compliance import queries as compliance_queries
from llko.compliance.rules import (
    CATEGORY,
    CATEGORY_LABELS,
    LABELS,
    NOT_APPLICABLE,
    OBLIGATIONS,
    READING,
    SHORT_LABELS,
    VERDICT_LABELS,
    VERDICTS,
    WITH_SHARE,
)
from llko.infopagina import queries as infopagina_queries
from llko.infopagina import rules as infopagina_rules
from llko.printing import CHART_FONT, table
from llko.providers import queries as provider_queries
from llko.providers.rules import works_on
from llko.reporting.export import to_xlsx_book
from llko.reporting.figures import REQUEST_KEYS, figures, in_time_share
from llko.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"  # a plain directory beside this file, not a package

FLEMISH_TARGET = 50  # places per 100 children younger than 3: the Flemish target beside the town's norm

SECTIONS = ("Aanvragen", "Tijdig antwoord", "Onvervulde nood", "Aanbod per deelgemeente", "Vrije plaatsen",
            "Infopagina", "Samenwerkingsovereenkomst en LOK", "Naleving", "Handhaving")
SHEETS = ("Aanvragen per maand", "Kinderen", "Antwoordtermijn", "Deelgemeenten", "Vrije plaatsen", "Infopagina",
          "Overeenkomst en LOK", "Naleving per opvang", "Handhaving")

# The figures' request keys as column names.
REQUEST_LABELS = {"received": "Ontvangen", "answered": "Beantwoord", "answered_in_time": "Tijdig beantwoord",
                  "open": "Nog open", "closed_elsewhere_approved": "Elders goedgekeurd",
                  "not_possible": "Opvangplan niet mogelijk", "approved": "Goedgekeurd",
                  "cancelled_by_provider": "Geannuleerd door opvang", "cancelled_by_parent": "Geannuleerd door ouder"}
# Where each request received in the year stands (these six add up to the received ones), with the chart's colours
# (shortage warm, approved green, open neutral, cancelled muted: the app's palette).
OUTCOMES = {"approved": "#2E8B57", "not_possible": "#D9692B", "open": "#3E6A94",
            "closed_elsewhere_approved": "#9BB3C7", "cancelled_by_provider": "#8E6C8A",
            "cancelled_by_parent": "#C9C2B8"}
CHILDREN_LABELS = {"requesting": "Kinderen met een aanvraag", "approved": "Kinderen met een goedgekeurde aanvraag",
                   "waiting": "Kinderen die nog wachten", "unmet": "Kinderen met onvervulde nood",
                   "unmet_vulnerable": "Kinderen met onvervulde nood uit een kwetsbaar gezin"}
STANDING_ORDER = (infopagina_rules.COMPLETE, infopagina_rules.INCOMPLETE, infopagina_rules.TOO_OLD,
                  infopagina_rules.NEVER)

CHART_TITLE = "Aanvragen per maand, naar waar ze staan"
CHART_DESCRIPTION = ("Gestapeld staafdiagram: per maand van ontvangst een staaf met het aantal aanvragen, "
                     "opgedeeld in goedgekeurd, opvangplan niet mogelijk, nog open, elders goedgekeurd, geannuleerd "
                     "door opvang en geannuleerd door ouder.")


@dataclass(frozen=True)
class Enforcement:
    """An enforcement file as the yearly report shows it: whose, about what, opened and (by 31 December) closed."""

    provider_id: str
    obligations: tuple[str, ...]
    opened_on: date
    closed_on: date | None  # None: still open on 31 December


@dataclass(frozen=True)
class AnnualReport:
    """Everything the yearly report of `year` says; the writers read nothing else."""

    year: int
    municipality: str
    settings: Settings
    figures: dict  # the figures contract over the year
    compliance: dict  # the compliance contract over the year
    names: Mapping[str, str]  # every provider: id -> name
    working: tuple[str, ...]  # the providers working on 31 December, by name
    infopagina: Mapping[str, str]  # working provider -> its infopagina standing on 31 December
    signed_on: Mapping[str, date | None]  # working provider -> its latest signature on or before 31 December
    meetings: tuple[Meeting, ...] = ()  # the LOK meetings held in the year, oldest first
    files: tuple[Enforcement, ...] = ()  # the enforcement files open at some time in the year, oldest first
    written_on: date | None = None

    @property
    def date_from(self) -> date:
        return date(self.year, 1, 1)

    @property
    def date_to(self) -> date:
        return date(self.year, 12, 31)

    @property
    def title(self) -> str:
        return f"Jaarverslag Lokaal Loket Kinderopvang {self.municipality} {self.year}"

    def name(self, provider_id: str) -> str:
        return self.names.get(provider_id, provider_id)


# --- reading the year --------------------------------------------------------------------------------------------

def annual_report(engine: Engine, year: int, written_on: date | None = None) -> AnnualReport:
    """The yearly report of `year`: the figures and the compliance of [1/1, 31/12] and the registers on 31/12."""
    date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    config = settings_store.load(engine)
    details = provider_queries.provider_details(engine)
    names = dict(zip(details["id"], details["name"]))
    working = tuple(_by_name(names, (pid for pid, start, stop in zip(details["id"], details["started_on"],
                                                                     details["stopped_on"])
                                     if works_on(start, stop, date_to))))
    states = infopagina_rules.states(infopagina_queries.checks(engine, working), date_to, working)
    return AnnualReport(
        year=year, municipality=config.municipality, settings=config,
        figures=figures(engine, date_from, date_to, config),
        compliance=compliance_queries.compliance(engine, date_from, date_to),
        names=names, working=working,
        infopagina={pid: infopagina_rules.standing(states[pid], date_to, config.infopagina_max_age_days)
                    for pid in working},
        signed_on=_signed_on(engine, working, date_to),
        meetings=tuple(sorted((m for m in agreement_queries.meetings(engine) if date_from <= m.held_on <= date_to),
                              key=lambda m: (m.held_on, m.id))),
        files=_files(engine, date_from, date_to), written_on=written_on)


def _signed_on(engine: Engine, provider_ids: tuple[str, ...], day: date) -> dict[str, date | None]:
    """Per provider its latest signature that stands, dated on or before `day` (None: not signed by then)."""
    found: dict[str, date | None] = {pid: None for pid in provider_ids}
    signatures = agreement_queries.signatures(engine, provider_ids)
    for provider_id, signed in zip(signatures["provider_id"], signatures["signed_on"]):
        signed = pd.Timestamp(signed).date()
        if signed <= day and (found[provider_id] is None or signed > found[provider_id]):
            found[provider_id] = signed
    return found


def _files(engine: Engine, date_from: date, date_to: date) -> tuple[Enforcement, ...]:
    """The enforcement files that stand and were open at some time in [F, T]; a closing after T does not show."""
    found = []
    frame = compliance_queries.files(engine)
    for provider_id, obligations, opened, closed in zip(frame["provider_id"], frame["obligations"],
                                                        frame["opened_on"], frame["closed_on"]):
        opened = pd.Timestamp(opened).date()
        closed = None if pd.isna(closed) else pd.Timestamp(closed).date()
        if opened > date_to or (closed is not None and closed < date_from):
            continue
        found.append(Enforcement(provider_id, tuple(obligations), opened,
                                 closed if closed is not None and closed <= date_to else None))
    return tuple(sorted(found, key=lambda f: (f.opened_on, f.provider_id)))


# --- small Dutch formatting -----------------------------------------------------------------------------------------

def _lower_first(label: str) -> str:
    """'Lokaal beleid (LOK bijwonen)' -> 'lokaal beleid (LOK bijwonen)'."""
    return label[:1].lower() + label[1:]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --- what the sections count (from the report's contracts, never from the database) -------------------------------

def infopagina_counts(report: AnnualReport) -> dict[str, int]:
    """How many working providers stand where with their infopagina on 31 December, in STANDING_ORDER."""
    return {s: sum(1 for found in report.infopagina.values() if found == s) for s in STANDING_ORDER}


def attended(report: AnnualReport, provider_id: str) -> list[Meeting]:
    return [m for m in report.meetings if provider_id in m.attending]


def verdict_counts(report: AnnualReport) -> dict[str, dict[str, int]]:
    """Per obligation: how many providers got each verdict over the year."""
    entries = report.compliance["providers"].values()
    return {o: {v: sum(1 for e in entries if e[o]["verdict"] == v) for v in VERDICTS} for o in OBLIGATIONS}


def advice_counts(report: AnnualReport) -> dict[str, int]:
    """How many providers get a (derived) negative advice and a 0-score over the year."""
    entries = report.compliance["providers"].values()
    return {key: sum(1 for e in entries if e[key]) for key in ("negative_advice", "zero_score")}


def enforcement_counts(report: AnnualReport) -> dict[str, int]:
    """Files opened in the year, closed in it, and still open on 31 December."""
    return {"opened": sum(1 for f in report.files if f.opened_on >= report.date_from),
            "closed": sum(1 for f in report.files if f.closed_on is not None),
            "open": sum(1 for f in report.files if f.closed_on is None)}


def _by_name(names: Mapping[str, str], provider_ids) -> list[str]:
    """These provider ids in the order of their names (case-free, whatever the database's collation)."""
    return sorted(provider_ids, key=lambda pid: (names.get(pid, pid).lower(), pid))


def _verdict_cell(found: dict) -> str:
    text = VERDICT_LABELS[found["verdict"]] if found["verdict"] != NOT_APPLICABLE else "n.v.t."
    if found.get("share") is not None:
        text += f" ({dutch.percent(found['share'])})"
    return text


# --- the chart -----------------------------------------------------------------------------------------------------

def chart_spec(report: AnnualReport) -> dict:
    """The Vega-Lite spec of the requests per month of receipt, stacked by where they stand."""
    months = list(report.figures["months"])
    labels = [dutch.month(m, with_year=False) for m in months]
    outcomes = [REQUEST_LABELS[k] for k in OUTCOMES]
    values = [{"maand": label, "uitkomst": REQUEST_LABELS[key], "volgorde": i, "aantal": counts[key]}
              for label, counts in zip(labels, report.figures["months"].values())
              for i, key in enumerate(OUTCOMES)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": CHART_TITLE, "anchor": "start", "fontSize": 14},
        "description": CHART_DESCRIPTION,
        "width": 440, "height": 220,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "maand", "type": "ordinal", "sort": labels, "scale": {"domain": labels}, "title": None,
                  "axis": {"labelAngle": 0, "description": f"Maanden van {report.year}"}},
            "y": {"field": "aantal", "type": "quantitative", "stack": "zero", "title": "Aanvragen",
                  "axis": {"format": "d", "tickMinStep": 1, "description": "Aantal aanvragen"}},
            "color": {"field": "uitkomst", "type": "nominal", "title": None,
                      "scale": {"domain": outcomes, "range": list(OUTCOMES.values())},
                      "legend": {"orient": "bottom", "columns": 3, "labelLimit": 200}},
            "order": {"field": "volgorde", "type": "quantitative"},
        },
        # One font that both vl-convert (which measures the labels) and WeasyPrint (which draws them) have.
        "config": {"view": {"stroke": None}, "font": CHART_FONT},
    }


def chart_sentence(report: AnnualReport) -> str:
    """The chart in words (its text equivalent)."""
    months = report.figures["months"]
    received = report.figures["requests"]["received"]
    if not received:
        return f"In {report.year} kwamen geen aanvragen binnen."
    busiest = max(months, key=lambda m: (months[m]["received"], -int(m.replace("-", ""))))
    return (f"{_count(received, 'aanvraag', 'aanvragen')} in {report.year}; de meeste in "
            f"{dutch.month(busiest)} ({months[busiest]['received']}). De tabel hieronder geeft elke maand.")


def chart_svg(report: AnnualReport) -> str:
    """The chart as SVG with a <title> and <desc> (accessibility)."""
    return printing.chart_svg(chart_spec(report), CHART_TITLE, CHART_DESCRIPTION + " " + chart_sentence(report))


# --- the tables, shared by the PDF and the workbook ----------------------------------------------------------------

def month_rows(report: AnnualReport, keys=REQUEST_KEYS) -> list[list]:
    """Per month of the year: its label and the request counts of `keys`."""
    return [[dutch.month(m), *(counts[k] for k in keys)] for m, counts in report.figures["months"].items()]


def district_rows(report: AnnualReport) -> list[list]:
    """Per deelgemeente: received, not possible, approved, places, children under 3, places per 100 (unrounded)."""
    return [[name, d["received"], d["not_possible"], d["approved"], d["places"], d["children_under_3"],
             d["places_per_100"]] for name, d in report.figures["deelgemeenten"].items()]


DISTRICT_HEADER = ["Deelgemeente", "Aanvragen", "Opvangplan niet mogelijk", "Goedgekeurd", "Plaatsen",
                   "Kinderen onder 3", "Plaatsen per 100 kinderen onder 3"]


def vacancy_rows(report: AnnualReport) -> list[list]:
    return [[dutch.month(m), v["reported"], v["places"]] for m, v in report.figures["vacancies"]["months"].items()]


def provider_verdict_rows(report: AnnualReport) -> list[tuple[str, dict]]:
    """(name, contract entry) per provider of the compliance contract, by name."""
    entries = report.compliance["providers"]
    return [(report.name(pid), entries[pid]) for pid in _by_name(report.names, entries)]


# --- the workbook --------------------------------------------------------------------------------------------------

def sheets(report: AnnualReport) -> dict[str, pd.DataFrame]:
    """The workbook's sheets (SHEETS order): real numbers and dates, blank where a figure is unknown."""
    f = report.figures
    requests = pd.DataFrame([*month_rows(report), ["Totaal", *(f["requests"][k] for k in REQUEST_KEYS)]],
                            columns=["Maand", *(REQUEST_LABELS[k] for k in REQUEST_KEYS)])
    children = pd.DataFrame([[CHILDREN_LABELS[k], f["children"][k]] for k in CHILDREN_LABELS],
                            columns=["Gegeven", "Aantal"])
    answers = pd.DataFrame([
        ["Beantwoord", f["requests"]["answered"]], ["Tijdig beantwoord", f["requests"]["answered_in_time"]],
        ["Aandeel tijdig beantwoord", in_time_share(f["requests"])],
        ["Mediaan dagen tot antwoord", f["answer_days"]["median"]],
        ["90% beantwoord binnen (dagen)", f["answer_days"]["p90"]],
        ["Antwoordtermijn (dagen)", report.settings.deadline_days]], columns=["Gegeven", "Waarde"])
    districts = pd.DataFrame(district_rows(report), columns=DISTRICT_HEADER)
    vacancies = pd.DataFrame([*vacancy_rows(report), ["Totaal", f["vacancies"]["reported"], f["vacancies"]["places"]]],
                             columns=["Maand", "Meldingen", "Plaatsen"])
    infopagina = pd.DataFrame([[s, n] for s, n in infopagina_counts(report).items()],
                              columns=[f"Toestand op {dutch.day(report.date_to)}", "Opvanginitiatieven"])
    return {
        "Aanvragen per maand": requests, "Kinderen": children, "Antwoordtermijn": answers,
        "Deelgemeenten": districts, "Vrije plaatsen": vacancies, "Infopagina": infopagina,
        "Overeenkomst en LOK": _agreement_sheet(report), "Naleving per opvang": _compliance_sheet(report),
        "Handhaving": _enforcement_sheet(report),
    }


def _agreement_sheet(report: AnnualReport) -> pd.DataFrame:
    """Per provider working on 31 December: signed (and when), and which LOK meetings of the year it attended."""
    meetings = [f"LOK {dutch.day(m.held_on)}" for m in report.meetings]
    rows = [[report.name(pid), report.signed_on[pid] is not None, report.signed_on[pid],
             *(pid in m.attending for m in report.meetings), len(attended(report, pid))]
            for pid in report.working]
    return pd.DataFrame(rows, columns=["Opvang", "Ondertekend", "Ondertekend op", *meetings, "LOK bijgewoond"])


def _compliance_sheet(report: AnnualReport) -> pd.DataFrame:
    """Per provider: its verdict per obligation, the shares (unrounded) and the derived advice."""
    shares = {"answering": "Aandeel tijdig beantwoord", "plus_share": "Aandeel kinderen uit kwetsbare gezinnen"}
    rows = [[name, *(VERDICT_LABELS[entry[o]["verdict"]] for o in OBLIGATIONS),
             *(entry[o]["share"] for o in WITH_SHARE), entry["negative_advice"], entry["zero_score"]]
            for name, entry in provider_verdict_rows(report)]
    return pd.DataFrame(rows, columns=["Opvang", *(LABELS[o] for o in OBLIGATIONS), *(shares[o] for o in WITH_SHARE),
                                       "Negatief advies", "0-score"])


def _enforcement_sheet(report: AnnualReport) -> pd.DataFrame:
    rows = [[report.name(f.provider_id), "; ".join(LABELS.get(o, o) for o in f.obligations), f.opened_on, f.closed_on]
            for f in report.files]
    return pd.DataFrame(rows, columns=["Opvang", "Verplichtingen", "Geopend op", f"Afgesloten op (tot en met "
                                                                                 f"{dutch.day(report.date_to)})"])


def report_xlsx(report: AnnualReport) -> bytes:
    """The yearly report as a workbook with a named sheet per section."""
    return to_xlsx_book(sheets(report))


# --- the PDF -------------------------------------------------------------------------------------------------------

def _requests_section(report: AnnualReport) -> dict:
    r = report.figures["requests"]
    parts = [f"{r[k]} {REQUEST_LABELS[k].lower()}" for k in OUTCOMES]
    keys = ("received", *OUTCOMES)
    return {
        "summary": (f"In {report.year} ontving het loket {_count(r['received'], 'aanvraag', 'aanvragen')} (één "
                    f"aanvraag per kind en opvang). Op 31 december stonden ze zo: {', '.join(parts)}."),
        "chart": "data:image/svg+xml;base64," + base64.b64encode(chart_svg(report).encode()).decode(),
        "chart_alt": CHART_DESCRIPTION,
        "chart_sentence": chart_sentence(report),
        "table": table(["Maand", *(REQUEST_LABELS[k] for k in keys)], month_rows(report, keys),
                        ["Totaal", *(r[k] for k in keys)], "Aanvragen per maand van ontvangst"),
    }


def _answers_section(report: AnnualReport) -> dict:
    r, a = report.figures["requests"], report.figures["answer_days"]
    share = in_time_share(r)
    rows = [["Beantwoord", r["answered"]], ["Tijdig beantwoord", r["answered_in_time"]],
            ["Aandeel tijdig beantwoord", "geen antwoorden" if share is None else dutch.percent(share)],
            ["Mediaan dagen tot antwoord", dutch.decimal(a["median"])],
            ["90% beantwoord binnen (dagen)", a["p90"]]]
    return {"text": (f"Een aanvraag is tijdig beantwoord wanneer de opvang binnen {report.settings.deadline_days} "
                     "dagen na ontvangst liet weten of er een plaats is (in behandeling, opvangplan niet mogelijk, "
                     "goedgekeurd of geannuleerd door de opvang); een ontvangstbevestiging is geen antwoord."),
            "table": table(["Gegeven", "Waarde"], rows, caption="Antwoordtermijn")}


def _needs_section(report: AnnualReport) -> dict:
    c = report.figures["children"]
    return {"text": ("De kinderen met een aanvraag in het jaar; bij wat volgt telt elke aanvraag van het kind, van "
                     "welke datum ook. Onvervulde nood: alle aanvragen zijn afgesloten, minstens één met "
                     "‘opvangplan niet mogelijk’ en geen enkele goedgekeurd."),
            "table": table(["Gegeven", "Aantal"], [[CHILDREN_LABELS[k], c[k]] for k in CHILDREN_LABELS],
                            caption="Kinderen")}


def _districts_section(report: AnnualReport) -> dict:
    norm = report.settings.coverage_norm
    rows = [[*row[:-1], dutch.decimal(row[-1], 1)] for row in district_rows(report)]
    below = [f"{name} ({dutch.decimal(d['places_per_100'], 1)})" for name, d in report.figures["deelgemeenten"].items()
             if d["places_per_100"] is not None and d["places_per_100"] < norm]
    return {"text": (f"Plaatsen: de vergunde plaatsen van de opvanginitiatieven die op {dutch.day(report.date_to)} "
                     "werken; kinderen onder 3: het bevolkingsregister van het laatste jaar tot en met "
                     f"{report.year}. De norm van het lokaal bestuur is {dutch.decimal(norm)} plaatsen per 100 "
                     f"kinderen jonger dan 3; de Vlaamse doelstelling is {FLEMISH_TARGET}."),
            "below": ("Onder de norm: " + ", ".join(below) + ".") if below else
                     "Geen deelgemeente met gekende kinderen onder 3 ligt onder de norm.",
            "table": table(DISTRICT_HEADER, rows, caption="Aanbod per deelgemeente")}


def _vacancies_section(report: AnnualReport) -> dict:
    v = report.figures["vacancies"]
    reported = _count(v["reported"], "vrije plaats", "vrije plaatsen")
    return {"text": (f"In {report.year} meldden de opvanginitiatieven {reported} aan het loket, samen "
                     f"{_count(v['places'], 'plaats', 'plaatsen')} (ook de intussen ingevulde of ingetrokken); de "
                     "tabel telt ze per maand waarin ze gemeld werden."),
            "table": table(["Maand", "Meldingen", "Plaatsen"], vacancy_rows(report),
                            ["Totaal", v["reported"], v["places"]], "Vrije plaatsen per maand van melding")}


def _infopagina_section(report: AnnualReport) -> dict:
    counts = infopagina_counts(report)
    return {"text": (f"De infopagina van de {_count(len(report.working), 'opvanginitiatief', 'opvanginitiatieven')} "
                     f"die op {dutch.day(report.date_to)} werken, zoals het loket ze het laatst controleerde; een "
                     f"controle ouder dan {report.settings.infopagina_max_age_days} dagen is te oud."),
            "table": table(["Toestand", "Opvanginitiatieven"], [[s, n] for s, n in counts.items()],
                            ["Totaal", len(report.working)], f"Infopagina op {dutch.day(report.date_to)}")}


def _agreement_section(report: AnnualReport) -> dict:
    signed = sum(1 for pid in report.working if report.signed_on[pid] is not None)
    meetings = len(report.meetings)
    unsigned = [report.name(pid) for pid in report.working if report.signed_on[pid] is None]
    rows = [[report.name(pid), report.signed_on[pid] or "niet ondertekend",
             f"{len(attended(report, pid))} van {meetings}"] for pid in report.working]
    return {"text": (f"Van de {_count(len(report.working), 'opvanginitiatief', 'opvanginitiatieven')} die op "
                     f"{dutch.day(report.date_to)} werken, ondertekenden {signed} de samenwerkingsovereenkomst; "
                     f"{len(report.working) - signed} niet" + (f" ({', '.join(unsigned)})." if unsigned else ".")),
            "lok": (f"Het Lokaal Overleg Kinderopvang kwam in {report.year} "
                    f"{_count(meetings, 'keer', 'keer')} samen." if meetings else
                    f"Het Lokaal Overleg Kinderopvang kwam in {report.year} niet samen."),
            "providers": table(["Opvang", "Ondertekend op", "LOK bijgewoond"], rows,
                                caption="Overeenkomst en LOK per opvang"),
            "meetings": table(["Datum", "Onderwerp", "Aanwezige opvanginitiatieven"],
                               [[m.held_on, m.subject, len(m.attending)] for m in report.meetings],
                               caption=f"LOK-vergaderingen in {report.year}") if meetings else None}


def _compliance_section(report: AnnualReport) -> dict:
    counts, advice = verdict_counts(report), advice_counts(report)
    shown = ("in_order", "shortcoming", "unknown", "not_applicable")
    per_obligation = [[LABELS[o], CATEGORY_LABELS[CATEGORY[o]], *(counts[o][v] for v in shown)] for o in OBLIGATIONS]
    rows = [[name, *(_verdict_cell(entry[o]) for o in OBLIGATIONS), dutch.yes_no(entry["negative_advice"]),
             dutch.yes_no(entry["zero_score"])] for name, entry in provider_verdict_rows(report)]
    total = len(report.compliance["providers"])
    return {"text": (f"De oordelen over {dutch.day(report.date_from)} tot en met {dutch.day(report.date_to)} voor "
                     f"{_count(total, 'opvanginitiatief', 'opvanginitiatieven')}, met de instellingen van nu, "
                     "zoals het dashboard ze afleidt; aanpassingen door de coördinator in een adviesronde staan hier "
                     "niet in. ‘Onbekend’ betekent te weinig gegevens voor een oordeel en telt nooit als een tekort."),
            "advice": (f"Negatief advies (een tekort op een minimale verplichting): "
                       f"{_count(advice['negative_advice'], 'opvanginitiatief', 'opvanginitiatieven')}. 0-score "
                       "(een tekort op een verdere afspraak): "
                       f"{_count(advice['zero_score'], 'opvanginitiatief', 'opvanginitiatieven')}."),
            "reading": READING,
            "obligations": table(["Verplichting", "Categorie", *(VERDICT_LABELS[v] for v in shown)], per_obligation,
                                  caption="Oordelen per verplichting (aantal opvanginitiatieven)"),
            "providers": table(["Opvang", *(SHORT_LABELS[o] for o in OBLIGATIONS), "negatief advies", "0-score"],
                                rows, caption="Oordelen per opvang")}


def _enforcement_section(report: AnnualReport) -> dict:
    counts = enforcement_counts(report)
    rows = [[report.name(f.provider_id), ", ".join(_lower_first(LABELS.get(o, o)) for o in f.obligations), f.opened_on,
             f.closed_on or "nog open"] for f in report.files]
    return {"text": (f"In {report.year} werden {_count(counts['opened'], 'handhavingsdossier', 'handhavingsdossiers')} "
                     f"geopend en {counts['closed']} afgesloten; op {dutch.day(report.date_to)} "
                     f"{'was' if counts['open'] == 1 else 'waren'} er {counts['open']} open."),
            "table": table(["Opvang", "Verplichtingen", "Geopend op", "Afgesloten op"], rows,
                            caption=f"Handhavingsdossiers open in {report.year}") if rows else None}


def report_html(report: AnnualReport) -> str:
    """The yearly report as HTML (what report_pdf prints)."""
    context = {
        "title": report.title, "municipality": report.municipality, "year": report.year,
        "period": f"{dutch.day(report.date_from)} tot en met {dutch.day(report.date_to)}",
        "written_on": dutch.day(report.written_on),
        "written_iso": report.written_on.isoformat() if report.written_on else "",
        "requests": _requests_section(report), "answers": _answers_section(report), "needs": _needs_section(report),
        "districts": _districts_section(report), "vacancies": _vacancies_section(report),
        "infopagina": _infopagina_section(report), "agreement": _agreement_section(report),
        "compliance": _compliance_section(report), "enforcement": _enforcement_section(report),
    }
    return printing.environment(TEMPLATES).get_template("annual.html").render(context)


def report_pdf(report: AnnualReport) -> bytes:
    """The yearly report as a PDF/UA-1 file (A4, the municipality in the header, page numbers)."""
    return printing.pdf(report_html(report))
