"""Make the LibreOffice round-trip fixtures of issue 17: tests/fixtures/libreoffice/.

A coordinator does not always upload the export as it came: she opens it in her spreadsheet program, fixes a
cell, saves and uploads. This script does that with a real LibreOffice (headless `soffice --convert-to`), in
two locales (nl-BE and en-US), and writes the results plus a MANIFEST.md that says, per file, what a reader
finds in it compared to the source (dates correct, day and month swapped in which rows, dates as dd/mm/jj
text, ...). Run it by hand; it is not part of the test suite:

    apt-get install -y --no-install-recommends libreoffice-calc-nogui    # Debian 12: LibreOffice 7.4
    .venv/bin/python scripts/libreoffice_fixtures.py                      # (re)writes the fixtures
    .venv/bin/python scripts/libreoffice_fixtures.py --check              # exit 1 if a fixture would change

Idempotent: LibreOffice stamps the time into the zip entries of .xlsx/.ods files, so a fixture whose content
(every zip member, with creation/modification dates masked) equals the new one is left as it is; a
second run changes no file. The sources are made from a fixed seed, so they are the same every run.

How the locale is set: every conversion runs with its own LibreOffice user profile (a fresh directory per
locale, `-env:UserInstallation=file://...`), whose registrymodifications.xcu sets the "Locale setting"
(Tools > Options > Language Settings > Languages; /org.openoffice.Setup/L10N/ooSetupSystemLocale) to nl-BE
or en-US. That alone decides how LibreOffice reads dates and numbers (checked: with LC_ALL=C.UTF-8 and the
profile set to nl-BE, 05/09/2026 is read as 5 September). LANG/LC_ALL are set to the same locale as well
when that glibc locale is installed (`locale -a`), as on a desktop of that language; with an empty profile
setting LibreOffice would take the locale from them.

The CSV import options (--infilter), LibreOffice 7.4's "Text - txt - csv (StarCalc)" filter. Tokens,
counted from 1 as in the LibreOffice help (CSV Filter Options):
    1 field separator 59 (;)            2 text delimiter 34 (")      3 character set 76 (UTF-8) or 1 (Windows-1252)
    4 first line 1                      5 column formats: empty (every column "Standard": LibreOffice guesses)
    6 language 0 = "Default", i.e. the locale of the profile (the dialog's default)
    7 quoted field as text: false (the dialog's default)
    8 detect special numbers: true  -> dates, times, percentages and numbers in scientific notation are
      recognised, in the order of the locale (en-US: month first). With false LibreOffice 7.4 keeps
      dd/mm/yyyy as text (it still reads yyyy-mm-dd as a date). NB: when the token is ABSENT the filter
      takes true (the default of versions before the token existed); a fresh 7.4 profile's import dialog,
      however, starts with the box unticked (Office.Calc/Dialogs/CSVImport/DetectSpecialNumbers = false).
      The coordinator of issue 17 had it ticked (her US-English LibreOffice swapped the dates), so the main
      fixtures use true; the *-nodetect.xlsx fixtures show the fresh-profile default.
The CSV export options (--convert-to csv:...): 59,34,76,1,,0,false,true,true,false,false — ';', '"', UTF-8,
token 7 false = do not quote all text cells (the export dialog's default; with the short form 59,34,76,1
LibreOffice 7.4 quotes every text cell), token 9 true = save cell contents as shown (the default: a date
is written as it is displayed, e.g. dd/mm/yy), token 10 false = no formulas. The register workbook's CSV
export appends token 12 = -1: every sheet to its own file, named <name>-<sheet>.csv (7.2 and later).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "libreoffice"
AS_OF = dt.date(2026, 11, 2)
SEED = 17
LOCALES = ("nl-BE", "en-US")

COLUMNS = (
    "aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "gewenste_startdatum", "status",
    "datum_status", "datum_antwoord", "kwetsbaar_gezin", "dagen_per_week",
)
DATE_COLUMNS = ("datum_aanvraag", "gewenste_startdatum", "datum_status", "datum_antwoord")
ANSWER_STATUSES = ("in behandeling", "opvangplan niet mogelijk", "goedgekeurd", "geannuleerd door opvang")

CSV_IMPORT = "Text - txt - csv (StarCalc):59,34,{charset},1,,0,false,{detect}"
CSV_EXPORT = "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false"
TARGETS = {  # extension -> --convert-to argument (filter named, not guessed)
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "ods": "ods:calc8",
    "csv": CSV_EXPORT,
}
XLS_TARGET = "xls:MS Excel 97"

PROVIDERS = (
    ("KO-1101", "Kinderdagverblijf 't Kriebeltje"),
    ("KO-1102", "Crèche Hélène"),
    ("KO-1103", "Het Zonnetje – Meerbeke"),
    ("KO-1104", "De Speelvogel"),
    ("KO-1105", "Kinderdagverblijf Zoë"),
    ("KO-1106", "Gezinsopvang De Kabouters"),
)


# --- the sources ------------------------------------------------------------------------------------------

def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def export_rows() -> list[dict]:
    """~40 requests of a town on 2026-11-02: a few written by hand for the edge cases, the rest from a seed.

    In the source no datum_aanvraag/datum_status/datum_antwoord is after AS_OF and no status or answer date is
    before the request date (checked below)."""
    rng = random.Random(SEED)
    kid = lambda: f"K-{rng.getrandbits(24):06X}"  # noqa: E731 - pseudonymous child id as in the demo town
    hand = [
        # (child, provider, received, desired start, status, status date, answer date, vulnerable, days)
        # day <= 12 everywhere; 05/09/2026 is the cell the en-US check looks at
        ("KA", 0, "05/09/2026", "01/03/2027", "in behandeling", "10/09/2026", "08/09/2026", "nee", "4"),
        # every day > 12: nothing for a month-first locale to swap
        ("KB", 1, "14/09/2026", "15/01/2027", "goedgekeurd", "28/09/2026", "21/09/2026", "ja", "5"),
        # received on a day > 12 (stays text in en-US), answered on a day <= 12 (swapped to May: before receipt)
        ("KC", 2, "25/09/2026", "", "opvangplan niet mogelijk", "05/10/2026", "05/10/2026", "ja", "2,5"),
        # swapped status date 11/10 -> 10 November: after the snapshot date
        ("KD", 3, "03/10/2026", "01/02/2027", "goedgekeurd", "11/10/2026", "06/10/2026", "nee", "3"),
        # on the snapshot date itself (the boundary); swapped it is 11 February, consistent: an undetectable swap
        ("KE", 4, "02/11/2026", "", "nieuw", "02/11/2026", "", "", ""),
        # day == month: the swap changes nothing
        ("KF", 5, "07/07/2026", "07/01/2027", "vraag ontvangen", "08/07/2026", "", "nee", "4,5"),
    ]
    rows: list[dict] = []
    children: dict[str, str] = {}
    for child, provider, received, start, status, status_date, answer, vulnerable, days in hand:
        children.setdefault(child, kid())
        rows.append({
            "kind_id": children[child], "opvang": PROVIDERS[provider], "datum_aanvraag": d(received),
            "gewenste_startdatum": d(start) if start else None, "status": status,
            "datum_status": d(status_date), "datum_antwoord": d(answer) if answer else None,
            "kwetsbaar_gezin": vulnerable, "dagen_per_week": days,
        })
    statuses = ("nieuw", "vraag ontvangen", "in behandeling", "in behandeling", "opvangplan niet mogelijk",
                "goedgekeurd", "goedgekeurd", "geannuleerd door opvang", "geannuleerd door ouder")
    pool = [kid() for _ in range(20)]
    first, last = dt.date(2026, 5, 4), dt.date(2026, 10, 30)
    while len(rows) < 40:
        received = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        status = rng.choice(statuses)
        answer = None
        if status == "nieuw":
            status_date = received
        elif status == "vraag ontvangen":
            status_date = received + dt.timedelta(days=rng.randrange(4))
        else:
            if status in ANSWER_STATUSES or rng.random() < 0.5:
                answer = received + dt.timedelta(days=rng.randrange(21))
            status_date = (answer or received) + dt.timedelta(days=rng.randrange(15))
        answer = min(answer, AS_OF) if answer else None
        status_date = min(status_date, AS_OF)
        start = received + dt.timedelta(days=rng.randrange(60, 300)) if rng.random() < 0.8 else None
        rows.append({
            "kind_id": rng.choice(pool), "opvang": rng.choice(PROVIDERS), "datum_aanvraag": received,
            "gewenste_startdatum": start, "status": status, "datum_status": status_date,
            "datum_antwoord": answer, "kwetsbaar_gezin": rng.choice(("ja", "nee", "nee", "nee", "")),
            "dagen_per_week": rng.choice(("1", "2", "3", "3", "4", "4", "5", "5", "2,5", "")),
        })
    for number, row in enumerate(rows, start=101):
        row["aanvraag_id"] = f"A2026-{number:06d}"
        row["opvang_id"], row["opvang_naam"] = row.pop("opvang")
        for column in ("datum_aanvraag", "datum_status", "datum_antwoord"):
            assert row[column] is None or row[column] <= AS_OF, row
        for column in ("datum_status", "datum_antwoord"):
            assert row[column] is None or row[column] >= row["datum_aanvraag"], row
    return rows


REGISTER_VACANCIES = (  # opvang_id, vanaf, gemeld_op, tot, dagen, plaatsen
    ("KO-1101", "03/11/2026", "28/10/2026", "", "ma,di,wo", 1),
    ("KO-1102", "16/11/2026", "05/10/2026", "18/12/2026", "do,vr", 2),
    ("KO-1104", "01/12/2026", "14/10/2026", "", "ma,di,wo,do,vr", 1),
    ("KO-1105", "12/01/2027", "02/11/2026", "30/06/2027", "wo", 1),
    ("KO-1106", "23/11/2026", "13/11/2026", "04/01/2027", "ma,vr", 3),
)


def date_text(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def write_sources(directory: Path, rows: list[dict]) -> dict[str, Path]:
    """The export as CSV (UTF-8 with BOM and Windows-1252, ';', CRLF as Excel writes it) and as XLSX with real
    date cells; the register workbook as XLSX."""
    body = io.StringIO()
    writer = csv.writer(body, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([date_text(row[c]) if c in DATE_COLUMNS else row[c] for c in COLUMNS])
    paths = {
        "export-source.csv": directory / "export-source.csv",
        "export-source-cp1252.csv": directory / "export-source-cp1252.csv",
        "export-source.xlsx": directory / "export-source.xlsx",
        "register-source.xlsx": directory / "register-source.xlsx",
    }
    paths["export-source.csv"].write_bytes(body.getvalue().encode("utf-8-sig"))
    paths["export-source-cp1252.csv"].write_bytes(body.getvalue().encode("cp1252"))

    book = workbook()
    sheet = book.active
    sheet.title = "Aanvragen"
    sheet.append(COLUMNS)
    for row in rows:
        values = []
        for column in COLUMNS:
            value = row[column]
            if column == "dagen_per_week":
                value = float(value.replace(",", ".")) if value else None
                value = int(value) if value is not None and value.is_integer() else value
            values.append(value if value != "" else None)
        sheet.append(values)
    date_cells(sheet, [COLUMNS.index(c) + 1 for c in DATE_COLUMNS])
    save_reproducibly(book, paths["export-source.xlsx"])

    book = workbook()
    sheet = book.active
    sheet.title = "vrije_plaatsen"
    sheet.append(("opvang_id", "vanaf", "gemeld_op", "tot", "dagen", "plaatsen"))
    for provider, start, reported, end, days, places in REGISTER_VACANCIES:
        sheet.append((provider, d(start), d(reported), d(end) if end else None, days, places))
    date_cells(sheet, [2, 3, 4])
    names = book.create_sheet("opvang")
    names.append(("opvang_id", "naam"))
    for provider in PROVIDERS:
        names.append(provider)
    save_reproducibly(book, paths["register-source.xlsx"])
    return paths


def workbook() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.properties.creator = "llko scripts/libreoffice_fixtures.py"
    book.properties.created = book.properties.modified = dt.datetime(2026, 11, 2, 8, 0, 0)
    return book


def save_reproducibly(book: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed dates: openpyxl stamps 'now' into docProps/core.xml and every zip entry."""
    raw = io.BytesIO()
    book.save(raw)
    stamp = "2026-11-02T08:00:00Z"
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 11, 2, 8, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)


