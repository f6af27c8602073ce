"""The Import page (views/importeren.py) through AppTest, on a fresh database per test."""

import pandas as pd
import pytest
from sqlalchemy import text

from apptest import errors, page, table
from conftest import DEMO_TODAY
from llko.requests import queries
from llko import audit
from llko.accounts.auth import create_user
from llko.db import make_engine, transaction
from llko.providers.models import Provider

PAGE = "views/importeren.py"
PASSWORD = "lang-genoeg-wachtwoord"
NOT_ALLOWED = "U hebt geen toegang tot deze pagina."
HEADER = "aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status"
GOOD = "\r\n".join([
    HEADER,
    "A1;K1;P1;Kinderdagverblijf Zonnebloem;01/10/2026;nieuw;01/10/2026",
    "A2;K2;P1;Kinderdagverblijf Zonnebloem;02/10/2026;vraag ontvangen;03/10/2026",
    "A3;K2;P2;Crèche De Speelvogel;02/10/2026;in behandeling;05/10/2026",
]).encode("utf-8-sig")
BAD = "\r\n".join([
    HEADER,
    "A1;K1;P1;Zonnebloem;01/10/2026;nieuw;01/10/2026",  # row 2: good
    "A2;K2;P1;Zonnebloem;31/09/2026;nieuw;01/10/2026",  # row 3: 31 September does not exist
    "A3;;P2;Speelvogel;02/10/2026;wachtlijst;05/10/2026",  # row 4: kind_id empty, unknown status
]).encode("utf-8")


@pytest.fixture
def engine(db_url, app_env):
    app_env(db_url)
    eng = make_engine(db_url)
    create_user(eng, "test", "coord", "Coördinator", "coordinator", PASSWORD)
    yield eng
    eng.dispose()


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("providers", "requests", "status_history", "import_runs")}


def import_button(at):
    return [b for b in at.button if b.label == "Importeren"]


def upload(at, name: str, data: bytes, mime: str = "text/csv"):
    at.file_uploader[0].upload(name, data, mime)
    return at.run()


def test_a_bad_upload_lists_every_problem_and_changes_nothing(engine):
    at = page(PAGE, "coord").run()
    assert not at.exception, at.exception
    assert at.info[0].value == "Nog geen imports."
    upload(at, "fout.csv", BAD)
    assert not at.exception, at.exception
    assert errors(at)[0] == "fout.csv kan niet geïmporteerd worden: 3 problemen. Er is niets gewijzigd."
    assert errors(at)[1:] == [  # a few problems: a line each (many of one kind: see test_messages)
        "Rij 3, kolom datum_aanvraag: '31/09/2026' is ongeldig — verwacht een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd.",
        "Rij 4, kolom kind_id: leeg — verwacht een waarde (verplichte kolom).",
        errors(at)[3]]
    problems = table(at, "Melding")  # every cell's problem, in the table to download
    assert list(zip(problems["Rij"], problems["Kolom"], problems["Waarde"])) == [
        (3, "datum_aanvraag", "31/09/2026"),
        (4, "kind_id", ""),
        (4, "status", "wachtlijst"),
    ]
    assert list(problems["Melding"][:2]) == [
        "Rij 3, kolom datum_aanvraag: '31/09/2026' is ongeldig — verwacht een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd.",
        "Rij 4, kolom kind_id: leeg — verwacht een waarde (verplichte kolom).",
    ]
    assert problems["Melding"].iloc[2].startswith(
        "Rij 4, kolom status: 'wachtlijst' is ongeldig — verwacht een status van Opvang.Vlaanderen: nieuw,")
    assert not import_button(at)
    assert not at.success
    assert counts(engine) == {"providers": 0, "requests": 0, "status_history": 0, "import_runs": 0}


def test_a_file_level_fault_gets_one_message(engine):
    at = page(PAGE, "coord").run()
    upload(at, "kop.csv", (HEADER + "\r\n").encode())
    assert errors(at) == ["kop.csv kan niet geïmporteerd worden: 1 probleem. Er is niets gewijzigd.",
                          "Het bestand bevat alleen een kopregel en geen aanvragen."]
    assert not import_button(at)
    assert counts(engine)["import_runs"] == 0


