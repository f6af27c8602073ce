"""The import of Opvang.Vlaanderen exports: reading, validation, refusal, and the database writes."""

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select, text

from llko.files import caps
from llko.requests import importer
from llko.requests.importer import writing
from llko.requests.importer import ALIASES, ImportProblem, import_file, normalize_header, parse
from llko.providers.models import Provider
from llko.requests.models import Request, StatusChange

HEADER = ("aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "status", "datum_status")
ROWS = (
    ("A1", "K1", "P1", "Kinderdagverblijf Zonneschijn", "01/03/2026", "nieuw", "01/03/2026"),
    ("A2", "K2", "P1", "Kinderdagverblijf Zonneschijn", "02/03/2026", "vraag ontvangen", "03/03/2026"),
    ("A3", "K2", "P2", "Crèche Pétillant", "02/03/2026", "in behandeling", "05/03/2026"),
)
TABLES = ("providers", "requests", "status_history", "import_runs")
AS_OF = date(2026, 3, 6)


def csv_bytes(rows=ROWS, header=HEADER, sep=",", encoding="utf-8", bom=False) -> bytes:
    text_ = "\r\n".join(sep.join(r) for r in [header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text_.encode(encoding)


def run(engine, data, as_of=AS_OF, name="export.csv"):
    return import_file(engine, data, name, as_of, "coordinator")


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in TABLES}


def requests(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Request.__table__)).mappings().all()
    return {r["id"]: dict(r) for r in rows}


def providers(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Provider.__table__.c.id, Provider.__table__.c.name)).all())


def history(engine, request_id) -> list[tuple]:
    t = StatusChange.__table__
    with engine.connect() as conn:
        query = select(t.c.status, t.c.status_date, t.c.snapshot_date).where(t.c.request_id == request_id)
        return [tuple(r) for r in conn.execute(query.order_by(t.c.status_date, t.c.status))]


