"""The compliance documents, in Dutch, from data passed in (no database): the signal to Opgroeien Regie and the
advice of the local government as PDF/UA letters (WeasyPrint, Jinja2 templates in templates/), and the evidence
as an Excel annex. Every text about a verdict, the evidence, the thresholds and the advice comes from
llko.compliance.evidence and llko.compliance.rules, so the letters say what the screens say (R9, R11, §4).

The chart of the measured shares is a plain Vega-Lite dict turned into SVG by vl-convert (llko never imports
altair); below it the letters repeat it in words.
"""

import base64
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Mapping, Sequence

import xlsxwriter

from llko import dutch, printing
from llko.compliance import evidence
from llko.compliance.evidence import ADVICE_KEYS, ADVICE_LABELS, NEGATIVE_ADVICE, ZERO_SCORE
from llko.compliance.rules import (
    CATEGORY_LABELS,
    LABELS,
    OBLIGATIONS,
    READING,
    SHORTCOMING,
    UNKNOWN,
    VERDICT_LABELS,
    Verdict,
    _below,
    check_period,
)
from llko.printing import CHART_FONT
from llko.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"  # a plain directory beside this file, not a package

EXPANSION, SUBSIDY = "uitbreidingsronde", "subsidie"
# Which advice each purpose is about (§4): an expansion round weighs both, the yearly city subsidy only the
# minimum obligations.
PURPOSES = {EXPANSION: (NEGATIVE_ADVICE, ZERO_SCORE), SUBSIDY: (NEGATIVE_ADVICE,)}
PURPOSE_TITLES = {EXPANSION: "Advies van het lokaal bestuur in kader van een uitbreidingsronde",
                  SUBSIDY: "Advies van het lokaal bestuur over de jaarlijkse subsidie van de stad"}
PURPOSE_SUBJECTS = {EXPANSION: "Advies in kader van een uitbreidingsronde",
                    SUBSIDY: "Advies over de subsidie die de stad jaarlijks geeft"}

_CRITERION = "het criterium ‘samenwerking met het Lokaal Loket Kinderopvang’"
# The advice as the advice letter states it: (purpose, advice key) -> (the sentence when true, when false).
STATEMENTS = {
    (EXPANSION, NEGATIVE_ADVICE): ("Het lokaal bestuur geeft een negatief advies in kader van de uitbreidingsronde.",
                                   "Het lokaal bestuur geeft geen negatief advies in kader van de uitbreidingsronde."),
    (EXPANSION, ZERO_SCORE): (f"De organisator krijgt een 0-score op {_CRITERION}.",
                              f"De organisator krijgt geen 0-score op {_CRITERION}."),
    (SUBSIDY, NEGATIVE_ADVICE): ("Het lokaal bestuur geeft een negatief advies over de jaarlijkse subsidie van de "
                                 "stad.",
                                 "Het lokaal bestuur geeft geen negatief advies over de jaarlijkse subsidie van de "
                                 "stad."),
}

CHART_TITLE = "Gemeten aandelen tegenover hun drempel"
CHART_DESCRIPTION = ("Staafdiagram: per verplichting met een aandeel een staaf met het gemeten aandeel (0 tot 100%) "
                     "en een zwart streepje op de drempel.")
NO_CHART = "Geen aandelen te tonen: er was in de periode niets om een aandeel over te berekenen."


@dataclass(frozen=True)
class Step:
    """One event of the follow-up so far, oldest first."""

    on: date
    what: str  # Dutch, e.g. "Contact (telefoon)" or "Gesprek met het loket"
    note: str
    by: str = ""


# The coordinator's override of a derived advice (value, motivation, by, at): the one llko.compliance.evidence
# defines and llko.compliance.queries reads, under the name the letters use.
Override = evidence.Override


