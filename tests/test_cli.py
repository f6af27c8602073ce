"""The command line `python -m llko` as a real subprocess, on SQLite and (when configured) PostgreSQL.

The report is checked against a small town written by hand below; the expected figures are worked
out by hand from shared/DESIGN.md (R1-R5 and the report contract), not with llko code. The report's contract and
table are also checked in-process (build_report, format_table), where mutation testing sees them.
"""

import json
import subprocess
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session

from llko.accounts.auth import check_password, user_info
from llko.db import make_engine
from llko.providers.models import Provider
from llko.reporting.report import build_report, format_table
from llko.requests.importer import import_file
from tests.helpers import ZONNETJE_EXPORT, cli

CONTRACT_KEYS = {
    "open", "overdue", "answered", "answered_in_time", "not_possible", "approved",
    "cancelled_by_provider", "closed_elsewhere_approved",
}
TOTAL_KEYS = CONTRACT_KEYS | {"children_unmet"}


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


def report(db_url: str, as_of: str) -> dict:
    return json.loads(ok(cli(db_url, "report", "--as-of", as_of, "--json")).stdout)


def write_csv(path, header, rows, sep=";") -> None:
    """A CSV as Excel writes it in Belgium ('CSV UTF-8': semicolons, BOM, CRLF)."""
    lines = [sep.join(header), *(sep.join(r) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


# --- the hand-built town -------------------------------------------------------------------------
#
# "Today" for the report is 01/04/2026. Deadline = received + 14 days (R2); overdue when there is no
# answer and today > deadline. Answer = first of in behandeling / opvangplan niet mogelijk /
# goedgekeurd / geannuleerd door opvang, or datum_antwoord when the file gives one.

TODAY = "2026-04-01"
P1, P2, P3, P4 = "OV-100001", "OV-100002", "OV-100003", "OV-100004"
NAMES = {
    P1: "Kinderdagverblijf Zonnebloem",
    P2: "Crèche De Speelvogel",
    P3: "Onthaalouder Els",
    P4: "Kinderopvang Het Nest",
}
HEADER = ("aanvraag_id", "kind_id", "opvang_id", "opvang_naam", "datum_aanvraag", "status", "datum_status",
          "datum_antwoord")
TOWN = [
    # R01 P1 K01: received 01/03, deadline 15/03; in behandeling on 15/03 = day 14 -> answered in time; open.
    ("R01", "K01", P1, "01/03/2026", "in behandeling", "15/03/2026", ""),
    # R02 P1 K02: received 01/03, deadline 15/03; in behandeling on 16/03 = day 15 -> answered late; open.
    ("R02", "K02", P1, "01/03/2026", "in behandeling", "16/03/2026", ""),
    # R03 P1 K03: only "vraag ontvangen" (no answer), deadline 15/03 < 01/04 -> open and overdue.
    ("R03", "K03", P1, "01/03/2026", "vraag ontvangen", "02/03/2026", ""),
    # R04 P2 K04: fresh "nieuw", deadline 08/04 >= 01/04 -> open, not overdue.
    ("R04", "K04", P2, "25/03/2026", "nieuw", "25/03/2026", ""),
    # R05 P2 K05: approved 20/03, but datum_antwoord 10/03 <= deadline 16/03 -> approved, answered in time.
    ("R05", "K05", P2, "02/03/2026", "goedgekeurd", "20/03/2026", "10/03/2026"),
    # R06 P1 K05: "vraag ontvangen" past its deadline 16/03, but K05 is approved elsewhere (R3):
    #             closed_elsewhere_approved; not open, not overdue, not answered.
    ("R06", "K05", P1, "02/03/2026", "vraag ontvangen", "03/03/2026", ""),
    # R07 P3 K05: in behandeling 10/03 <= deadline 18/03 -> answered in time; K05 approved elsewhere (R3):
    #             closed_elsewhere_approved, not open.
    ("R07", "K05", P3, "04/03/2026", "in behandeling", "10/03/2026", ""),
    # R08 P3 K06: opvangplan niet mogelijk 12/03 <= deadline 19/03 -> not_possible, answered in time.
    ("R08", "K06", P3, "05/03/2026", "opvangplan niet mogelijk", "12/03/2026", ""),
    # R09 P4 K06: geannuleerd door ouder -> closed, no answer. K06: all closed, one not possible,
    #             none approved -> unmet need (R5).
    ("R09", "K06", P4, "05/03/2026", "geannuleerd door ouder", "08/03/2026", ""),
    # R10 P4 K07: opvangplan niet mogelijk 25/03 > deadline 20/03 -> not_possible, answered late.
    ("R10", "K07", P4, "06/03/2026", "opvangplan niet mogelijk", "25/03/2026", ""),
    # R11 P2 K07: vraag ontvangen, deadline 20/03 -> open and overdue. K07 still has this open request,
    #             so K07 is NOT unmet despite R10.
    ("R11", "K07", P2, "06/03/2026", "vraag ontvangen", "07/03/2026", ""),
    # R12 P2 K08: geannuleerd door opvang 30/03 > deadline 23/03 -> cancelled_by_provider, answered late.
    ("R12", "K08", P2, "09/03/2026", "geannuleerd door opvang", "30/03/2026", ""),
    # R13 P3 K08: geannuleerd door ouder -> no answer. K08 has only cancellations -> NOT unmet (R5).
    ("R13", "K08", P3, "09/03/2026", "geannuleerd door ouder", "12/03/2026", ""),
    # R14 P1 K09: opvangplan niet mogelijk 20/03 <= deadline 24/03 -> not_possible, answered in time.
    #             K09's only request -> unmet need (R5).
    ("R14", "K09", P1, "10/03/2026", "opvangplan niet mogelijk", "20/03/2026", ""),
    # R15 P3 K10: geannuleerd door opvang 15/03 <= deadline 24/03 -> cancelled_by_provider, answered in
    #             time. K10's only closure is a cancellation -> NOT unmet.
    ("R15", "K10", P3, "10/03/2026", "geannuleerd door opvang", "15/03/2026", ""),
    # R16 P4 K11: vraag ontvangen, deadline 03/04 (2 days left: due soon) -> open, not overdue.
    ("R16", "K11", P4, "20/03/2026", "vraag ontvangen", "21/03/2026", ""),
    # R17 P4 K12: nieuw, deadline 01/04 = today -> open, not yet overdue.
    ("R17", "K12", P4, "18/03/2026", "nieuw", "18/03/2026", ""),
    # R18 P1 K12: nieuw, deadline 31/03 < today -> open and overdue.
    ("R18", "K12", P1, "17/03/2026", "nieuw", "17/03/2026", ""),
    # R19 P2 K13: goedgekeurd 12/03 <= deadline 16/03 (no datum_antwoord) -> approved, answered in time.
    ("R19", "K13", P2, "02/03/2026", "goedgekeurd", "12/03/2026", ""),
    # R20 P4 K13: opvangplan niet mogelijk 10/03 <= 16/03 -> not_possible, answered in time; already closed,
    #             so not closed by the approval elsewhere. K13 approved -> NOT unmet.
    ("R20", "K13", P4, "02/03/2026", "opvangplan niet mogelijk", "10/03/2026", ""),
    # R21 P3 K14: geannuleerd door ouder 28/03, datum_antwoord 20/03 <= deadline 25/03 -> answered in time,
    #             none of the counted end statuses. K14 only cancelled -> NOT unmet.
    ("R21", "K14", P3, "11/03/2026", "geannuleerd door ouder", "28/03/2026", "20/03/2026"),
]
EXPECTED_PROVIDERS = {
    # open: R01 R02 R03 R18; overdue: R03 R18; answered: R01 R02 R14; in time: R01 R14; closed elsewhere: R06
    P1: {"open": 4, "overdue": 2, "answered": 3, "answered_in_time": 2, "not_possible": 1, "approved": 0,
         "cancelled_by_provider": 0, "closed_elsewhere_approved": 1},
    # open: R04 R11; overdue: R11; answered: R05 R12 R19; in time: R05 R19; approved: R05 R19; cancelled: R12
    P2: {"open": 2, "overdue": 1, "answered": 3, "answered_in_time": 2, "not_possible": 0, "approved": 2,
         "cancelled_by_provider": 1, "closed_elsewhere_approved": 0},
    # answered (all in time): R07 R08 R15 R21; not possible: R08; cancelled: R15; closed elsewhere: R07
    P3: {"open": 0, "overdue": 0, "answered": 4, "answered_in_time": 4, "not_possible": 1, "approved": 0,
         "cancelled_by_provider": 1, "closed_elsewhere_approved": 1},
    # open: R16 R17; answered: R10 R20; in time: R20; not possible: R10 R20
    P4: {"open": 2, "overdue": 0, "answered": 2, "answered_in_time": 1, "not_possible": 2, "approved": 0,
         "cancelled_by_provider": 0, "closed_elsewhere_approved": 0},
}
EXPECTED_TOTALS = {
    "open": 8, "overdue": 3, "answered": 12, "answered_in_time": 9, "not_possible": 4, "approved": 2,
    "cancelled_by_provider": 2, "closed_elsewhere_approved": 2,
    "children_unmet": 2,  # K06 and K09
}


@pytest.fixture
def town(db_url, tmp_path):
    path = tmp_path / "opvangvragen_ninove.csv"
    write_csv(path, HEADER, [(a, k, p, NAMES[p], *rest) for a, k, p, *rest in TOWN])
    result = ok(cli(db_url, "import", str(path), "--as-of", TODAY))
    assert f"{len(TOWN)} rijen, {len(TOWN)} nieuw" in result.stdout
    return db_url


def test_report_json_follows_the_contract_on_a_hand_built_town(town):
    rep = report(town, "01/04/2026")
    assert set(rep) == {"as_of", "providers", "totals"}
    assert rep["as_of"] == TODAY
    assert set(rep["providers"]) == {P1, P2, P3, P4}
    for pid, counts in rep["providers"].items():
        assert set(counts) == CONTRACT_KEYS, pid
    assert set(rep["totals"]) == TOTAL_KEYS
    assert rep["providers"] == EXPECTED_PROVIDERS
    assert rep["totals"] == EXPECTED_TOTALS


def test_report_on_an_earlier_day_has_fewer_overdue(town):
    # On 20/03: overdue = no answer and deadline < 20/03: R03 (15/03) only; R06 is closed elsewhere,
    # R11 has deadline 20/03 (not yet late), R18 31/03. Answers are dates in the data, so unchanged.
    rep = report(town, "2026-03-20")
    assert rep["as_of"] == "2026-03-20"
    assert {pid: c["overdue"] for pid, c in rep["providers"].items()} == {P1: 1, P2: 0, P3: 0, P4: 0}
    assert rep["totals"]["answered"] == 12 and rep["totals"]["children_unmet"] == 2


def test_report_table_is_readable(town):
    out = ok(cli(town, "report", "--as-of", TODAY)).stdout
    assert "Rapport op 01/04/2026" in out
    lines = out.splitlines()
    for pid, name in NAMES.items():
        line = next(line for line in lines if line.startswith(pid))
        assert name in line
        # the provider's figures, in contract order, at the end of its line
        assert line.split()[-8:] == [str(EXPECTED_PROVIDERS[pid][k]) for k in (
            "open", "overdue", "answered", "answered_in_time", "not_possible", "approved",
            "cancelled_by_provider", "closed_elsewhere_approved")]
    total = next(line for line in lines if line.startswith("TOTAAL"))
    assert total.split()[1:] == ["8", "3", "12", "9", "4", "2", "2", "2"]
    assert "onvervulde opvangnood (R5): 2" in out


# --- the report in-process (llko.reporting.report) ----------------------------------------------------------------

# T = 02/11/2026, deadline = received + 14 days; the town is ZONNETJE_EXPORT (tests/helpers.py):
#   R1 P1 K1 received 01/10, approved and answered 10/10 (deadline 15/10): answered, in time, approved, closed.
#   R2 P1 K2 received 25/10, nieuw: open, deadline 08/11, not overdue.
# P9 is a provider without any request (added by hand): it is in the report with zeros.
T = date(2026, 11, 2)
P1_COUNTS = {"open": 1, "overdue": 0, "answered": 1, "answered_in_time": 1, "not_possible": 0, "approved": 1,
             "cancelled_by_provider": 0, "closed_elsewhere_approved": 0}
ZEROS = dict.fromkeys(P1_COUNTS, 0)


def test_the_report_lists_a_provider_without_requests_with_zeros_as_whole_numbers(engine):
    """Kills build_report 12-15 and 23 (the provider missing, or not zeros) and 26 (3.0 instead of 3 in --json)."""
    assert import_file(engine, ZONNETJE_EXPORT.encode(), "r.csv", T, "test").ok
    with Session(engine) as session:
        session.add(Provider(id="P9", name="Leeg"))
        session.commit()
    report = build_report(engine, T)
    assert report == {"as_of": "2026-11-02", "providers": {"P1": P1_COUNTS, "P9": ZEROS},
                      "totals": {**P1_COUNTS, "children_unmet": 0}}
    assert json.dumps(report["providers"]["P9"]) == (
        '{"open": 0, "overdue": 0, "answered": 0, "answered_in_time": 0, "not_possible": 0, "approved": 0, '
        '"cancelled_by_provider": 0, "closed_elsewhere_approved": 0}')
    assert json.dumps(report["totals"]).startswith('{"open": 1, "overdue": 0, "answered": 1,')


def test_the_printed_report_by_hand():
    """The CLI's table (python -m llko report without --json), which mutmut sees only in the CLI's subprocess:
    the day as dd/mm/jjjj, a row per provider id with its name (sorted by id), numbers right-aligned under
    their headers, the total row and R5. Kills the format_table mutants."""
    counts = {"open": 12, "overdue": 3, "answered": 5, "answered_in_time": 4, "not_possible": 1, "approved": 2,
              "cancelled_by_provider": 0, "closed_elsewhere_approved": 1}
    report = {
        "as_of": "2026-11-02",
        "providers": {"P2": {**ZEROS, "answered": 1, "answered_in_time": 1, "approved": 1}, "P1": counts},
        "totals": {**counts, "answered": 6, "answered_in_time": 5, "approved": 3, "children_unmet": 2},
    }
    header = ("opvang       open  overdue  answered  answered_in_time  not_possible  approved  "
              "cancelled_by_provider  closed_elsewhere_approved")
    assert format_table(report, {"P1": "Zonnetje"}).split("\n") == [
        "Rapport op 02/11/2026",
        header,
        "P1 Zonnetje    12        3         5                 4             1         2"
        "                      0                          1",
        "P2              0        0         1                 1             0         1"
        "                      0                          0",
        "TOTAAL         12        3         6                 5             1         3"
        "                      0                          1",
        "Kinderen met onvervulde opvangnood (R5): 2",
    ]
    assert format_table(report).split("\n")[2].startswith("P1        12")  # no names: the id alone


def test_answer_dates_come_from_the_history_of_two_snapshots(db_url, tmp_path):
    header = ("aanvraag_id", "kind_id", "opvang_id", "datum_aanvraag", "status", "datum_status")  # no datum_antwoord
    first, second = tmp_path / "export_12_03.csv", tmp_path / "export_20_03.csv"
    # All received 01/03/2026: deadline 15/03/2026.
    write_csv(first, header, [
        ("H1", "K1", P1, "01/03/2026", "vraag ontvangen", "02/03/2026"),
        ("H2", "K2", P1, "01/03/2026", "vraag ontvangen", "02/03/2026"),
        ("H3", "K3", P1, "01/03/2026", "in behandeling", "10/03/2026"),
        ("H4", "K4", P1, "01/03/2026", "vraag ontvangen", "02/03/2026"),
    ], sep=",")
    write_csv(second, header, [
        ("H1", "K1", P1, "01/03/2026", "in behandeling", "15/03/2026"),  # answer on day 14: in time
        ("H2", "K2", P1, "01/03/2026", "in behandeling", "16/03/2026"),  # answer on day 15: late
        ("H3", "K3", P1, "01/03/2026", "goedgekeurd", "18/03/2026"),  # answered 10/03 (first snapshot): in time
        ("H4", "K4", P1, "01/03/2026", "vraag ontvangen", "02/03/2026"),  # still no answer: overdue on 20/03
    ], sep=",")
    ok(cli(db_url, "import", str(first), "--as-of", "2026-03-12"))
    # After the first snapshot only H3 has an answer; nothing is late yet on 12/03.
    assert report(db_url, "2026-03-12")["providers"][P1] == {
        "open": 4, "overdue": 0, "answered": 1, "answered_in_time": 1, "not_possible": 0, "approved": 0,
        "cancelled_by_provider": 0, "closed_elsewhere_approved": 0}
    ok(cli(db_url, "import", str(second), "--as-of", "20/03/2026"))  # dd/mm/jjjj works too)
    assert report(db_url, "2026-03-20")["providers"][P1] == {
        "open": 3, "overdue": 1, "answered": 3, "answered_in_time": 2, "not_possible": 0, "approved": 1,
        "cancelled_by_provider": 0, "closed_elsewhere_approved": 0}


def test_a_bad_file_is_refused_with_a_message_per_row_and_nothing_is_written(db_url, tmp_path):
    path = tmp_path / "fout.csv"
    write_csv(path, HEADER, [
        ("A1", "K1", P1, "Zon", "01/03/2026", "nieuw", "01/03/2026", ""),  # row 2: good
        ("A2", "K2", P1, "Zon", "31/02/2026", "nieuw", "01/03/2026", ""),  # row 3: no such date
        ("A3", "K3", P2, "Maan", "01/03/2026", "wachtlijst", "01/03/2026", ""),  # row 4: unknown status
        ("A4", "", P2, "Maan", "01/03/2026", "nieuw", "01/03/2026", ""),  # row 5: kind_id missing
    ])
    result = cli(db_url, "import", str(path), "--as-of", TODAY)
    assert result.returncode == 1
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert err[0] == "Bestand fout.csv geweigerd; er is niets gewijzigd:"
    assert err[1] == "- Rij 3, kolom datum_aanvraag: '31/02/2026' is ongeldig — verwacht een datum dd/mm/jjjj, dd/mm/jj of jjjj-mm-dd."
    assert err[2].startswith("- Rij 4, kolom status: 'wachtlijst' is ongeldig — verwacht een status van Opvang.Vlaanderen")
    assert err[3] == "- Rij 5, kolom kind_id: leeg — verwacht een waarde (verplichte kolom)."
    assert len(err) == 4
    rep = report(db_url, TODAY)
    assert rep["providers"] == {}
    assert rep["totals"] == {k: 0 for k in TOTAL_KEYS}


def test_a_missing_file_exits_2(db_url, tmp_path):
    result = cli(db_url, "import", str(tmp_path / "bestaat_niet.csv"), "--as-of", TODAY)
    assert result.returncode == 2
    assert "Kan " in result.stderr and "bestaat_niet.csv niet lezen" in result.stderr
    assert report(db_url, TODAY)["totals"] == {k: 0 for k in TOTAL_KEYS}


def test_a_bad_date_argument_is_refused_in_dutch(db_url):
    result = cli(db_url, "report", "--as-of", "1 april")
    assert result.returncode == 2
    assert "ongeldige datum '1 april'" in result.stderr


# --- accounts ------------------------------------------------------------------------------------


def test_create_user_reads_the_password_from_stdin(db_url):
    password = "lang-genoeg-wachtwoord"
    result = ok(cli(db_url, "create-user", "An.Coordinator", "--name", "An Coördinator", "--role", "coordinator",
                    stdin=password + "\n"))
    assert "Account 'an.coordinator' aangemaakt (coordinator)." in result.stdout
    engine = make_engine(db_url)
    try:
        info = user_info(engine, "an.coordinator")
        assert info is not None and (info.role, info.name) == ("coordinator", "An Coördinator")
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT password_hash FROM users WHERE username = 'an.coordinator'")).scalar()
        assert check_password(password, stored) and not check_password(password + "\n", stored)
    finally:
        engine.dispose()


def assert_no_account(db_url: str, username: str) -> None:
    engine = make_engine(db_url)
    try:
        assert user_info(engine, username) is None
    finally:
        engine.dispose()


def test_create_user_refuses_a_short_password(db_url):
    result = cli(db_url, "create-user", "kort", "--name", "Kort", "--role", "coordinator", stdin="kort123\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "Het wachtwoord moet minstens 12 tekens lang zijn."
    assert_no_account(db_url, "kort")


def test_create_user_refuses_a_provider_account_without_provider(db_url):
    result = cli(db_url, "create-user", "opvang", "--name", "Opvang", "--role", "provider",
                 stdin="lang-genoeg-wachtwoord\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "Koppel een account van een opvanginitiatief aan minstens één opvang."
    assert_no_account(db_url, "opvang")


def test_create_user_links_a_provider_account(town):
    ok(cli(town, "create-user", "zonnebloem", "--name", "Zonnebloem", "--role", "provider", "--provider", P1,
           "--provider", P3, stdin="lang-genoeg-wachtwoord\n"))
    engine = make_engine(town)
    try:
        info = user_info(engine, "zonnebloem")
        assert (info.role, info.provider_ids) == ("provider", (P1, P3))
    finally:
        engine.dispose()


def test_create_user_refuses_an_unknown_provider_in_dutch(db_url):
    result = cli(db_url, "create-user", "onbekend", "--name", "Onbekend", "--role", "provider",
                 "--provider", "OV-999999", stdin="lang-genoeg-wachtwoord\n")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "OV-999999" in result.stderr
    assert_no_account(db_url, "onbekend")


# --- demo ----------------------------------------------------------------------------------------


def test_demo_fills_an_empty_database_and_refuses_a_second_time(db_url):
    result = ok(cli(db_url, "demo", "--today", "2026-11-02"))
    assert result.stdout.startswith("Demostad gebouwd")
    rep = report(db_url, "2026-11-02")
    assert len(rep["providers"]) == 15
    assert rep["totals"]["open"] > 0 and rep["totals"]["overdue"] > 0 and rep["totals"]["answered"] > 0
    again = cli(db_url, "demo", "--today", "2026-11-02")
    assert again.returncode == 1
    assert "De databank is niet leeg" in again.stderr
    assert report(db_url, "2026-11-02") == rep


def test_demo_refuses_a_database_with_imported_requests(town):
    before = report(town, TODAY)
    result = cli(town, "demo")
    assert result.returncode == 1
    assert "De databank is niet leeg" in result.stderr
    assert report(town, TODAY) == before