def audit_actions(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT action FROM audit_log ORDER BY id"))]


def assert_untouched(engine):
    assert table_counts(engine) == {t: 0 for t in TABLES}


# --- formats -----------------------------------------------------------------------------------


def test_comma_csv_is_imported(engine):
    result = run(engine, csv_bytes())
    assert result.ok and result.problems == []
    assert (result.rows_total, result.rows_new, result.rows_updated, result.rows_unchanged) == (3, 3, 0, 0)
    assert result.status_changes == 3
    assert table_counts(engine) == {"providers": 2, "requests": 3, "status_history": 3, "import_runs": 1}
    req = requests(engine)["A2"]
    assert (req["child_id"], req["provider_id"], req["status"]) == ("K2", "P1", "vraag ontvangen")
    assert (req["received"], req["status_date"], req["snapshot_date"]) == (date(2026, 3, 2), date(2026, 3, 3), AS_OF)
    assert req["import_run_id"] == result.run_id
    assert audit_actions(engine) == ["import"]


def test_semicolon_csv_with_alias_headers_odd_statuses_and_both_date_styles(engine):
    header = ("Aanvraagnummer", " Kind ", "Dossiernummer", "Naam opvang", "Aanvraagdatum", "Gewenste-startdatum",
              "Status aanvraag", "Statusdatum", "Antwoorddatum", "Kwetsbaar gezin", "Dagen per week", "Opmerking")
    rows = (
        ("A1", "K1", "P1", "Zonneschijn", "1/3/2026", "2026-09-01", "  Vraag   ONTVANGEN ", "2026-03-02", "", "JA", "2,5", "x"),
        ("A2", "K2", "P1", "Zonneschijn", "2026-03-02", "", "In Behandeling", "04/03/2026", "03/03/2026", "n", "4", ""),
        ("A3", "K3", "P1", "Zonneschijn", "03/03/2026", "", "GOEDGEKEURD", "05/03/2026", "", "", "", "y"),
    )
    result = run(engine, csv_bytes(rows, header, sep=";"))
    assert result.ok, result.problems
    reqs = requests(engine)
    assert reqs["A1"]["status"] == "vraag ontvangen"
    assert reqs["A1"]["received"] == date(2026, 3, 1)
    assert reqs["A1"]["desired_start"] == date(2026, 9, 1)
    assert (reqs["A1"]["vulnerable"], reqs["A1"]["days_per_week"]) == (True, 2.5)
    assert reqs["A2"]["status"] == "in behandeling"
    assert reqs["A2"]["answer_date_reported"] == date(2026, 3, 3)
    assert (reqs["A2"]["vulnerable"], reqs["A2"]["days_per_week"]) == (False, 4.0)
    assert reqs["A3"]["status"] == "goedgekeurd"
    assert (reqs["A3"]["vulnerable"], reqs["A3"]["days_per_week"], reqs["A3"]["desired_start"]) == (None, None, None)


def test_utf8_with_bom(engine):
    data = csv_bytes(bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    result = run(engine, data)
    assert result.ok, result.problems
    assert providers(engine)["P2"] == "Crèche Pétillant"


def test_windows_1252_as_excel_writes_it(engine):
    rows = (
        ("A1", "K1", "P1", "Kinderdagverblijf De Zonnebloem – Meerbeke", "01/03/2026", "nieuw", "01/03/2026"),
        ("A2", "K2", "P2", "Crèche Pétillant", "01/03/2026", "nieuw", "01/03/2026"),
    )
    data = csv_bytes(rows, sep=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run(engine, data)
    assert result.ok, result.problems
    assert providers(engine) == {"P1": "Kinderdagverblijf De Zonnebloem – Meerbeke", "P2": "Crèche Pétillant"}


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Aanvragen"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.create_sheet("Uitleg").append(["Dit blad wordt genegeerd"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_excel_dates_numbers_and_text_dates(engine):
    header = ("Aanvraag ID", "Kind ID", "Opvang ID", "Naam opvang", "Datum aanvraag", "Status",
              "Datum status", "Kwetsbaar gezin", "Dagen per week")
    rows = (
        (1001, 501, "P1", "Crèche Pétillant", datetime(2026, 3, 1), "Nieuw", datetime(2026, 3, 1, 14, 30), "ja", 2.5),
        (1002, 502, "P1", "Crèche Pétillant", "02/03/2026", "vraag ontvangen", "2026-03-03", 0, 3),
    )
    data = xlsx_bytes(rows, header)
    assert data[:2] == b"PK"
    result = run(engine, data, name="export.xlsx")
    assert result.ok, result.problems
    reqs = requests(engine)
    assert set(reqs) == {"1001", "1002"}
    assert reqs["1001"]["child_id"] == "501"
    assert (reqs["1001"]["received"], reqs["1001"]["status_date"]) == (date(2026, 3, 1), date(2026, 3, 1))
    assert (reqs["1001"]["vulnerable"], reqs["1001"]["days_per_week"]) == (True, 2.5)
    assert (reqs["1002"]["received"], reqs["1002"]["status_date"]) == (date(2026, 3, 2), date(2026, 3, 3))
    assert (reqs["1002"]["vulnerable"], reqs["1002"]["days_per_week"]) == (False, 3.0)


def test_xlsx_bad_row_is_named_by_its_sheet_row():
    rows = (
        ("A1", "K1", "P1", None, datetime(2026, 3, 1), "nieuw", datetime(2026, 3, 1)),
        ("A2", "K2", "P1", None, "31/02/2026", "nieuw", datetime(2026, 3, 1)),
    )
    parsed = parse(xlsx_bytes(rows), "export.xlsx")
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(3, "datum_aanvraag", "31/02/2026")]


def test_parsed_frame_is_typed():
    parsed = parse(csv_bytes(), "export.csv")
    assert parsed.problems == []
    frame = parsed.frame
    assert list(frame.columns) == list(importer.COLUMNS)
    first = frame.iloc[0]
    assert isinstance(first["datum_aanvraag"], date) and not isinstance(first["datum_aanvraag"], datetime)
    assert first["datum_aanvraag"] == date(2026, 3, 1)
    assert first["gewenste_startdatum"] is None and first["datum_antwoord"] is None
    assert first["kwetsbaar_gezin"] is None and first["dagen_per_week"] is None
    assert first["opvang_naam"] == "Kinderdagverblijf Zonneschijn"


def test_every_alias_is_a_normalized_header():
    assert all(normalize_header(alias) == alias for alias in ALIASES)
    assert set(ALIASES.values()) == set(importer.COLUMNS)
    for header, canon in [("Aanvraag ID", "aanvraag_id"), ("ID aanvraag", "aanvraag_id"), ("kind", "kind_id"),
                          ("Dossiernummer", "opvang_id"), ("Opvang-ID", "opvang_id"), ("Naam opvang", "opvang_naam"),
                          ("Startdatum", "gewenste_startdatum"), ("Datum Status", "datum_status"),
                          ("Datum antwoord", "datum_antwoord"), ("Kwetsbaar", "kwetsbaar_gezin")]:
        assert ALIASES[normalize_header(header)] == canon


# --- file-level faults -------------------------------------------------------------------------


def not_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "geen werkmap")
    return out.getvalue()


FILE_FAULTS = {
    "garbage": (bytes(range(256)) * 4, r"^Het bestand kon niet gelezen worden: het is geen CSV-bestand, geen Excel-werkmap \(.xlsx\) en geen OpenDocument"),
    "zip_not_xlsx": (not_a_workbook(), r"^Het bestand kon niet gelezen worden"),
    "empty": (b"", r"^Het bestand is leeg\.$"),
    "blank_lines": (b"\r\n  \r\n", r"^Het bestand is leeg\.$"),
    "header_only": (csv_bytes(rows=()), r"^Het bestand bevat alleen een kopregel en geen aanvragen\.$"),
    "missing_column": (
        csv_bytes([r[:6] for r in ROWS], HEADER[:6]),
        r"^Verplichte kolom ontbreekt: datum_status\. Gevonden kolommen: aanvraag_id, kind_id",
    ),
    "missing_columns": (
        csv_bytes([r[:2] for r in ROWS], HEADER[:2]),
        r"^Verplichte kolommen ontbreken: opvang_id, datum_aanvraag, status en datum_status\.",
    ),
    "duplicate_id": (
        csv_bytes(ROWS + (ROWS[0],)),
        r"^Aanvraag A1 \(rijen 2 en 5\) staat meer dan eens in het bestand; elke aanvraag mag maar één keer voorkomen\.$",
    ),
    "duplicate_ids": (
        csv_bytes(ROWS + (ROWS[1], ROWS[0])),
        r"^Deze aanvragen staan meer dan eens in het bestand: A1 \(rijen 2 en 6\), A2 \(rijen 3 en 5\);",
    ),
    "too_many_fields": (
        csv_bytes(ROWS[:1] + (ROWS[1] + ("extra",),)),
        r"^Rij 3 heeft meer velden dan de kopregel",
    ),
}


@pytest.mark.parametrize("case", FILE_FAULTS)
def test_file_level_fault_gets_one_message_and_writes_nothing(engine, case):
    data, pattern = FILE_FAULTS[case]
    result = run(engine, data)
    assert not result.ok and result.run_id is None
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.row is None
    assert re.search(pattern, problem.message), problem.message
    assert_untouched(engine)
    assert audit_actions(engine) == ["import_refused"]


def test_duplicate_check_comes_after_the_columns_are_known():
    """A file-level fault stops the checks: a bad date in a duplicated row is not reported too."""
    bad = ("A1", "K1", "P1", "", "31/02/2026", "nieuw", "01/03/2026")
    parsed = parse(csv_bytes(ROWS + (bad,)), "export.csv")
    assert len(parsed.problems) == 1 and parsed.problems[0].column == "aanvraag_id"
    assert parsed.frame.empty


# --- bad rows ----------------------------------------------------------------------------------


def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(engine):
    header = HEADER + ("kwetsbaar_gezin", "dagen_per_week", "datum_antwoord")
    good = ("A1", "K1", "P1", "Zon", "01/03/2026", "nieuw", "01/03/2026", "ja", "3", "")
    rows = (
        good,                                                                                     # row 2
        ("A2", "K2", "P1", "Zon", "01/03/2026", "nieuw", "01/03/2026", "ja", "3", ""),            # row 3
        ("A3", "K3", "P1", "Zon", "31/02/2026", "nieuw", "01/03/2026", "", "", ""),               # row 4
        ("A4", "K4", "P1", "Zon", "01/03/2026", "wachtlijst", "01/03/2026", "", "", ""),          # row 5
        ("A5", "", "P1", "Zon", "01/03/2026", "nieuw", "", "", "", ""),                           # row 6
        ("A6", "K6", "P1", "Zon", "01/03/2026", "nieuw", "01/03/2026", "misschien", "8", ""),     # row 7
        ("A7", "K7", "P1", "Zon", "01/03/2026", "nieuw", "01/03/2026", "", "drie", "3/13/2026"),  # row 8
        ("A8", "K8", "P1", "Zon", "01-03-26", "nieuw", "01/03/2026", "", "0,25", ""),              # row 9
    )
    result = run(engine, csv_bytes(rows, header, sep=";"))
    assert not result.ok
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (4, "datum_aanvraag", "31/02/2026"),
        (5, "status", "wachtlijst"),
        (6, "kind_id", ""),
        (6, "datum_status", ""),
        (7, "kwetsbaar_gezin", "misschien"),
        (7, "dagen_per_week", "8"),
        (8, "datum_antwoord", "3/13/2026"),
        (8, "dagen_per_week", "drie"),
        (9, "datum_aanvraag", "01-03-26"),
        (9, "dagen_per_week", "0,25"),
    ]
    messages = [p.message for p in result.problems]
    assert messages[0] == ("Rij 4, kolom datum_aanvraag: '31/02/2026' is ongeldig — "
                           "verwacht een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd.")
    assert messages[1].startswith("Rij 5, kolom status: 'wachtlijst' is ongeldig — verwacht een status van "
                                  "Opvang.Vlaanderen: nieuw, vraag ontvangen, in behandeling,")
    assert messages[2] == "Rij 6, kolom kind_id: leeg — verwacht een waarde (verplichte kolom)."
    assert messages[4] == ("Rij 7, kolom kwetsbaar_gezin: 'misschien' is ongeldig — "
                           "verwacht ja of nee (ook j/n of 1/0), of leeg.")
    assert messages[5] == ("Rij 7, kolom dagen_per_week: '8' is ongeldig — "
                           "verwacht een aantal dagen van 0,5 tot 7 (bv. 2,5), of leeg.")
    assert_untouched(engine)
    assert audit_actions(engine) == ["import_refused"]