def test_a_good_upload_is_previewed_imported_once_and_listed(engine):
    at = page(PAGE, "coord").run()
    upload(at, "opvangvragen.csv", GOOD)
    assert not at.exception, at.exception
    assert not errors(at)
    assert [s.value for s in at.success] == ["3 rijen zijn in orde."]
    preview = table(at, "Aanvraag")
    assert list(preview.columns[:7]) == ["Aanvraag", "Kind", "Dossiernummer", "Opvang", "Ontvangen", "Gewenste start",
                                         "Status"]
    assert list(preview["Aanvraag"]) == ["A1", "A2", "A3"]
    assert list(preview["Status"]) == ["Nieuw", "Vraag ontvangen", "In behandeling"]
    assert list(preview["Ontvangen"]) == ["01/10/2026", "02/10/2026", "02/10/2026"]
    assert "Voorbeeld: de eerste 3 van 3 rijen." in [m.value for m in at.markdown]
    assert counts(engine)["requests"] == 0  # previewing writes nothing

    import_button(at)[0].click().run()
    assert not at.exception, at.exception
    assert not errors(at)
    assert "Geïmporteerd: 3 nieuw, 0 gewijzigd, 0 ongewijzigd, 3 statuswijzigingen." in [s.value for s in at.success]
    assert counts(engine) == {"providers": 2, "requests": 3, "status_history": 3, "import_runs": 1}
    stored = queries.requests(engine).set_index("id")
    assert stored.loc["A3", "status"] == "in behandeling"
    with engine.connect() as conn:  # the page's default as-of date
        snapshot = conn.execute(text("SELECT snapshot_date FROM requests WHERE id = 'A3'")).scalar()
    assert pd.Timestamp(snapshot) == pd.Timestamp(DEMO_TODAY)
    log = audit.entries(engine)
    imports = log[log["action"] == "import"]
    assert list(imports["actor"]) == ["coord"]
    runs = table(at, "Bestand")
    assert list(runs["Bestand"]) == ["opvangvragen.csv"]
    assert list(runs["Door"]) == ["coord"] and list(runs["Rijen"]) == [3] and list(runs["Nieuw"]) == [3]
    assert pd.Timestamp(runs["Momentopname"].iloc[0]) == pd.Timestamp(DEMO_TODAY)
    assert not at.info  # "Nog geen imports." is gone
    assert not import_button(at) and "3 rijen zijn in orde." not in [s.value for s in at.success]  # uploader emptied

    # The same file again, as a new upload, with the same snapshot date: said before the button is pressed, and
    # the button cannot be pressed; nothing changes.
    before = counts(engine)
    again = page(PAGE, "coord").run()
    upload(again, "opvangvragen.csv", GOOD)
    assert not again.exception, again.exception
    assert [i.value for i in again.info] == [
        f"Dit bestand werd al geïmporteerd op {ui_today()} als momentopname van {DEMO_TODAY:%d/%m/%Y}: "
        "opnieuw importeren verandert niets."]
    assert import_button(again)[0].disabled
    assert counts(engine) == before
    assert len(table(again, "Bestand")) == 1
    log = audit.entries(engine)
    assert list(log[log["action"] == "import"]["actor"]) == ["coord"]


def ui_today() -> str:
    """The day of the first import as the page says it: the Belgian calendar day of the real clock."""
    from datetime import datetime

    from llko.clock import LOCAL_TZ

    return datetime.now(LOCAL_TZ).strftime("%d/%m/%Y")


def test_the_columns_are_explained_and_an_example_file_offered(engine):
    at = page(PAGE, "coord").run()
    help_table = table(at, "Betekenis")
    assert list(help_table["Kolom"][:3]) == ["aanvraag_id", "kind_id", "opvang_id"]
    assert set(help_table[help_table["Verplicht"] == "ja"]["Kolom"]) == {
        "aanvraag_id", "kind_id", "opvang_id", "datum_aanvraag", "status", "datum_status"}
    # The example file the page offers is itself a valid export.
    at = page(PAGE, "coord").run()
    example = at.get("download_button")
    assert example
    from llko.requests.importer import EXAMPLE_CSV, parse

    assert parse(EXAMPLE_CSV.encode("utf-8-sig"), "voorbeeld-export.csv").problems == []