@dataclass(frozen=True)
class Letter:
    """Everything one letter (and its annex) says about one provider over [date_from, date_to]."""

    municipality: str
    provider_id: str
    provider_name: str
    provider_address: str | None
    subsidy_level: str | None
    date_from: date
    date_to: date
    written_on: date
    author: str
    verdicts: Mapping[str, Verdict]  # llko.compliance.rules.Verdict, keys = rules.OBLIGATIONS
    settings: Settings  # llko.settings.Settings
    overrides: Mapping[str, Override] = field(default_factory=dict)  # keys "negative_advice"/"zero_score"
    steps: Sequence[Step] = ()

    def __post_init__(self):
        check_period(self.date_from, self.date_to)
        missing = [name for name in OBLIGATIONS if name not in self.verdicts]
        if missing:
            raise ValueError(f"verdicts lack {missing}")
        unknown = sorted(set(self.overrides) - set(ADVICE_KEYS))
        if unknown:
            raise ValueError(f"unknown advice keys in overrides: {unknown}")


def period_text(letter: Letter) -> str:
    """'01/06/2026 tot en met 01/11/2026'."""
    return f"{dutch.day(letter.date_from)} tot en met {dutch.day(letter.date_to)}"


# --- the chart ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """A measured share held against its threshold."""

    obligation: str
    share: float
    threshold: float
    below: bool
    unknown: bool  # too little data for a verdict (plus_share), shown all the same

    @property
    def label(self) -> str:
        return LABELS[self.obligation]


def shares(letter: Letter) -> list[Share]:
    """The shares to show: answering in time, and plus_share when it has one."""
    thresholds = {"answering": letter.settings.answering_min_share, "plus_share": letter.settings.plus_min_share}
    found = []
    for name, threshold in thresholds.items():
        verdict = letter.verdicts[name]
        if verdict.share is not None:
            found.append(Share(name, verdict.share, threshold, _below(verdict.share, threshold),  # R11's comparison
                               verdict.verdict == UNKNOWN))
    return found


def chart_sentence(letter: Letter) -> str:
    """The chart in words (its text equivalent), or the sentence that there is nothing to show."""
    found = shares(letter)
    if not found:
        return NO_CHART
    parts = []
    for s in found:
        side = "lager dan" if s.below else "op of boven"
        text = f"{s.label}: {dutch.percent(s.share)}, {side} de drempel van {dutch.percent(s.threshold)}."
        if s.unknown:
            text += " Te weinig kinderen voor een oordeel."
        parts.append(text)
    return " ".join(parts)


def chart_spec(letter: Letter) -> dict | None:
    """The Vega-Lite spec of the chart (bars: the shares; black ticks: their thresholds), None when no share."""
    found = shares(letter)
    if not found:
        return None
    values = [{"verplichting": s.label, "aandeel": s.share, "drempel": s.threshold,
               "tekst": f"{dutch.percent(s.share)} (drempel {dutch.percent(s.threshold)})",
               "beschrijving": f"{s.label}: {dutch.percent(s.share)}, drempel {dutch.percent(s.threshold)}"} for s in found]
    y = {"field": "verplichting", "type": "nominal", "title": None, "sort": None,
         "axis": {"labelLimit": 260, "labelFontSize": 11, "description": "Verplichtingen"}}
    x_scale = {"domain": [0, 1]}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": CHART_TITLE, "anchor": "start", "fontSize": 14},
        "description": CHART_DESCRIPTION,
        "width": 300,
        "height": {"step": 34},
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": "#1f5c99", "height": {"band": 0.6}},
             "encoding": {"y": y, "x": {"field": "aandeel", "type": "quantitative", "scale": x_scale,
                                        "title": "Aandeel; het zwarte streepje is de drempel",
                                        "axis": {"format": ".0%", "description": "Aandeel van 0 tot 100%"}},
                          "description": {"field": "beschrijving"}}},
            {"mark": {"type": "tick", "color": "#000000", "opacity": 1, "thickness": 3, "size": 28},
             "encoding": {"y": y, "x": {"field": "drempel", "type": "quantitative", "scale": x_scale}}},
            {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11, "color": "#000000"},
             "encoding": {"y": y, "x": {"datum": 1, "type": "quantitative", "scale": x_scale},
                          "text": {"field": "tekst"}}},
        ],
        # One font that both vl-convert (which measures the labels) and WeasyPrint (which draws them) have.
        "config": {"view": {"stroke": None}, "font": CHART_FONT},
    }


def chart_svg(letter: Letter) -> str | None:
    """The chart as SVG with a <title> and <desc> (accessibility), None when there is no share to show."""
    spec = chart_spec(letter)
    if spec is None:
        return None
    return printing.chart_svg(spec, CHART_TITLE, CHART_DESCRIPTION + " " + chart_sentence(letter))