def test_blank_lines_keep_the_row_numbers_of_the_file():
    data = b"\r\n".join([
        ",".join(HEADER).encode(),
        ",".join(ROWS[0]).encode(),
        b"",
        b"A9,K9,P1,,01/03/2026,onbekend,01/03/2026",
    ]) + b"\r\n"
    parsed = parse(data, "export.csv")
    assert [(p.row, p.column) for p in parsed.problems] == [(4, "status")]


def test_file_level_message_is_the_explanation():
    problem = ImportProblem(None, None, None, "Het bestand is leeg.")
    assert problem.message == "Het bestand is leeg."


def test_unknown_columns_are_ignored_and_too_long_ids_refused():
    header = HEADER + ("opmerking",)
    rows = (ROWS[0] + ("vrij veld",), ("A" * 65,) + ROWS[1][1:] + ("",))
    parsed = parse(csv_bytes(rows, header), "export.csv")
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "aanvraag_id")]


# --- idempotence, snapshots, history -----------------------------------------------------------


def test_same_file_twice_is_refused_and_changes_nothing(engine):
    data = csv_bytes()
    first = run(engine, data)
    assert first.ok
    before = (table_counts(engine), requests(engine))
    second = run(engine, data)
    assert not second.ok and second.run_id is None
    assert len(second.problems) == 1
    assert re.fullmatch(
        r"Dit bestand werd al geïmporteerd op \d\d/\d\d/\d{4} als momentopname van 06/03/2026; "
        r"er is niets gewijzigd\.",
        second.problems[0].message,
    )
    assert (table_counts(engine), requests(engine)) == before
    assert audit_actions(engine) == ["import", "import_refused"]


