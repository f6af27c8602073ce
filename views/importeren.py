"""Import: upload an Opvang.Vlaanderen export, see the validation, import it whole or not at all."""

import pandas as pd
import streamlit as st

import ui
from llko.registers import workbook as register_workbook
from llko.files import messages, spreadsheets
from llko.requests import importer

PREVIEW_HEADERS = {
    "aanvraag_id": "Aanvraag", "kind_id": "Kind", "opvang_id": "Dossiernummer", "opvang_naam": "Opvang",
    "datum_aanvraag": "Ontvangen", "gewenste_startdatum": "Gewenste start", "status": "Status",
    "datum_status": "Statusdatum", "datum_antwoord": "Antwoord op", "kwetsbaar_gezin": "Kwetsbaar gezin",
    "dagen_per_week": "Dagen per week",
}


def preview(frame: pd.DataFrame) -> pd.DataFrame:
    """The first rows of a parsed file as the pages show requests: Dutch headers, dd/mm/jjjj, status labels."""
    view = frame.head(20).copy()
    for column in importer.DATE_COLUMNS:
        view[column] = view[column].map(lambda d: d.strftime("%d/%m/%Y") if d is not None else None)
    view["status"] = view["status"].map(ui.STATUS_LABELS)
    view["kwetsbaar_gezin"] = view["kwetsbaar_gezin"].map({True: "ja", False: "nee"})
    view["dagen_per_week"] = view["dagen_per_week"].map(lambda d: None if d is None else f"{d:g}".replace(".", ","))
    return view.rename(columns=PREVIEW_HEADERS)


user = ui.open_page(__file__)
st.write("Lees de export van alle aanvragen van de stad uit Opvang.Vlaanderen in (CSV, Excel of OpenDocument). "
         "Een bestand met één foute rij wordt volledig geweigerd, met een melding per fout; er verandert dan niets.")
ui.show_flash()

with st.expander("Welke kolommen verwacht de import?"):
    st.write("De kopregel mag hoofdletters en gangbare namen van Opvang.Vlaanderen gebruiken (bv. "
             "‘Aanvraagnummer’, ‘Dossiernummer’). Datums als dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd.")
    ui.table(pd.DataFrame({
        "Kolom": list(importer.COLUMN_HELP),
        "Verplicht": ["ja" if c in importer.REQUIRED else "nee" for c in importer.COLUMN_HELP],
        "Betekenis": list(importer.COLUMN_HELP.values()),
    }), key="columns_help")
    ui.download("Voorbeeldbestand (CSV)", lambda: importer.EXAMPLE_CSV.encode("utf-8-sig"), "voorbeeld-export.csv",
                "text/csv", key="example_csv")

# A new key after each import empties the uploader, so a finished import does not look pending.
round_ = st.session_state.setdefault("_upload_round", 0)
upload = st.file_uploader("Exportbestand (CSV, Excel of OpenDocument, hoogstens 50 MB)",
                          type=spreadsheets.UPLOAD_TYPES, key=f"upload_{round_}")
as_of = ui.forms.day_input("Datum van de momentopname", ui.today(), key="as_of",
                           help="De dag waarop de export uit Opvang.Vlaanderen werd gedownload; niet in de toekomst, "
                           "want een latere momentopname wint altijd van een vroegere.")
if as_of is not None and (wrong := importer.as_of_problem(as_of, ui.today())):
    st.error(wrong)  # never replaced by another day: nothing is imported until the day is right
    as_of = None

def show_refusal(name: str, problems: list) -> None:
    """A refused file: the problems as lines to read, and every cell's problem in a table to download."""
    cells = [p for p in problems if p.row is not None]
    count = len(problems)
    st.error(f"{ui.literal(name)} kan niet geïmporteerd worden: {count} {'probleem' if count == 1 else 'problemen'}. "
             "Er is niets gewijzigd.")
    for line in messages.summary(problems):  # a line may quote a cell of the file
        st.error(ui.literal(line))
    if cells:
        every = pd.DataFrame([{"Rij": p.row, "Kolom": p.column, "Waarde": p.value, "Melding": p.message}
                              for p in cells])
        with st.expander(f"Alle {len(cells)} {'fout' if len(cells) == 1 else 'fouten'} per cel"):
            ui.table(every, key="problems")
            ui.download_buttons(every, "importfouten", key="dl_problems", sheet="importfouten")


