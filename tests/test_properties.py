"""Property-based tests (hypothesis).

The importer, fed valid exports mangled in every way a file can be mangled, never raises and never
half-writes: it imports the file or refuses it with Dutch messages, leaving the tables as they were.
The rules R1-R5, on random request frames and a random 'today', keep their invariants.
"""

import io
import zipfile
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as hs
from openpyxl import Workbook
from sqlalchemy import text

from llko.requests import rules
from llko.requests import statuses as status_codes
from llko.requests.importer import import_file
from llko.requests.queries import parse_dates

AS_OF = date(2026, 11, 1)
TABLES = ("providers", "requests", "status_history", "import_runs")
IMPORT_SETTINGS = settings(
    max_examples=80, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- a valid small export ------------------------------------------------------------------------

HEADER = ["aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "gewenste_startdatum", "status",
          "datum_status", "datum_antwoord", "kwetsbaar_gezin", "dagen_per_week"]
ROWS = [
    ["A1", "K1", "P1", "Kinderdagverblijf Zonneschijn", "01/09/2026", "01/01/2027", "nieuw", "01/09/2026", "", "ja", "3"],
    ["A2", "K2", "P1", "Kinderdagverblijf Zonneschijn", "2026-09-02", "", "Vraag ontvangen", "03/09/2026", "", "nee", "2,5"],
    ["A3", "K2", "P2", "Crèche Pétillant", "02/09/2026", "", "in behandeling", "05/09/2026", "05/09/2026", "", ""],
    ["A4", "K3", "P2", "Crèche Pétillant", "10/09/2026", "", "goedgekeurd", "20/09/2026", "", "1", "5"],
    ["A5", "K4", "P3", "Onthaalouder Marie – Meerbeke", "11/09/2026", "", "opvangplan niet mogelijk", "12/09/2026", "", "0", ""],
    ["A6", "K3", "P3", "Onthaalouder Marie – Meerbeke", "12/09/2026", "", "GEANNULEERD DOOR OUDER", "15/09/2026", "", "", "4"],
    ["A7", "K5", "P1", "", "13/09/2026", "", "geannuleerd door opvang", "30/09/2026", "", "j", "1"],
]


def valid_csv(sep=";", newline="\r\n", encoding="utf-8-sig") -> bytes:
    return (newline.join(sep.join(r) for r in [HEADER, *ROWS]) + newline).encode(encoding)


def valid_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *ROWS]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_state(engine) -> dict[str, list[tuple]]:
    """Every row of the import's tables (they stay small here: the same few ids come back)."""
    with engine.connect() as conn:
        return {t: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))), key=repr) for t in TABLES}


def check_import(engine, data: bytes, name: str = "x.csv"):
    """Import once and check the contract: no exception; ok with exact bookkeeping, or refused with every
    table exactly as it was (counts and rows)."""
    before_rows = table_state(engine)
    result = import_file(engine, data, name, AS_OF, "test")  # must not raise
    after_rows = table_state(engine)
    before = {t: len(rows) for t, rows in before_rows.items()}
    after = {t: len(rows) for t, rows in after_rows.items()}
    assert isinstance(result.ok, bool)
    if result.ok:
        assert result.problems == [] and result.run_id is not None
        assert after["import_runs"] == before["import_runs"] + 1
        assert after["requests"] == before["requests"] + result.rows_new
        assert after["status_history"] == before["status_history"] + result.status_changes
        assert after["providers"] >= before["providers"]
        assert result.rows_total == result.rows_new + result.rows_updated + result.rows_unchanged
    else:
        assert result.run_id is None
        assert len(result.problems) >= 1
        for problem in result.problems:
            assert isinstance(problem.message, str) and problem.message.strip()
        assert after == before, "a refused file changed the table counts"
        assert after_rows == before_rows, "a refused file changed rows"
    return result


def test_the_unmutated_file_imports(engine):
    assert check_import(engine, valid_csv()).ok
    assert check_import(engine, valid_xlsx(), "x.xlsx").ok  # same rows: nothing new, but a run of its own


# --- mutations -----------------------------------------------------------------------------------