def test_same_content_with_a_new_as_of_adds_no_history(engine):
    data = csv_bytes()
    run(engine, data, as_of=date(2026, 3, 6))
    before = requests(engine)
    result = run(engine, data, as_of=date(2026, 3, 9))
    assert result.ok
    assert (result.rows_new, result.rows_updated, result.rows_unchanged, result.status_changes) == (0, 0, 3, 0)
    assert table_counts(engine) == {"providers": 2, "requests": 3, "status_history": 3, "import_runs": 2}
    after = requests(engine)
    bookkeeping = {"snapshot_date", "import_run_id"}
    for rid, row in after.items():
        assert {k: v for k, v in row.items() if k not in bookkeeping} == {
            k: v for k, v in before[rid].items() if k not in bookkeeping}
        assert row["snapshot_date"] == date(2026, 3, 9)
    assert history(engine, "A2") == [("vraag ontvangen", date(2026, 3, 3), date(2026, 3, 6))]


def one_request(status, status_date, answer="", name="Zonneschijn") -> bytes:
    header = HEADER + ("datum_antwoord",)
    return csv_bytes([("A1", "K1", "P1", name, "01/03/2026", status, status_date, answer)], header)


def test_changed_status_counts_as_updated_and_is_recorded(engine):
    run(engine, csv_bytes(), as_of=date(2026, 3, 6))
    changed = (ROWS[0], ROWS[1][:5] + ("in behandeling", "08/03/2026"), ROWS[2])
    result = run(engine, csv_bytes(changed), as_of=date(2026, 3, 9))
    assert (result.rows_new, result.rows_updated, result.rows_unchanged, result.status_changes) == (0, 1, 2, 1)
    assert requests(engine)["A2"]["status"] == "in behandeling"
    assert history(engine, "A2") == [
        ("vraag ontvangen", date(2026, 3, 3), date(2026, 3, 6)),
        ("in behandeling", date(2026, 3, 8), date(2026, 3, 9)),
    ]
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT rows_total, rows_new, rows_updated, status_changes FROM import_runs ORDER BY id")).all()
    assert [tuple(r) for r in runs] == [(3, 3, 0, 3), (3, 0, 1, 1)]


