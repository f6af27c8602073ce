"""Printed documents (the compliance letters, the LOK's yearly report): one Jinja2 environment per template folder
with the shared page style (`page.css`) beside it, charts as accessible SVG (vl-convert), and PDF/UA-1 (WeasyPrint)."""

import functools
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import jinja2
import vl_convert
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from llko import dutch

HERE = Path(__file__).parent
CHART_FONT = "Liberation Sans"  # a font both vl-convert (which measures the labels) and WeasyPrint (which draws) have


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    """The templates of one feature, which can `{% include "page.css" %}` (the page style every document shares)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader([templates, HERE]), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def chart_svg(spec: dict, title: str, description: str) -> str:
    """A Vega-Lite chart as SVG that a screen reader announces: role img, with a <title> and a <desc>."""
    svg = vl_convert.vegalite_to_svg(spec, format_locale="nl-NL")
    head_end = svg.index(">") + 1
    accessible = (f'<title id="chart-title">{escape(title)}</title>'
                  f'<desc id="chart-desc">{escape(description)}</desc>')
    opening = svg[:head_end].replace("<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1)
    return opening + accessible + svg[head_end:]


def pdf(html: str) -> bytes:
    """HTML to a PDF/UA-1 file (tags, language, title, XMP metadata). Documents fetch nothing: only data: URLs
    (an embedded chart) are allowed."""
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"]))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _cell(value) -> dict:
    """A table cell as tables.html draws it: Dutch text, and whether it is a number (aligned right)."""
    if value is None:
        text = dutch.UNKNOWN
    elif isinstance(value, bool):
        text = dutch.yes_no(value)
    elif isinstance(value, float):
        text = dutch.decimal(value)
    elif isinstance(value, date):
        text = dutch.day(value)
    else:
        text = str(value)
    return {"text": text, "number": isinstance(value, (int, float)) and not isinstance(value, bool)}


def table(header: list[str], rows: list[list], total: list | None = None, caption: str = "") -> dict:
    """A table as tables.html draws it (`{% from "tables.html" import table %}`): a caption, the header row, the rows
    (the first cell heads its row), an optional total row; values in Dutch (numbers, days, ja/nee)."""
    return {"caption": caption, "header": header, "rows": [[_cell(v) for v in row] for row in rows],
            "total": None if total is None else [_cell(v) for v in total]}