ODD_STRINGS = [
    "", " ", '"', '""', '"A1', 'A1"', '"a;b"', '"a,b"', ";", ",", ";;;", ",,,", "\t", "\n", "\r", "\r\n", "\x00",
    "\x01", "\x1b[31m", "\x7f", "\ufeff", "\u200b", "\u00a0", "\u2028", "é", "€", "ß", "İ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "👶🏽", "ﬃ",
    "\ud7ff", "=1+1", "@SUM(A1)", "NaN", "nan", "None", "null", "NULL", "N/A", "-", "0", "-0", "1e309", "inf",
    "0x10", "3,", ",5", "7,0", "7.0000001", "0,5", "31/02/2026", "29/02/2026", "00/00/0000", "01/01/0001",
    "31/12/9999", "2026-13-01", "2026-02-30", "1/1/26", "01-09-2026", "2026/09/01", "  01/09/2026  ",
    "Goedgekeurd ", "in\tbehandeling", "vraag\u00a0ontvangen", "nieuw\nnieuw", "JA", "Nee", "true", "x" * 65,
    "y" * 201, "A1", "K1", "P1",
]
HUGE = hs.builds(lambda chunk, n: (chunk * n)[:n], hs.sampled_from(["x", "é", "€", '"', ";", ",", "\n", "ab;\"cd\r\n"]),
                 hs.integers(1_000, 100_000))
CELL = hs.one_of(hs.sampled_from(ODD_STRINGS), hs.text(max_size=40), HUGE)
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32", "cp437", "mac_roman"]


@hs.composite
def mangled_header(draw, header: list[str]) -> list[str]:
    header = list(header)
    how = draw(hs.sampled_from(["keep", "case", "drop", "duplicate", "rename", "shuffle", "junk", "blank", "alias"]))
    i = draw(hs.integers(0, len(header) - 1))
    if how == "case":
        header = [draw(hs.sampled_from([h.upper(), h.title(), f"  {h}  ", h.replace("_", " "), h.replace("_", "-")]))
                  for h in header]
    elif how == "drop":
        del header[i]
    elif how == "duplicate":
        header.insert(draw(hs.integers(0, len(header))), header[i])
    elif how == "rename":
        header[i] = draw(CELL)
    elif how == "shuffle":
        header = draw(hs.permutations(header))
    elif how == "junk":
        header = [draw(hs.text(max_size=12)) for _ in header]
    elif how == "blank":
        header = [""] * len(header)
    elif how == "alias":
        header[i] = draw(hs.sampled_from(["Aanvraagnummer", "Dossiernummer", "Kind", "Status aanvraag", "Statusdatum",
                                          "Opvang", "ID aanvraag", "ﾠaanvraag_id", "aanvraag id\ufeff"]))
    return header


MUTATIONS = ("rows", "cells", "huge", "width", "header", "layout", "blank", "encoding", "bytes")