def test_out_of_order_snapshots_keep_the_newest_state(engine):
    newer = run(engine, one_request("in behandeling", "08/03/2026"), as_of=date(2026, 3, 10))
    older = run(engine, one_request("vraag ontvangen", "03/03/2026"), as_of=date(2026, 3, 5))
    assert newer.ok and older.ok
    assert (older.rows_new, older.rows_updated, older.rows_unchanged, older.status_changes) == (0, 0, 1, 1)
    req = requests(engine)["A1"]
    assert (req["status"], req["status_date"], req["snapshot_date"]) == ("in behandeling", date(2026, 3, 8), date(2026, 3, 10))
    assert req["import_run_id"] == newer.run_id
    assert history(engine, "A1") == [
        ("vraag ontvangen", date(2026, 3, 3), date(2026, 3, 5)),
        ("in behandeling", date(2026, 3, 8), date(2026, 3, 10)),
    ]
    assert req["answer_date"] == date(2026, 3, 8)


def test_a_late_older_snapshot_can_reveal_an_earlier_answer(engine):
    run(engine, one_request("goedgekeurd", "20/03/2026"), as_of=date(2026, 3, 21))
    assert requests(engine)["A1"]["answer_date"] == date(2026, 3, 20)
    run(engine, one_request("in behandeling", "08/03/2026"), as_of=date(2026, 3, 10))
    req = requests(engine)["A1"]
    assert (req["status"], req["answer_date"]) == ("goedgekeurd", date(2026, 3, 8))


def test_a_status_seen_again_in_an_older_snapshot_keeps_the_earliest_snapshot(engine):
    run(engine, one_request("in behandeling", "08/03/2026"), as_of=date(2026, 3, 20))
    result = run(engine, one_request("in behandeling", "08/03/2026", name="Zonneschijn (oud)"), as_of=date(2026, 3, 12))
    assert result.status_changes == 0
    assert history(engine, "A1") == [("in behandeling", date(2026, 3, 8), date(2026, 3, 12))]
    assert providers(engine) == {"P1": "Zonneschijn"}  # an older snapshot does not rename


def test_answer_date_comes_from_the_history_when_the_file_has_none(engine):
    run(engine, one_request("vraag ontvangen", "02/03/2026"), as_of=date(2026, 3, 3))
    assert requests(engine)["A1"]["answer_date"] is None  # R2: an acknowledgement is no answer
    run(engine, one_request("in behandeling", "09/03/2026"), as_of=date(2026, 3, 12))
    assert requests(engine)["A1"]["answer_date"] == date(2026, 3, 9)
    run(engine, one_request("goedgekeurd", "18/03/2026"), as_of=date(2026, 3, 20))
    req = requests(engine)["A1"]
    assert (req["status"], req["answer_date"]) == ("goedgekeurd", date(2026, 3, 9))