def test_the_chosen_snapshot_date_is_used(engine):
    at = page(PAGE, "coord").run()
    at.date_input(key="as_of").set_value(DEMO_TODAY.replace(day=1)).run()
    upload(at, "opvangvragen.csv", GOOD)
    import_button(at)[0].click().run()
    assert not errors(at)
    runs = queries.import_runs(engine)
    assert list(runs["as_of"]) == [pd.Timestamp(DEMO_TODAY.replace(day=1))]


@pytest.mark.parametrize("role", ["provider", "policy"])
def test_other_roles_get_no_access(engine, role):
    with transaction(engine) as session:
        session.add(Provider(id="P1", name="Kinderdagverblijf Zonnebloem"))
    create_user(engine, "test", "ander", "Ander", role, PASSWORD, ("P1",) if role == "provider" else ())
    at = page(PAGE, "ander").run()
    assert not at.exception, at.exception
    assert errors(at) == [NOT_ALLOWED]
    assert not at.file_uploader
    assert not at.button and not at.dataframe


LIBREOFFICE = __import__("conftest").ROOT / "tests" / "fixtures" / "libreoffice"


def test_an_ods_saved_by_a_dutch_libreoffice_imports(engine):
    at = page(PAGE, "coord").run()
    at.date_input(key="as_of").set_value(DEMO_TODAY).run()
    upload(at, "export.ods", (LIBREOFFICE / "export-nl-BE-from-csv.ods").read_bytes(),
           "application/vnd.oasis.opendocument.spreadsheet")
    assert at.success[0].value == "40 rijen zijn in orde."
    import_button(at)[0].click().run()
    assert at.success[0].value.startswith("Geïmporteerd: 40 nieuw, 0 gewijzigd")
    assert counts(engine)["requests"] == 40


def test_a_file_an_english_libreoffice_saved_is_refused_in_a_few_lines_with_every_cell_downloadable(engine, downloads):
    at = page(PAGE, "coord").run()
    at.date_input(key="as_of").set_value(DEMO_TODAY).run()
    upload(at, "export.xlsx", (LIBREOFFICE / "export-en-US-from-csv.xlsx").read_bytes(),
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    shown = errors(at)
    assert shown[0].startswith("export.xlsx kan niet geïmporteerd worden:")
    assert shown[1].startswith("30 rijen hebben een onmogelijke datum (rijen 2, 4, 5, 6, 7 en nog 25 andere)")
    assert len(shown) < 30  # the 61 mixed date cells make one line per column
    every = table(at, "Melding")
    assert len(every) > 61 and set(every["Rij"]) == {2, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 20, 21, 22,
                                                     24, 26, 29, 31, 32, 34, 35, 36, 37, 38, 39, 40}
    assert "importfouten.csv" in downloads.names()
    assert not import_button(at)
    assert counts(engine)["requests"] == 0


def test_an_xls_can_be_picked_and_is_refused_with_the_fix(engine):
    at = page(PAGE, "coord").run()
    assert {".ods", ".xls"} <= set(at.file_uploader[0].proto.type)  # every type the CLI takes (or explains) can be picked
    upload(at, "export.xls", (LIBREOFFICE / "export-source.xls").read_bytes(), "application/vnd.ms-excel")
    assert errors(at)[1].startswith("Dit is een Excel 97-2003-bestand (.xls)")


def test_columns_someone_added_are_named_before_the_import(engine):
    data = (HEADER + ";Naam ouder;Notitie\r\nA1;K1;P1;Zonnebloem;01/10/2026;nieuw;01/10/2026;Jan Peeters;bellen\r\n")
    at = page(PAGE, "coord").run()
    upload(at, "export.csv", data.encode("utf-8"))
    assert [i.value for i in at.info][:2] == [
        "Kolom ‘Naam ouder’ niet bewaard: ze lijkt een naam van een kind of ouder te bevatten, en het dashboard "
        "bewaart alleen pseudonieme id's. Laat zulke kolommen weg uit het bestand.",
        "Kolom ‘Notitie’ niet bewaard: de import kent die niet."]