@hs.composite
def mutated_csv(draw) -> bytes:
    """The valid export with one to three kinds of damage (stacking all of them would refuse nearly every file)."""
    kinds = draw(hs.sets(hs.sampled_from(MUTATIONS), min_size=1, max_size=3))
    rows = [list(r) for r in ROWS]
    header = list(HEADER)
    sep, newline, encoding = ";", "\r\n", "utf-8-sig"
    if "rows" in kinds:  # rows cut, reordered, repeated (duplicate ids)
        rows = [rows[k] for k in draw(hs.lists(hs.sampled_from(range(len(rows))), max_size=len(rows) + 2))]
    if "cells" in kinds or "huge" in kinds:  # cells replaced by odd strings
        for _ in range(draw(hs.integers(1, 4))):
            if rows:
                r = draw(hs.integers(0, len(rows) - 1))
                c = draw(hs.integers(0, len(HEADER) - 1))
                rows[r][c] = draw(HUGE if "huge" in kinds else CELL)
    if "width" in kinds and rows:  # a row of the wrong width
        r = draw(hs.integers(0, len(rows) - 1))
        rows[r] = (rows[r] + ["extra"] * 3)[:draw(hs.integers(0, len(HEADER) + 3))]
    if "header" in kinds:
        header = draw(mangled_header(HEADER))
    if "layout" in kinds:
        sep = draw(hs.sampled_from([";", ",", "\t", "|"]))
        newline = draw(hs.sampled_from(["\r\n", "\n", "\r"]))
    lines = [sep.join(header), *(sep.join(r) for r in rows)]
    if "blank" in kinds:  # blank lines sprinkled in
        for _ in range(draw(hs.integers(1, 3))):
            lines.insert(draw(hs.integers(0, len(lines))), draw(hs.sampled_from(["", " ", sep * len(HEADER), "\t"])))
    body = newline.join(lines) + draw(hs.sampled_from([newline, ""]))
    if "encoding" in kinds:
        encoding = draw(hs.sampled_from(ENCODINGS))
    data = body.encode(encoding, errors=draw(hs.sampled_from(["replace", "ignore"])))
    if "bytes" in kinds:
        damage = draw(hs.sampled_from(["truncate", "insert", "flip", "prefix"]))
        if damage == "truncate":
            data = data[:draw(hs.integers(0, len(data)))]
        elif damage == "insert":
            at = draw(hs.integers(0, len(data)))
            data = data[:at] + draw(hs.binary(min_size=1, max_size=16)) + data[at:]
        elif damage == "flip" and data:
            at = draw(hs.integers(0, len(data) - 1))
            data = data[:at] + bytes([data[at] ^ draw(hs.integers(1, 255))]) + data[at + 1:]
        elif damage == "prefix":
            data = draw(hs.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\r\n\r\n"])) + data
    return data


@IMPORT_SETTINGS
@given(data=mutated_csv())
def test_importer_on_mutated_csv_imports_or_refuses_cleanly(engine, data):
    check_import(engine, data)


@settings(IMPORT_SETTINGS, max_examples=60)
@given(data=hs.binary(max_size=2048))
def test_importer_on_random_bytes_imports_or_refuses_cleanly(engine, data):
    check_import(engine, data)


@settings(IMPORT_SETTINGS, max_examples=50)
@given(cut=hs.integers(0, 10**9))
def test_importer_on_truncated_csv_imports_or_refuses_cleanly(engine, cut):
    data = valid_csv()
    check_import(engine, data[:cut % (len(data) + 1)])


XLSX = valid_xlsx()


@settings(IMPORT_SETTINGS, max_examples=40)
@given(damage=hs.sampled_from(["truncate", "flip", "insert"]), at=hs.integers(0, len(XLSX) - 1),
       junk=hs.binary(min_size=1, max_size=64))
def test_importer_on_damaged_xlsx_imports_or_refuses_cleanly(engine, damage, at, junk):
    if damage == "truncate":
        data = XLSX[:at]
    elif damage == "flip":
        data = XLSX[:at] + bytes([XLSX[at] ^ (junk[0] or 1)]) + XLSX[at + 1:]
    else:
        data = XLSX[:at] + junk + XLSX[at:]
    check_import(engine, data, "x.xlsx")


def test_a_zip_that_is_no_workbook_is_refused(engine):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<kapot")
    assert not check_import(engine, out.getvalue(), "x.xlsx").ok


# --- rules ---------------------------------------------------------------------------------------

DAYS_2026 = hs.dates(date(2026, 1, 1), date(2026, 12, 31))
RULE_SETTINGS = settings(max_examples=150, deadline=None)


@hs.composite
def request_frames(draw) -> pd.DataFrame:
    """A requests frame as llko.requests.queries gives it: ISO date strings parsed to datetime64 (NaT = no answer)."""
    children = [f"k{i}" for i in range(draw(hs.integers(1, 5)))]
    providers = [f"p{i}" for i in range(draw(hs.integers(1, 4)))]
    rows = []
    for i in range(draw(hs.integers(0, 25))):
        received = draw(DAYS_2026)
        status = draw(hs.sampled_from(status_codes.ALL))
        status_date = received + timedelta(days=draw(hs.integers(0, 90)))
        answer = draw(hs.none() | hs.integers(0, 90).map(lambda d, r=received: r + timedelta(days=d)))
        rows.append({
            "id": f"a{i}", "child_id": draw(hs.sampled_from(children)), "provider_id": draw(hs.sampled_from(providers)),
            "received": received.isoformat(), "status": status, "status_date": status_date.isoformat(),
            "answer_date": answer.isoformat() if answer else None,
        })
    frame = pd.DataFrame(rows, columns=["id", "child_id", "provider_id", "received", "status", "status_date",
                                        "answer_date"])
    return parse_dates(frame, ["received", "status_date", "answer_date"])


TODAY = hs.dates(date(2025, 12, 1), date(2027, 4, 30))


def check_requests(c) -> None:
    """Per request: R1/R3 partition, R2 flags consistent, R3 closes the other requests of an approved child."""
    closed_status = c["status"].isin(status_codes.CLOSED)
    # every request is exactly one of: open, closed by an approval elsewhere, in an end status
    assert ((c["is_open"].astype(int) + c["closed_elsewhere"].astype(int) + closed_status.astype(int)) == 1).all()
    assert not (c["answered_in_time"] & ~c["answered"]).any()
    assert not (c["overdue"] & ~c["is_open"]).any()
    assert not (c["overdue"] & c["due_soon"]).any()
    assert not (c["due_soon"] & ~c["is_open"]).any()
    approved = set(c.loc[c["status"] == status_codes.APPROVED, "child_id"])
    assert not c.loc[c["child_id"].isin(approved), "is_open"].any()


def check_counts(frame, counts) -> None:
    """Per provider: open + closed elsewhere + end statuses = total; in time <= answered; overdue <= open."""
    assert list(counts.columns) == list(rules.COUNT_KEYS)
    assert set(counts.index) == set(frame["provider_id"])
    total = frame.groupby("provider_id").size()
    end_status = frame.assign(end=frame["status"].isin(status_codes.CLOSED)).groupby("provider_id")["end"].sum()
    for provider, row in counts.iterrows():
        assert row["open"] + row["closed_elsewhere_approved"] + end_status[provider] == total[provider]
        assert 0 <= row["answered_in_time"] <= row["answered"]
        assert 0 <= row["overdue"] <= row["open"]


def check_unmet(frame, unmet) -> None:
    """R5 word for word: all requests closed, at least one 'opvangplan niet mogelijk', none approved."""
    by_child = frame.groupby("child_id")["status"].agg(set) if len(frame) else pd.Series(dtype=object)
    assert unmet <= set(by_child.index)
    for child, statuses in by_child.items():
        expected = status_codes.NOT_POSSIBLE in statuses and status_codes.APPROVED not in statuses and not statuses & set(status_codes.OPEN)
        assert (child in unmet) == expected, (child, statuses)
    for child in unmet:
        statuses = by_child[child]
        assert status_codes.APPROVED not in statuses and not statuses & set(status_codes.OPEN) and status_codes.NOT_POSSIBLE in statuses


@RULE_SETTINGS
@given(frame=request_frames(), today=TODAY)
def test_rule_invariants(frame, today):
    columns = list(frame.columns)
    c = rules.classify(frame, today)
    assert len(c) == len(frame) and list(frame.columns) == columns  # the input is left alone
    check_requests(c)
    check_counts(frame, rules.provider_counts(c))
    check_unmet(frame, set(rules.children_unmet(frame)))
    rate = rules.in_time_rate(c, today)
    assert rate is None or 0.0 <= rate <= 1.0
    todo = rules.followups(c, today)
    assert todo["is_open"].all() and (todo["status"] == status_codes.IN_PROGRESS).all()
    assert (todo["reminder_date"] <= pd.Timestamp(today)).all()
    assert set(todo["todo"]) <= {"herinnering", "afsluiten"}


@settings(RULE_SETTINGS, max_examples=60)
@given(frame=request_frames(), today=TODAY, data=hs.data())
def test_classify_on_a_subset_with_approved_children_from_outside_agrees(frame, today, data):
    """A provider's page classifies only its own rows, passing the children approved anywhere (R3)."""
    assume(len(frame) > 0)
    provider = data.draw(hs.sampled_from(sorted(set(frame["provider_id"]))))
    whole = rules.classify(frame, today)
    approved = frame.loc[frame["status"] == status_codes.APPROVED, "child_id"].unique()
    part = rules.classify(frame[frame["provider_id"] == provider], today, approved_children=approved)
    flags = ["closed_elsewhere", "is_open", "answered", "answered_in_time", "overdue", "due_soon"]
    pd.testing.assert_frame_equal(part[flags], whole.loc[whole["provider_id"] == provider, flags])