# --- the letters -------------------------------------------------------------------------------------------------

def _advice(letter: Letter, key: str, purpose: str | None = None) -> dict:
    """One advice as the letters show it: derived value and reason, the override when there is one, and (in an
    advice letter) the sentence that states it."""
    final = evidence.final(key, letter.verdicts, letter.overrides)
    override = letter.overrides.get(key)
    return {"label": ADVICE_LABELS[key], "short": evidence.ADVICE_SHORT[key][0].upper() + evidence.ADVICE_SHORT[key][1:],
            "derived": dutch.yes_no(evidence.derived(letter.verdicts)[key]),
            "reason": evidence.reason(key, letter.verdicts), "final": dutch.yes_no(final),
            "statement": STATEMENTS[purpose, key][0 if final else 1] if purpose else None,
            "override": None if override is None else {"motivation": override.motivation, "by": override.by,
                                                      "at": dutch.moment(override.at, " om ")}}


def _context(letter: Letter) -> dict:
    """Everything both letters show, as plain Dutch strings."""
    svg = chart_svg(letter)
    provider = [("Naam", letter.provider_name), ("Dossiernummer", letter.provider_id)]
    if letter.provider_address:
        provider.append(("Adres", letter.provider_address))
    provider.append(("Subsidietrap", letter.subsidy_level or "niet ingevuld"))
    return {
        "municipality": letter.municipality,
        "provider_name": letter.provider_name,
        "provider_id": letter.provider_id,
        "provider": provider,
        "period": period_text(letter),
        "written_on": dutch.day(letter.written_on),
        "written_iso": letter.written_on.isoformat(),
        "author": letter.author,
        "verdicts": [{"label": LABELS[name], "category": CATEGORY_LABELS[v.category],
                      "verdict": VERDICT_LABELS[v.verdict], "shortcoming": v.verdict == SHORTCOMING,
                      "summary": evidence.summary(v, letter.settings)}
                     for name in OBLIGATIONS for v in [letter.verdicts[name]]],
        "reading": READING,
        "evidence": printing.table(["Verplichting", "Bewijs", "Toelichting"],
                                   [[r.label, r.item, r.detail] for r in evidence.rows(letter.verdicts)]),
        "evidence_in_annex": len(evidence.rows(letter.verdicts)) > EVIDENCE_INLINE_MAX,
        "evidence_summary": printing.table(["Verplichting", "Aantal", "Eerste bewijsstukken"],
                                           [[r["label"], r["count"], r["first"]]
                                            for r in _evidence_summary(evidence.rows(letter.verdicts))]),
        "thresholds": evidence.thresholds(letter.settings),
        "steps": [{"on": dutch.day(s.on), "what": s.what, "note": s.note, "by": s.by} for s in letter.steps],
        "chart": None if svg is None else "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
        "chart_alt": CHART_DESCRIPTION,
        "chart_sentence": chart_sentence(letter),
    }


EVIDENCE_INLINE_MAX = 12  # more pieces of evidence go to an annex at the end, the body says how many of each


def _evidence_summary(rows: Sequence[evidence.EvidenceRow]) -> list[dict]:
    """Per obligation with evidence: its label, how many pieces and the first few, for the body of a long letter."""
    by_label: dict[str, list[str]] = {}
    for row in rows:
        by_label.setdefault(row.label, []).append(row.item)
    return [{"label": label, "count": len(items),
             "first": ", ".join(items[:5]) + (f" en {len(items) - 5} meer" if len(items) > 5 else "")}
            for label, items in by_label.items()]


def signal_html(letter: Letter) -> str:
    """The signal to Opgroeien Regie as HTML (what signal_pdf prints)."""
    context = _context(letter)
    context["title"] = "Signaal aan Opgroeien Regie"
    context["advice"] = [_advice(letter, key) for key in ADVICE_KEYS]
    return printing.environment(TEMPLATES).get_template("signal.html").render(context)