def test_reported_answer_date_takes_precedence(engine):
    run(engine, one_request("in behandeling", "09/03/2026", answer="04/03/2026"), as_of=date(2026, 3, 12))
    req = requests(engine)["A1"]
    assert (req["answer_date_reported"], req["answer_date"]) == (date(2026, 3, 4), date(2026, 3, 4))


def test_provider_names(engine):
    run(engine, one_request("nieuw", "01/03/2026", name=""), as_of=date(2026, 3, 2))
    assert providers(engine) == {"P1": "P1"}  # no name in the file: the id
    run(engine, one_request("nieuw", "01/03/2026", name="Zonneschijn"), as_of=date(2026, 3, 3))
    assert providers(engine) == {"P1": "Zonneschijn"}
    run(engine, one_request("nieuw", "01/03/2026", name=""), as_of=date(2026, 3, 4))
    assert providers(engine) == {"P1": "Zonneschijn"}  # a blank name never erases one


def test_a_failure_midway_rolls_everything_back(engine, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr(writing, "_update_answer_dates", boom)  # after every other write
    with pytest.raises(RuntimeError):
        run(engine, csv_bytes())
    assert_untouched(engine)
    assert audit_actions(engine) == []
    monkeypatch.undo()
    assert run(engine, csv_bytes()).ok  # the same file can then be imported


def test_quoted_decimal_comma_in_a_comma_csv_and_blank_lines_above_the_header():
    data = (
        b"\r\n"
        b"aanvraag_id,kind_id,opvang_id,opvang_naam,datum_aanvraag,status,datum_status,dagen_per_week\r\n"
        b'A1,K1,P1,"Zon, vzw",01/03/2026,nieuw,01/03/2026,"2,5"\r\n'
        b"A2,K2,P1,,01/03/2026,nieuw,01/03/2026,9\r\n"
    )
    parsed = parse(data, "export.csv")
    assert [(p.row, p.column, p.value) for p in parsed.problems] == [(4, "dagen_per_week", "9")]
    parsed = parse(data.replace(b",9\r\n", b",1\r\n"), "export.csv")
    assert parsed.problems == []
    assert parsed.frame["opvang_naam"].tolist() == ["Zon, vzw", None]
    assert parsed.frame["dagen_per_week"].tolist() == [2.5, 1.0]


def test_file_level_messages_stay_readable_on_huge_files():
    """1,500 rows with the same id, or a header of huge cells: one short message, not pages of text."""
    header = "aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status\n"
    rows = "".join(f"P1;K{i};KO1;01/10/2026;nieuw;01/10/2026\n" for i in range(1500))
    message = importer.parse((header + rows).encode(), "x.csv").problems[0].message
    assert "P1" in message and "rijen 2, 3, 4, 5, 6 en nog 1495 andere" in message and len(message) < 300
    wide = ";".join("x" * 5000 + str(i) for i in range(50)) + "\n" + ";".join(["v"] * 50) + "\n"
    message = importer.parse(wide.encode(), "y.csv").problems[0].message
    assert "ontbre" in message and len(message) < 1500


def test_a_file_far_larger_than_an_export_is_refused_before_it_stalls_the_app(monkeypatch):
    """A 'zip bomb' of empty rows (an XLSX of a million one-cell rows is a few hundred KB) is refused once the
    reader passes the cap, with one message for the file, instead of being read whole."""
    import io as _io

    from openpyxl import Workbook

    monkeypatch.setattr(caps, "MAX_ROWS", 10)
    header = "aanvraag_id;kind_id;opvang_id;datum_aanvraag;status;datum_status"
    rows = [f"A{i};K{i};P1;01/10/2026;nieuw;01/10/2026" for i in range(11)]
    assert [p.message for p in parse("\n".join([header, *rows[:10]]).encode(), "ok.csv").problems] == []
    too_big = parse("\n".join([header, *rows]).encode(), "groot.csv").problems
    assert [p.message for p in too_big] == ["Het bestand heeft meer dan 10 rijen of 100 kolommen; een export van "
                                            "Opvang.Vlaanderen is veel kleiner. Controleer of u het juiste bestand koos."]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header.split(";"))
    for i in range(50):
        sheet.append([f"A{i}"])
    buffer = _io.BytesIO()
    book.save(buffer)
    assert [p.message for p in parse(buffer.getvalue(), "bom.xlsx").problems] == [too_big[0].message]
