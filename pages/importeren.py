"""Import: upload an Opvang.Vlaanderen export, see the validation, import it whole or not at all."""

import streamlit as st

import ui
from llko import importer, queries

user = ui.open_page(__file__)
st.caption("Upload de export van alle aanvragen (CSV of Excel). Een bestand met één foute rij wordt volledig "
           "geweigerd; er wordt dan niets gewijzigd.")

ui.show_flash()
# A new key after each import empties the uploader, so a finished import does not look pending.
round_ = st.session_state.setdefault("_upload_round", 0)
upload = st.file_uploader("Exportbestand", type=["csv", "txt", "xlsx"], key=f"upload_{round_}")
as_of = st.date_input("Datum van de momentopname", ui.today(), max_value=ui.today(), format="DD/MM/YYYY",
                      key="as_of", help="De dag waarop de export uit Opvang.Vlaanderen werd gedownload; niet in de "
                      "toekomst, want een latere momentopname wint altijd van een vroegere.")

if upload is not None:
    data = upload.getvalue()
    parsed = importer.parse(data, upload.name)
    if parsed.problems:
        count = len(parsed.problems)
        st.error(f"{upload.name} kan niet geïmporteerd worden: {count} {'probleem' if count == 1 else 'problemen'}. "
                 "Er is niets gewijzigd.")
        st.dataframe([{"Rij": p.row, "Kolom": p.column, "Waarde": p.value, "Melding": p.message}
                      for p in parsed.problems], hide_index=True, key="problems", width="stretch")
    else:
        st.success(f"{len(parsed.frame)} rijen zijn in orde.")
        st.write("Voorbeeld (eerste 20 rijen):")
        st.dataframe(parsed.frame.head(20), hide_index=True, key="preview")
        if st.button("Importeren", type="primary", key="do_import", disabled=as_of is None):
            result = importer.import_file(ui.engine(), data, upload.name, as_of, user.username)
            if result.ok:
                st.session_state["_upload_round"] = round_ + 1
                ui.flash(f"Geïmporteerd: {result.rows_new} nieuw, {result.rows_updated} gewijzigd, "
                         f"{result.rows_unchanged} ongewijzigd, {result.status_changes} statuswijzigingen.")
            for problem in result.problems:
                st.error(problem.message)

st.subheader("Vorige imports")
runs = queries.import_runs(ui.engine())
if runs.empty:
    st.info("Nog geen imports.")
else:
    runs["imported_at"] = runs["imported_at"].dt.tz_convert(ui.LOCAL_TZ).dt.strftime("%d/%m/%Y %H:%M")
    st.dataframe(runs.rename(columns={
        "id": "#", "file_name": "Bestand", "as_of": "Momentopname", "imported_at": "Geïmporteerd op",
        "imported_by": "Door", "rows_total": "Rijen", "rows_new": "Nieuw", "rows_updated": "Gewijzigd",
        "status_changes": "Statuswijzigingen"}), hide_index=True, key="runs",
        column_config=ui.date_columns("Momentopname"))