if upload is not None:
    data = upload.getvalue()
    parsed = ui.reads.parsed_upload(data, upload.name)
    if as_of is not None:
        parsed = importer.impossible_dates(parsed, as_of)
    for notice in parsed.notices:  # notices name the file's own columns
        st.info(ui.literal(notice))
    if parsed.problems:
        show_refusal(upload.name, parsed.problems)
    else:
        rows = len(parsed.frame)
        st.success(f"{rows} {'rij is' if rows == 1 else 'rijen zijn'} in orde.")
        earlier = ui.reads.already_imported(data, as_of) if as_of else None
        if earlier:
            st.info(ui.literal(earlier))
        st.write(f"Voorbeeld: de eerste {min(rows, 20)} van {rows} rijen.")
        ui.table(preview(parsed.frame), key="preview")
        if st.button("Importeren", type="primary", key="do_import", disabled=as_of is None or earlier is not None):
            result = importer.import_file(ui.engine(), data, upload.name, as_of, user.username, parsed)
            if result.ok:
                st.session_state["_upload_round"] = round_ + 1
                ui.flash(f"Geïmporteerd: {result.rows_new} nieuw, {result.rows_updated} gewijzigd, "
                         f"{result.rows_unchanged} ongewijzigd, {result.status_changes} statuswijzigingen."
                         + "".join(f" {notice}" for notice in result.notices))
            else:
                show_refusal(upload.name, result.problems)

st.header("Registerwerkmap")
st.write("De eigen lijsten van het loket in één keer inlezen: opvanginitiatieven, vrije plaatsen, controles van de "
         "infopagina, ondertekende overeenkomsten en LOK-vergaderingen. Een Excel-werkmap met een blad per register, "
         "of een CSV-bestand per blad (genoemd naar het blad). Eén foute cel en er verandert niets; dezelfde werkmap "
         "twee keer inlezen verandert niets.")
ui.download("Lege registerwerkmap (sjabloon)", ui.reads.register_template, "registerwerkmap.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="register_template")
register_round = st.session_state.setdefault("_register_round", 0)
register_files = st.file_uploader("Registerwerkmap (Excel of OpenDocument) of CSV-bestanden per blad, hoogstens 50 MB",
                                  type=spreadsheets.UPLOAD_TYPES, accept_multiple_files=True,
                                  key=f"register_upload_{register_round}")
if register_files and st.button("Registers inlezen", type="primary", key="do_register_import"):
    outcome = register_workbook.import_register(ui.engine(), [(f.name, f.getvalue()) for f in register_files],
                                                user.username)
    if outcome.ok:
        st.session_state["_register_round"] = register_round + 1
        ui.flash("Registers ingelezen: " + "; ".join(
            f"{sheet.replace('_', ' ')}: {n['new']} nieuw, {n['updated']} gewijzigd, {n['unchanged']} ongewijzigd"
            for sheet, n in outcome.counts.items()) + "." + "".join(f" {notice}" for notice in outcome.notices))
    else:
        for notice in outcome.notices:
            st.info(ui.literal(notice))
        count = len(outcome.problems)
        st.error(f"De registers zijn niet ingelezen: {count} {'probleem' if count == 1 else 'problemen'}. "
                 "Er is niets gewijzigd.")
        ui.table(pd.DataFrame({"Melding": outcome.problems}), key="register_problems")

st.header("Vorige imports")
runs = ui.reads.import_runs()
if runs.empty:
    st.info("Nog geen imports.")
else:
    runs["imported_at"] = ui.fmt_moments(runs["imported_at"])
    ui.table(runs.rename(columns={
        "id": "#", "file_name": "Bestand", "as_of": "Momentopname", "imported_at": "Geïmporteerd op",
        "imported_by": "Door", "rows_total": "Rijen", "rows_new": "Nieuw", "rows_updated": "Gewijzigd",
        "status_changes": "Statuswijzigingen"}), key="runs", column_config=ui.date_columns("Momentopname"))