def advice_html(letter: Letter, purpose: str) -> str:
    """The advice of the local government as HTML (what advice_pdf prints); purpose as in advice_pdf."""
    if purpose not in PURPOSES:
        raise ValueError(f"Onbekend doel {purpose!r}: kies uit {', '.join(PURPOSES)}.")
    context = _context(letter)
    context["title"] = PURPOSE_TITLES[purpose]
    context["purpose"] = purpose
    context["subject"] = PURPOSE_SUBJECTS[purpose]
    context["advice"] = [_advice(letter, key, purpose) for key in PURPOSES[purpose]]
    if purpose == SUBSIDY:
        # Only the minimum obligations weigh for the subsidy: the reading's part about them, not the 0-score.
        context["reading"] = READING.partition(" Verdere afspraken")[0]
    return printing.environment(TEMPLATES).get_template("advice.html").render(context)


def signal_pdf(letter: Letter) -> bytes:
    """The signal to Opgroeien Regie about a provider's shortcomings in cooperating with the loket (§4)."""
    return printing.pdf(signal_html(letter))


def advice_pdf(letter: Letter, purpose: str) -> bytes:
    """The advice of the local government: purpose "uitbreidingsronde" (negative advice and 0-score) or "subsidie"
    (the yearly city subsidy: negative advice only). Another purpose: ValueError."""
    return printing.pdf(advice_html(letter, purpose))


# --- the Excel annex ---------------------------------------------------------------------------------------------

def _evidence_item(row: evidence.EvidenceRow):
    """The evidence item as a cell value: a missed LOK meeting is a real date, the rest text."""
    if row.obligation == "local_policy":
        return datetime.strptime(row.item, "%d/%m/%Y").date()
    return row.item


def _sheet(book, formats: dict, name: str, header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[int]):
    """One sheet: a bold frozen header row, then the rows (text as text, never a formula; dates as dates;
    shares as percentages; None blank)."""
    sheet = book.add_worksheet(name)
    for col, (title, width) in enumerate(zip(header, widths)):
        sheet.write_string(0, col, title, formats["bold"])
        sheet.set_column(col, col, width, formats["wrap"])
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                sheet.write_blank(r, col, None)
            elif isinstance(value, date):
                sheet.write_datetime(r, col, value, formats["date"])
            elif isinstance(value, float):
                sheet.write_number(r, col, value, formats["percent"])
            else:
                sheet.write_string(r, col, str(value), formats["wrap"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)


def evidence_xlsx(letter: Letter) -> bytes:
    """The evidence annex: sheets Periode, Oordelen, Bewijs and Drempels."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": f"Bewijs samenwerking {letter.provider_name} ({letter.provider_id})",
                         "author": letter.author, "company": f"Lokaal Loket Kinderopvang {letter.municipality}",
                         "created": datetime.combine(letter.written_on, datetime.min.time())})
    formats = {"bold": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
               "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
               "date": book.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "align": "left"}),
               "percent": book.add_format({"num_format": "0.0%", "valign": "top"})}
    _sheet(book, formats, "Periode", ["Gegeven", "Waarde"], [
        ("Gemeente", letter.municipality),
        ("Opvang", letter.provider_name),
        ("Dossiernummer", letter.provider_id),
        ("Adres", letter.provider_address),
        ("Subsidietrap", letter.subsidy_level),
        ("Periode van", letter.date_from),
        ("Periode tot en met", letter.date_to),
        ("Opgemaakt op", letter.written_on),
        ("Opgemaakt door", letter.author),
    ], [22, 50])
    verdicts = [(LABELS[name], CATEGORY_LABELS[v.category], VERDICT_LABELS[v.verdict],
                 evidence.summary(v, letter.settings), None if v.share is None else float(v.share))
                for name in OBLIGATIONS for v in [letter.verdicts[name]]]
    _sheet(book, formats, "Oordelen", ["Verplichting", "Categorie", "Oordeel", "Toelichting", "Aandeel"], verdicts,
           [34, 22, 18, 70, 10])
    _sheet(book, formats, "Bewijs", ["Verplichting", "Bewijs", "Toelichting"],
           [(row.label, _evidence_item(row), row.detail) for row in evidence.rows(letter.verdicts)], [34, 22, 80])
    _sheet(book, formats, "Drempels", ["Instelling", "Waarde"], evidence.thresholds(letter.settings), [60, 14])
    book.close()
    return out.getvalue()