def date_cells(sheet, columns: list[int]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            cell = row[index - 1]
            if cell.value is not None:
                cell.number_format = "DD/MM/YYYY"


# --- LibreOffice ------------------------------------------------------------------------------------------

def soffice_binary() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        sys.exit("LibreOffice is missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    return found


def glibc_locales() -> set[str]:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {line.strip().lower().replace("utf-8", "utf8") for line in listed.splitlines()}


class Office:
    """soffice runs, one user profile per locale (made on first use)."""

    def __init__(self, work: Path):
        self.binary = soffice_binary()
        self.work = work
        self.installed = glibc_locales()
        self.commands: list[str] = []

    def profile(self, locale: str) -> Path:
        profile = self.work / f"profile-{locale}"
        xcu = profile / "user" / "registrymodifications.xcu"
        if not xcu.exists():
            xcu.parent.mkdir(parents=True)
            xcu.write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
                f"<value>{locale}</value></prop></item>\n"
                # no preview image in .ods files (28 KB each); it changes nothing else
                '<item oor:path="/org.openoffice.Office.Common/Save/Document">'
                '<prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>\n'
                "</oor:items>\n",
                encoding="utf-8",
            )
        return profile

    def environment(self, locale: str) -> dict[str, str]:
        env = dict(os.environ)
        glibc = locale.replace("-", "_") + ".UTF-8"
        chosen = glibc if glibc.lower().replace("utf-8", "utf8") in self.installed else "C.UTF-8"
        env.update(LANG=chosen, LC_ALL=chosen)
        env.pop("LANGUAGE", None)
        return env

    def version(self) -> str:
        result = self.run("nl-BE", ["--version"], record=False)
        return result.strip()

    def convert(self, locale: str, source: Path, target: str, out: Path, infilter: str | None = None) -> None:
        out.mkdir(parents=True, exist_ok=True)
        args = ["--headless", "--norestore", "--nolockcheck"]
        if infilter:
            args.append(f"--infilter={infilter}")
        args += ["--convert-to", target, "--outdir", str(out), str(source)]
        self.run(locale, args)

    def run(self, locale: str, args: list[str], record: bool = True) -> str:
        profile = self.profile(locale)
        command = [self.binary, f"-env:UserInstallation=file://{profile}", *args]
        if record:
            shown = [f"-env:UserInstallation=file://$WORK/profile-{locale}"] + [
                a.replace(str(self.work), "$WORK") for a in args]
            self.commands.append(f"LC_ALL={locale.replace('-', '_')}.UTF-8 soffice " + " ".join(map(quote, shown)))
        result = subprocess.run(command, env=self.environment(locale), capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            sys.exit(f"soffice failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
        return result.stdout


def quote(arg: str) -> str:
    return f"'{arg}'" if re.search(r"[\s;:()]", arg) else arg


@dataclass(frozen=True)
class Made:
    name: str  # fixture file name
    path: Path  # where LibreOffice (or this script) wrote it
    locale: str | None
    source: str  # source fixture name
    how: str  # short description of the conversion


def convert_all(office: Office, sources: dict[str, Path], work: Path) -> list[Made]:
    made: list[Made] = []
    csv_sources = (
        ("export-source.csv", "csv", "76", "UTF-8 CSV"),
        ("export-source-cp1252.csv", "csv-cp1252", "1", "Windows-1252 CSV"),
    )
    for locale in LOCALES:
        for source, tag, charset, label in csv_sources:
            infilter = CSV_IMPORT.format(charset=charset, detect="true")
            for ext, target in TARGETS.items():
                out = work / f"out-{locale}-{tag}-{ext}"
                office.convert(locale, sources[source], target, out, infilter)
                made.append(Made(f"export-{locale}-from-{tag}.{ext}", out / f"{sources[source].stem}.{ext}",
                                 locale, source, f"{label} opened (detect special numbers on), saved as {ext}"))
        out = work / f"out-{locale}-nodetect"
        office.convert(locale, sources["export-source.csv"], TARGETS["xlsx"], out,
                       CSV_IMPORT.format(charset="76", detect="false"))
        made.append(Made(f"export-{locale}-from-csv-nodetect.xlsx", out / "export-source.xlsx", locale,
                         "export-source.csv", "UTF-8 CSV opened with detect special numbers OFF, saved as xlsx"))
        for ext, target in TARGETS.items():
            out = work / f"out-{locale}-xlsx-{ext}"
            office.convert(locale, sources["export-source.xlsx"], target, out)
            made.append(Made(f"export-{locale}-from-xlsx.{ext}", out / f"export-source.{ext}", locale,
                             "export-source.xlsx", f"XLSX opened, saved as {ext}"))
        for ext, target in TARGETS.items():
            out = work / f"out-{locale}-register-{ext}"
            if ext == "csv":
                office.convert(locale, sources["register-source.xlsx"], target + ",-1", out)
                for sheet in ("vrije_plaatsen", "opvang"):
                    made.append(Made(f"register-{locale}-from-xlsx-{sheet}.csv", out / f"register-source-{sheet}.csv",
                                     locale, "register-source.xlsx", f"XLSX opened, sheet {sheet} saved as CSV"))
            else:
                office.convert(locale, sources["register-source.xlsx"], target, out)
                made.append(Made(f"register-{locale}-from-xlsx.{ext}", out / f"register-source.{ext}", locale,
                                 "register-source.xlsx", f"XLSX opened, saved as {ext}"))
    out = work / "out-xls"
    office.convert("nl-BE", sources["export-source.xlsx"], XLS_TARGET, out)
    made.append(Made("export-source.xls", out / "export-source.xls", "nl-BE", "export-source.xlsx",
                     "XLSX opened, saved as Excel 97-2003 (.xls)"))
    for made_file in made:
        if not made_file.path.exists():
            sys.exit(f"LibreOffice did not write {made_file.path}")
    return made


# --- reading the files back ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    kind: str  # date, number, text, empty
    value: object
    fmt: str = ""  # number format (xlsx, ods) or the text's shape (csv)


def read_xlsx(path: Path) -> dict[str, list[list[Cell]]]:
    book = openpyxl.load_workbook(path, data_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for c in row:
                v = c.value
                if v is None or v == "":
                    cells.append(Cell("empty", None))
                elif isinstance(v, (dt.datetime, dt.date)):
                    cells.append(Cell("date", v.date() if isinstance(v, dt.datetime) else v, c.number_format))
                elif isinstance(v, (int, float)):
                    cells.append(Cell("number", v, c.number_format))
                else:
                    cells.append(Cell("text", str(v), c.number_format))
            rows.append(cells)
        sheets[sheet.title] = rows
    return sheets


NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
}


def q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def ods_date_styles(roots: list[ET.Element]) -> dict[str, str]:
    """cell style name -> the date pattern of its data style (DD/MM/YY ...), for the cells' display format."""
    patterns: dict[str, str] = {}
    for root in roots:
        for style in root.iter(q("number", "date-style")):
            parts = []
            for part in style:
                long = part.get(q("number", "style")) == "long"
                tag = part.tag.split("}")[1]
                if tag == "day":
                    parts.append("DD" if long else "D")
                elif tag == "month":
                    parts.append("MM" if long else "M")
                elif tag == "year":
                    parts.append("YYYY" if long else "YY")
                elif tag == "text":
                    parts.append(part.text or "")
                else:
                    parts.append(f"[{tag}]")
            patterns[style.get(q("style", "name"))] = "".join(parts)
    cells: dict[str, str] = {}
    for root in roots:
        for style in root.iter(q("style", "style")):
            data = style.get(q("style", "data-style-name"))
            if data in patterns:
                cells[style.get(q("style", "name"))] = patterns[data]
    return cells


def read_ods(path: Path) -> dict[str, list[list[Cell]]]:
    with zipfile.ZipFile(path) as archive:
        content = ET.fromstring(archive.read("content.xml"))
        styles = ET.fromstring(archive.read("styles.xml"))
    formats = ods_date_styles([content, styles])
    sheets = {}
    for table in content.iter(q("table", "table")):
        column_styles: list[str | None] = []
        for column in table.iter(q("table", "table-column")):
            repeat = int(column.get(q("table", "number-columns-repeated"), "1"))
            column_styles += [column.get(q("table", "default-cell-style-name"))] * min(repeat, 64)
        rows = []
        for row in table.iter(q("table", "table-row")):
            cells: list[Cell] = []
            for cell in row:
                if cell.tag not in (q("table", "table-cell"), q("table", "covered-table-cell")):
                    continue
                repeat = int(cell.get(q("table", "number-columns-repeated"), "1"))
                kind = cell.get(q("office", "value-type"))
                style = cell.get(q("table", "style-name"))
                if style is None and len(cells) < len(column_styles):
                    style = column_styles[len(cells)]
                fmt = formats.get(style, "")
                text = "\n".join("".join(p.itertext()) for p in cell.findall(q("text", "p")))
                if kind == "date":
                    value = Cell("date", dt.date.fromisoformat(cell.get(q("office", "date-value"))[:10]), fmt)
                elif kind in ("float", "percentage", "currency"):
                    number = float(cell.get(q("office", "value")))
                    value = Cell("number", int(number) if number.is_integer() else number, fmt)
                elif kind == "string":
                    value = Cell("text", text, fmt)
                else:
                    value = Cell("empty", None)
                cells += [value] * min(repeat, 64)
            while cells and cells[-1].kind == "empty":
                cells.pop()
            repeat = int(row.get(q("table", "number-rows-repeated"), "1"))
            rows += [cells] * (1 if not cells else repeat)
        while rows and not rows[-1]:
            rows.pop()
        sheets[table.get(q("table", "name"))] = rows
    return sheets


def text_shape(text: str) -> str:
    for pattern, shape in ((r"\d{2}/\d{2}/\d{4}", "dd/mm/jjjj"), (r"\d{2}/\d{2}/\d{2}", "dd/mm/jj"),
                           (r"\d{4}-\d{2}-\d{2}", "jjjj-mm-dd"), (r"\d{1,2}/\d{1,2}/\d{2,4}", "d/m/j")):
        if re.fullmatch(pattern, text):
            return shape
    return ""


def read_csv(path: Path) -> tuple[dict[str, list[list[Cell]]], str]:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = raw[3:].decode("utf-8"), "UTF-8 with BOM"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8 without BOM"
        except UnicodeDecodeError:
            text, encoding = raw.decode("cp1252"), "Windows-1252"
    endings = "CRLF" if "\r\n" in text else "LF"
    quoted = '"' in text
    rows = [[Cell("text", v, text_shape(v)) if v != "" else Cell("empty", None) for v in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")]
    return {"csv": rows}, f"{encoding}, ';', {endings} line ends, {'some' if quoted else 'no'} quoted fields"


def read_any(path: Path) -> tuple[dict[str, list[list[Cell]]], str]:
    if path.suffix == ".xlsx":
        return read_xlsx(path), "Office Open XML workbook"
    if path.suffix == ".ods":
        return read_ods(path), "OpenDocument spreadsheet"
    return read_csv(path)


# --- comparing with the source ------------------------------------------------------------------------------

def swap(value: dt.date) -> dt.date | None:
    """The date a month-first reader makes of value's dd/mm text (None: month > 12, it stays text)."""
    return dt.date(value.year, value.day, value.month) if value.day <= 12 else None


def as_date(cell: Cell) -> tuple[dt.date | None, str]:
    """What a dd/mm importer reads from the cell, and a label of how the cell holds it."""
    if cell.kind == "empty":
        return None, "empty"
    if cell.kind == "date":
        return cell.value, f"date cell [{cell.fmt or '?'}]"
    if cell.kind == "number":
        return None, f"number {cell.value}"
    text = str(cell.value).strip()
    shape = text_shape(text)
    parsed = None
    try:
        if shape in ("dd/mm/jjjj", "d/m/j"):
            day, month, year = map(int, text.split("/"))
            parsed = dt.date(year + 2000 if year < 100 else year, month, day)
        elif shape == "dd/mm/jj":
            day, month, year = map(int, text.split("/"))
            parsed = dt.date(2000 + year, month, day)
        elif shape == "jjjj-mm-dd":
            parsed = dt.date.fromisoformat(text)
    except ValueError:
        parsed = None
    return parsed, f"text {shape}" if shape else f"text '{text}'"


def as_number(cell: Cell) -> float | None:
    if cell.kind == "number":
        return float(cell.value)
    if cell.kind == "text":
        try:
            return float(str(cell.value).replace(",", "."))
        except ValueError:
            return None
    return None


def rows_text(numbers: list[int], limit: int = 60) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f", ... ({len(numbers)} in all)" if len(numbers) > limit else "")


@dataclass
class Report:
    lines: list[str]
    swapped_rows: list[int]
    verdict: str


def compare_table(rows: list[list[Cell]], header: tuple[str, ...], source: list[dict], key: str,
                  date_columns: tuple[str, ...], number_columns: tuple[str, ...]) -> tuple[list[str], dict]:
    """Per column, how the cells hold the values and which rows differ from the source."""
    lines: list[str] = []
    found_header = [str(c.value) if c.kind != "empty" else "" for c in rows[0]] if rows else []
    if tuple(found_header) != header:
        lines.append(f"- header differs from the source: {found_header}")
    by_key = {r[key]: r for r in source}
    data = rows[1:]
    if len(data) != len(source):
        lines.append(f"- {len(data)} data rows, the source has {len(source)}")
    read: list[dict] = []
    labels = {c: Counter() for c in header}
    swapped = {c: [] for c in date_columns}
    wrong = {c: [] for c in header}
    invisible = {c: [] for c in date_columns}
    for number, cells in enumerate(data, start=2):
        cells = cells + [Cell("empty", None)] * (len(header) - len(cells))
        values = dict(zip(header, cells))
        original = by_key.get(str(values[key].value))
        if original is None:
            lines.append(f"- row {number}: {key} {values[key].value!r} is not in the source")
            continue
        got = {}
        for column in header:
            cell = values[column]
            expected = original[column]
            if column in date_columns:
                value, label = as_date(cell)
                got[column] = value
                labels[column][label] += 1
                if value == expected:
                    if expected and expected.day == expected.month and cell.kind == "date":
                        invisible[column].append(number)
                elif expected and value == swap(expected):
                    swapped[column].append(number)
                else:
                    wrong[column].append((number, cell.value, expected))
            elif column in number_columns:
                value = as_number(cell)
                want = float(str(expected).replace(",", ".")) if expected not in (None, "") else None
                plain = cell.kind == "text" and str(cell.value).strip().isdigit()
                labels[column]["text, integer" if plain else f"text '{cell.value}'" if cell.kind == "text"
                               else cell.kind] += 1
                got[column] = value
                if value != want:
                    wrong[column].append((number, cell.value, expected))
            else:
                text = "" if cell.kind == "empty" else str(cell.value)
                labels[column][cell.kind] += 1
                got[column] = text
                if text != ("" if expected is None else str(expected)):
                    wrong[column].append((number, cell.value, expected))
        got["_row"] = number
        read.append(got)
    plain_text = [c for c in header if c not in date_columns and c not in number_columns and not wrong[c]
                  and set(labels[c]) <= {"text", "empty"}]
    if plain_text:
        lines.append(f"- {', '.join(f'`{c}`' for c in plain_text)}: text cells equal to the source")
    for column in header:
        if column in plain_text:
            continue
        count = ", ".join(f"{n} {label}" for label, n in sorted(labels[column].items()))
        line = f"- `{column}`: {count}"
        if column in date_columns:
            if swapped[column]:
                line += f"; **day and month swapped in {len(swapped[column])} rows**: {rows_text(swapped[column])}"
            elif any(labels[column]):
                line += "; every date correct"
        lines.append(line)
        if wrong[column]:
            shown = "; ".join(f"row {n}: {v!r} (source {e!r})" for n, v, e in wrong[column][:10])
            lines.append(f"  - **{len(wrong[column])} cells differ otherwise**: {shown}")
    invisible_rows = sorted({n for c in date_columns for n in invisible[c]})
    return lines, {"read": read, "swapped": swapped, "wrong": wrong, "invisible": invisible_rows, "labels": labels}


def plausibility(read: list[dict]) -> dict[str, list[int]]:
    """The impossible dates of DESIGN.md, as an importer reading dd/mm sees the file."""
    rules = {
        "datum_aanvraag after the as-of date": lambda r: r["datum_aanvraag"] and r["datum_aanvraag"] > AS_OF,
        "datum_status after the as-of date": lambda r: r["datum_status"] and r["datum_status"] > AS_OF,
        "datum_antwoord after the as-of date": lambda r: r["datum_antwoord"] and r["datum_antwoord"] > AS_OF,
        "datum_status before datum_aanvraag": lambda r: r["datum_status"] and r["datum_aanvraag"]
        and r["datum_status"] < r["datum_aanvraag"],
        "datum_antwoord before datum_aanvraag": lambda r: r["datum_antwoord"] and r["datum_aanvraag"]
        and r["datum_antwoord"] < r["datum_aanvraag"],
    }
    return {name: [r["_row"] for r in read if rule(r)] for name, rule in rules.items()}


def describe_export(path: Path, source: list[dict]) -> Report:
    sheets, container = read_any(path)
    name, rows = next(iter(sheets.items()))
    lines = [f"- {container}" + (f"; sheet `{name}`" if path.suffix != ".csv" else "")
             + f"; {len(rows) - 1} data rows"]
    if len(sheets) > 1:
        lines.append(f"- other sheets: {', '.join(list(sheets)[1:])}")
    table, found = compare_table(rows, COLUMNS, source, "aanvraag_id", DATE_COLUMNS, ("dagen_per_week",))
    lines += table
    swapped_rows = sorted({n for rows_ in found["swapped"].values() for n in rows_})
    other = sum(len(v) for v in found["wrong"].values())
    impossible = plausibility(found["read"])
    if found["invisible"] and swapped_rows:
        lines.append("- day = month (a swap would not show) in real date cells of rows "
                     f"{rows_text(found['invisible'])}")
    if swapped_rows:
        caught = sorted({n for rows_ in impossible.values() for n in rows_})
        lines.append(f"- rows with at least one swapped date: {len(swapped_rows)}: {rows_text(swapped_rows)}")
        for rule, numbers in impossible.items():
            if numbers:
                lines.append(f"  - impossible ({rule}): {len(numbers)} rows: {rows_text(numbers)}")
        silent = [n for n in swapped_rows if n not in caught]
        lines.append(f"  - swapped but still plausible (no rule can see it): {len(silent)} rows: {rows_text(silent)}")
        verdict = (f"REFUSE: day/month swapped in {len(swapped_rows)} rows; impossible dates in "
                   f"{len(caught)} rows ({rows_text(caught)})" if caught else
                   f"swapped in {len(swapped_rows)} rows but nothing impossible: undetectable")
    elif other:
        verdict = f"{other} cells differ from the source (see above)"
    else:
        shapes = sorted({label for c in DATE_COLUMNS for label in found["labels"][c] if label != "empty"})
        verdict = "EXACT: every value equals the source; dates as " + ", ".join(shapes)
    if any(impossible.values()) and not swapped_rows:
        lines.append(f"- impossible dates: {impossible}")
    return Report(lines, swapped_rows, verdict)


REGISTER_HEADERS = {
    "vrije_plaatsen": ("opvang_id", "vanaf", "gemeld_op", "tot", "dagen", "plaatsen"),
    "opvang": ("opvang_id", "naam"),
}


def register_source() -> dict[str, list[dict]]:
    vacancies = [dict(zip(REGISTER_HEADERS["vrije_plaatsen"],
                          (p, d(s), d(r), d(e) if e else None, days, n)))
                 for p, s, r, e, days, n in REGISTER_VACANCIES]
    names = [dict(zip(REGISTER_HEADERS["opvang"], p)) for p in PROVIDERS]
    return {"vrije_plaatsen": vacancies, "opvang": names}


def describe_register(path: Path, sheet_only: str | None = None) -> Report:
    sheets, container = read_any(path)
    source = register_source()
    if sheet_only:
        sheets = {sheet_only: sheets["csv"]}
    lines = [f"- {container}; sheets: {', '.join(f'`{s}`' for s in sheets)}"]
    swapped_all: list[int] = []
    problems = 0
    for sheet, header in REGISTER_HEADERS.items():
        if sheet not in sheets:
            if not sheet_only:
                lines.append(f"- sheet `{sheet}` missing")
                problems += 1
            continue
        rows = sheets[sheet]
        if sheet == "vrije_plaatsen":  # opvang_id is unique in this small register: the rows' key here
            table, found = compare_table(rows, header, source[sheet], "opvang_id",
                                         ("vanaf", "gemeld_op", "tot"), ("plaatsen",))
        else:
            table, found = compare_table(rows, header, source[sheet], "opvang_id", (), ())
        lines.append(f"- sheet `{sheet}`, {len(rows) - 1} data rows:")
        lines += ["  " + line for line in table]
        swapped_all += sorted({n for rows_ in found["swapped"].values() for n in rows_})
        problems += sum(len(v) for v in found["wrong"].values())
    if swapped_all:
        verdict = f"day/month swapped in rows {rows_text(swapped_all)}"
    elif problems:
        verdict = f"{problems} cells differ from the source"
    else:
        verdict = "EXACT: every value equals the source"
    return Report(lines, swapped_all, verdict)


# --- checks that the locale took effect ----------------------------------------------------------------------

def verify_locales(made: dict[str, Path]) -> list[str]:
    """The expectations of the brief, checked against what LibreOffice wrote; the findings go to the manifest.
    A locale that did not take effect at all (nl-BE and en-US alike) stops the script: that is a set-up fault."""
    notes = []
    us = read_xlsx(made["export-en-US-from-csv.xlsx"])
    nl = read_xlsx(made["export-nl-BE-from-csv.xlsx"])
    if us == nl:
        sys.exit("The nl-BE and en-US conversions of the CSV are identical: the locale did not take effect.")
    us_rows = next(iter(us.values()))
    column = COLUMNS.index("datum_aanvraag")
    cell = next(r[column] for r in us_rows[1:] if r[0].value == "A2026-000101")  # source 05/09/2026
    expected = dt.date(2026, 5, 9)
    notes.append(f"en-US, CSV -> XLSX: the source's 05/09/2026 (row 2, datum_aanvraag) became "
                 f"a {cell.kind} cell {cell.value} [{cell.fmt}]"
                 + (" = 9 May 2026, day and month swapped, as expected." if cell.value == expected
                    else f" - NOT the expected date cell {expected}."))
    cell = next(r[column] for r in us_rows[1:] if r[0].value == "A2026-000103")  # source 25/09/2026
    notes.append(f"en-US, CSV -> XLSX: the source's 25/09/2026 (row 4, datum_aanvraag) became {cell.kind} "
                 f"{cell.value!r}" + (" (left as text, as expected)." if cell.kind == "text" else " - NOT text."))
    nl_csv = made["export-nl-BE-from-csv.csv"].read_text(encoding="utf-8")
    row = next(line for line in nl_csv.splitlines() if line.startswith("A2026-000103"))
    notes.append(f"nl-BE, CSV -> CSV: row 4 reads `{row}`"
                 + (" (dates as dd/mm/jj, as expected)." if "25/09/26;" in row else " - NOT dd/mm/jj."))
    us_csv = made["export-en-US-from-csv.csv"].read_text(encoding="utf-8")
    row = next(line for line in us_csv.splitlines() if line.startswith("A2026-000101"))
    notes.append(f"en-US, CSV -> CSV: row 2 reads `{row}`: the swapped date cells are written month first "
                 "as mm/dd/yy, which a dd/mm reader takes for the original date (the two swaps cancel out); "
                 "dates with a day > 12 stay as they were (text dd/mm/jjjj).")
    return notes


# --- idempotence --------------------------------------------------------------------------------------------

VOLATILE = re.compile(
    rb"<(dcterms:created|dcterms:modified|meta:creation-date|dc:date|meta:editing-duration|meta:editing-cycles)"
    rb"[^>]*>[^<]*</\1>")


def same_content(old: Path, new: Path) -> bool:
    """Equal bytes, or for a zip (xlsx, ods) the same members with the same content (dates masked; in an
    .ods's styles.xml the order of the elements, which LibreOffice varies from run to run for the page styles
    of a workbook with several sheets)."""
    a, b = old.read_bytes(), new.read_bytes()
    if a == b:
        return True
    if not (zipfile.is_zipfile(old) and zipfile.is_zipfile(new)):
        return False
    with zipfile.ZipFile(old) as za, zipfile.ZipFile(new) as zb:
        if za.namelist() != zb.namelist():
            return False
        return all(comparable(n, za.read(n)) == comparable(n, zb.read(n)) for n in za.namelist())


def comparable(name: str, data: bytes) -> object:
    data = VOLATILE.sub(b"", data)
    return sorted(data.split(b"><")) if name == "styles.xml" else data


# --- the manifest -------------------------------------------------------------------------------------------

def source_summary(rows: list[dict]) -> list[str]:
    lines = []
    for column in DATE_COLUMNS:
        filled = [(n, r[column]) for n, r in enumerate(rows, start=2) if r[column]]
        low = [n for n, v in filled if v.day <= 12]
        same = [n for n, v in filled if v.day == v.month]
        lines.append(f"- `{column}`: {len(filled)} dates; day <= 12 (a month-first reader swaps them) in "
                     f"{len(low)} rows: {rows_text(low)}"
                     + (f"; day = month in rows {rows_text(same)}" if same else ""))
    on_as_of = [n for n, r in enumerate(rows, start=2) if AS_OF in (r["datum_status"], r["datum_aanvraag"])]
    lines.append(f"- a date equal to the as-of date (the boundary) in rows {rows_text(on_as_of)}")
    statuses = Counter(r["status"] for r in rows)
    lines.append("- statuses: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())))
    decimals = [n for n, r in enumerate(rows, start=2) if "," in r["dagen_per_week"]]
    lines.append(f"- `dagen_per_week` with a decimal comma (2,5) in rows {rows_text(decimals)}; "
                 f"non-ASCII provider names (è, é, ë, en dash) in every CSV encoding")
    return lines


def manifest(version: str, office: Office, made: list[Made], rows: list[dict], notes: list[str]) -> str:
    out = [
        "# LibreOffice round trips (issue 17)",
        "",
        "Made by `scripts/libreoffice_fixtures.py` (run it again to regenerate; `--check` only compares). "
        "Do not edit by hand.",
        "",
        f"- {version}, Debian package `libreoffice-calc-nogui` (`apt-get install -y --no-install-recommends "
        "libreoffice-calc-nogui`), headless `soffice --convert-to`.",
        f"- As-of (snapshot) date of the export: {AS_OF.isoformat()}. In the source no datum_aanvraag, "
        "datum_status or datum_antwoord is after it and no status or answer date is before the request date.",
        "- Row numbers: row 1 is the header, row 2 the first request (the same numbering in every file: "
        "LibreOffice keeps the order).",
        "- Locales: each conversion runs with its own fresh user profile whose Locale setting "
        "(`/org.openoffice.Setup/L10N/ooSetupSystemLocale`) is `nl-BE` or `en-US`; LANG/LC_ALL are set to "
        "the same locale when it is installed. The profile setting alone decides (verified).",
        "- CSV opened with `--infilter` token 8 (detect special numbers) = true, as a user who ticked it; "
        "the `*-nodetect.xlsx` files with false, the default of a fresh LibreOffice 7.4 import dialog. "
        "Token 6 (language) = 0: the profile's locale. See the script's docstring for every token.",
        "- \"date cell [fmt]\": a real spreadsheet date with that display format; \"text dd/mm/jj\": a text cell "
        "(or CSV field) of that shape. A dd/mm/jj text is read as 20jj. \"swapped\": the cell holds the date "
        "whose day is the source's month and whose month is the source's day.",
        "",
        "## Checks of the locale",
        "",
        *[f"- {n}" for n in notes],
        "",
        "## Commands",
        "",
        "`$WORK` is a temporary directory; the sources are written there first; output file names are "
        "LibreOffice's (renamed afterwards as in the table below).",
        "",
        "```",
        *office.commands,
        "```",
        "",
        "## Sources",
        "",
        "- `export-source.csv`: 40 requests, canonical columns, `;`, UTF-8 with BOM, CRLF, dates dd/mm/jjjj.",
        "- `export-source-cp1252.csv`: the same text in Windows-1252.",
        "- `export-source.xlsx`: the same rows, sheet `Aanvragen`, dates as real date cells (format DD/MM/YYYY), "
        "dagen_per_week as numbers (written by openpyxl, not LibreOffice).",
        "- `register-source.xlsx`: sheets `vrije_plaatsen` (opvang_id, vanaf, gemeld_op, tot, dagen, plaatsen; "
        "real date cells DD/MM/YYYY) and `opvang` (opvang_id, naam) (openpyxl).",
        "- `export-source.xls`: export-source.xlsx saved by LibreOffice (nl-BE) as Excel 97-2003: the importer "
        "must refuse it with a message that says to save it as .xlsx or CSV.",
        "",
        "What the export source holds:",
        "",
        *source_summary(rows),
        "",
        "## Summary",
        "",
        "| file | made from | locale | verdict |",
        "|---|---|---|---|",
    ]
    details: list[str] = []
    seen: dict[tuple, str] = {}
    for item in made:
        if item.name == "export-source.xls":
            verdict = "Excel 97-2003 (BIFF8, OLE2 compound file): refuse"
            details += [f"### {item.name}", "", f"{item.how}. {item.path.stat().st_size} bytes; "
                        f"starts with the OLE2 signature D0 CF 11 E0 A1 B1 1A E1: "
                        f"{item.path.read_bytes()[:8] == bytes.fromhex('D0CF11E0A1B11AE1')}.", ""]
        else:
            if item.name.startswith("register-"):
                sheet = next((s for s in REGISTER_HEADERS if item.name.endswith(f"-{s}.csv")), None)
                report = describe_register(item.path, sheet)
                if sheet:
                    report.lines.insert(0, f"- upload it as `{sheet}.csv` (the register takes a CSV's sheet from "
                                           "its file name)")
            else:
                report = describe_export(item.path, rows)
            verdict = report.verdict
            made_how = f"{item.how} ({item.locale}); from `{item.source}`." if item.locale else f"{item.how}."
            key = (tuple(report.lines[1:]), report.verdict)
            if key in seen:  # e.g. the Windows-1252 CSV's conversions read exactly like the UTF-8 CSV's
                lines = [report.lines[0], f"- otherwise cell for cell what `{seen[key]}` holds (see there)"]
            else:
                seen[key] = item.name
                lines = report.lines
            details += [f"### {item.name}", "", made_how, "", *lines, "", f"Verdict: {report.verdict}", ""]
        out.append(f"| `{item.name}` | {f'`{item.source}`' if item.locale else '-'} | {item.locale or '-'} "
                   f"| {verdict} |")
    out += ["", "## Per file", "", *details]
    return "\n".join(out).rstrip() + "\n"


# --- main ----------------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURES)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if a fixture would change")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (printed)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="llko-lo-"))
    try:
        rows = export_rows()
        (work / "sources").mkdir()
        sources = write_sources(work / "sources", rows)
        office = Office(work)
        version = office.version()
        made = convert_all(office, sources, work)
        by_name = {m.name: m.path for m in made}
        notes = verify_locales(by_name)
        files = {name: path for name, path in sources.items()} | by_name
        written = [Made(name, path, None, "", "Written by this script (Python csv / openpyxl), not by LibreOffice")
                   for name, path in sources.items()]
        text = manifest(version, office, written + made, rows, notes)
        (work / "MANIFEST.md").write_text(text, encoding="utf-8")
        files["MANIFEST.md"] = work / "MANIFEST.md"

        changed = []
        for name, path in sorted(files.items()):
            target = args.out / name
            if target.exists() and same_content(target, path):
                continue
            changed.append(name)
            if not args.check:
                args.out.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        unknown = sorted(p.name for p in args.out.glob("*") if p.name not in files) if args.out.exists() else []
        for name in unknown:
            print(f"not made by this script (left alone): {args.out / name}")
        verb = "would change" if args.check else "written"
        print(f"{len(files)} files; {verb}: {', '.join(changed) if changed else 'none'}")
        return 1 if args.check and changed else 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
