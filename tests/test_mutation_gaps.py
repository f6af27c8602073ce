"""Tests for what mutation testing (scripts/mutation.sh) showed no other test checks.

Each test names the mutants it kills; every expected value is worked out by hand and written literally.
"""

import io
import json
from datetime import date, datetime, timedelta, timezone

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sqlmodel import Session

from llko import audit, bootstrap
from llko.accounts import auth, sessions
from llko.db import make_engine
from llko.providers.models import Provider
from llko.reporting import export
from llko.reporting.report import build_report, format_table
from llko.requests import overview, rules, statuses
from llko.requests.importer import import_file
from llko.requests.queries import EVERYTHING, Selection
from llko.settings import DEFAULTS, Settings

T = date(2026, 11, 2)
BOM = b"\xef\xbb\xbf"


def sheet_of(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return book[book.sheetnames[0]]


# --- Downloads (llko.reporting.export) -----------------------------------------------------------------------

def test_a_moment_keeps_its_time_in_csv_and_excel():
    """A naive timestamp with a time (an import moment) stays a moment: dd/mm/jjjj hh:mm in the CSV, a real
    date-time in Excel with that format. Midnight is a plain date. Kills _cells 11, _csv_text 9-12,
    to_xlsx 40-45 and 80-87."""
    frame = pd.DataFrame({"Wanneer": pd.to_datetime(["2026-11-02 14:05", "2026-11-03 00:00"])})
    assert export.to_csv(frame) == BOM + b"Wanneer\r\n02/11/2026 14:05\r\n03/11/2026\r\n"
    sheet = sheet_of(export.to_xlsx(frame, "Imports"))
    assert sheet["A2"].value == datetime(2026, 11, 2, 14, 5)
    assert sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A3"].value == datetime(2026, 11, 3) and sheet["A3"].number_format == "dd/mm/yyyy"


def test_no_is_nee_in_excel_too():
    """A False cell reads 'nee' in Excel, as in the CSV. Kills to_xlsx 69, 72, 73."""
    frame = pd.DataFrame({"Actief": [True, False]})
    sheet = sheet_of(export.to_xlsx(frame, "Gebruikers"))
    assert [sheet["A2"].value, sheet["A3"].value] == ["ja", "nee"]


def test_excel_header_is_bold_and_every_column_has_a_filter():
    """The header row is bold and carries the filter buttons over every column and every row.
    Kills to_xlsx 22, 23, 26, 51, 55, 158, 159, 165, 166."""
    frame = pd.DataFrame({"Aanvraag": ["A1", "A2"], "Opvang": ["P1", "P2"], "Dagen te laat": [3, 0]})
    sheet = sheet_of(export.to_xlsx(frame, "Aanvragen"))
    assert [sheet[c].font.b for c in ("A1", "B1", "C1")] == [True, True, True]
    assert not sheet["A2"].font.b
    assert sheet.auto_filter.ref == "A1:C3"


def test_an_empty_table_downloads_as_its_header():
    """No rows: the CSV still has the header line, the Excel file the header row. Kills to_csv 9-11; the exact
    bytes (Windows line ends, as Excel writes them) kill to_csv 15 and 18."""
    frame = pd.DataFrame({"Aanvraag": pd.Series([], dtype=object), "Ontvangen": pd.Series([], dtype="datetime64[ns]")})
    assert export.to_csv(frame) == BOM + b"Aanvraag;Ontvangen\r\n"
    sheet = sheet_of(export.to_xlsx(frame, "Aanvragen"))
    assert [c.value for c in sheet[1]] == ["Aanvraag", "Ontvangen"] and sheet.max_row == 1


def test_a_sheet_title_of_forbidden_characters_becomes_gegevens():
    """Excel refuses an empty sheet name: a title with only [ ] : * ? / \\ becomes 'Gegevens'.
    Kills sheet_name 3-5."""
    assert export.sheet_name("[]:*?/\\") == "Gegevens"
    assert export.sheet_name("") == "Gegevens"
    assert sheet_of(export.to_xlsx(pd.DataFrame({"a": [1]}), "??")).title == "Gegevens"


def test_numbers_in_a_mixed_column_stay_numbers_in_excel():
    """A table column that mixes numbers with a dash for 'nothing' holds numpy numbers as objects; Excel gets
    them as numbers, the dash as text. Kills _cells 16, 20-23."""
    frame = pd.DataFrame({"Dagen": pd.Series([np.int64(3), np.float64(2.5), "–"], dtype=object)})
    sheet = sheet_of(export.to_xlsx(frame, "Cijfers"))
    assert [sheet["A2"].value, sheet["A3"].value, sheet["A4"].value] == [3, 2.5, "–"]
    assert sheet["A2"].data_type == "n"


# --- The report (llko.reporting.report) -------------------------------------------------------------------------

# T = 02/11/2026, deadline = received + 14 days.
#   R1 P1 K1 received 01/10, approved and answered 10/10 (deadline 15/10): answered, in time, approved, closed.
#   R2 P1 K2 received 25/10, nieuw: open, deadline 08/11, not overdue.
# P9 is a provider without any request (added by hand): it is in the report with zeros.
REPORT_FILE = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord
R1;K1;P1;Zonnetje;01/10/2026;goedgekeurd;10/10/2026;10/10/2026
R2;K2;P1;Zonnetje;25/10/2026;nieuw;25/10/2026;
"""
P1 = {"open": 1, "overdue": 0, "answered": 1, "answered_in_time": 1, "not_possible": 0, "approved": 1,
      "cancelled_by_provider": 0, "closed_elsewhere_approved": 0}
ZEROS = dict.fromkeys(P1, 0)


def test_the_report_lists_a_provider_without_requests_with_zeros_as_whole_numbers(engine):
    """Kills build_report 12-15 and 23 (the provider missing, or not zeros) and 26 (3.0 instead of 3 in --json)."""
    assert import_file(engine, REPORT_FILE.encode(), "r.csv", T, "test").ok
    with Session(engine) as session:
        session.add(Provider(id="P9", name="Leeg"))
        session.commit()
    report = build_report(engine, T)
    assert report == {"as_of": "2026-11-02", "providers": {"P1": P1, "P9": ZEROS}, "totals": {**P1, "children_unmet": 0}}
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


# --- The figures of the pages (llko.requests.overview) -----------------------------------------------------------

# T = 02/11/2026; window of the in-time share: deadlines in (04/08, 02/11].
#               received  status / answer          deadline 14 d (default)        deadline 7 d
#   S1 P1 K1    20/10     nieuw                     03/11: due soon (1 left)       27/10: overdue, 6 late
#   S2 P1 K2    28/10     nieuw                     11/11: waiting (9 left)        04/11: due soon (2 left)
#   S3 P1 K3    01/10     goedgekeurd, 12/10        15/10: in time                 08/10: late
#   S4 P2 K4    01/10     niet mogelijk, 10/10      15/10: in time                 08/10: late
#   P9 has no request.
# Default: P1 share 1/1 (S3; S1's deadline is still to come), P2 1/1 (one request: the share is not blank),
# everyone 2/2. With 7 days: P1 0/2 (S3 late, S1 overdue), P2 0/1, everyone 0/3. R5: K4 (niet mogelijk only).
OVERVIEW_FILE = """aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;status;datum_status;datum_antwoord
S1;K1;P1;Zonnetje;20/10/2026;nieuw;20/10/2026;
S2;K2;P1;Zonnetje;28/10/2026;nieuw;28/10/2026;
S3;K3;P1;Zonnetje;01/10/2026;goedgekeurd;12/10/2026;12/10/2026
S4;K4;P2;Het Nest;01/10/2026;opvangplan niet mogelijk;10/10/2026;10/10/2026
"""
SEVEN_DAYS = Settings(deadline_days=7)
PER_PROVIDER_COLUMNS = ["provider_id", "name", "open", "overdue", "due_soon", "answered", "answered_in_time",
                        "not_possible", "approved", "total", "in_time_share"]


def overview_town(engine):
    assert import_file(engine, OVERVIEW_FILE.encode(), "o.csv", T, "test").ok
    with Session(engine) as session:
        session.add(Provider(id="P9", name="Leeg"))
        session.commit()


def per_provider_rows(engine, settings, selection=EVERYTHING) -> list[dict]:
    table = overview.per_provider(engine, T, settings, selection)[PER_PROVIDER_COLUMNS]
    return table.astype(object).where(table.notna(), None).to_dict("records")


def test_the_tiles_follow_the_deadline_setting(engine):
    """Kills kpis 30 and shares 8 (the in-time share counted with the default 14 days)."""
    overview_town(engine)
    assert overview.kpis(engine, T, DEFAULTS) == {
        "open": 2, "overdue": 0, "due_soon": 1, "closed_elsewhere_approved": 0, "in_time_rate": 1.0,
        "children_unmet": 1}
    assert overview.kpis(engine, T, SEVEN_DAYS) == {
        "open": 2, "overdue": 1, "due_soon": 1, "closed_elsewhere_approved": 0, "in_time_rate": 0.0,
        "children_unmet": 1}
    assert overview.kpis(engine, T, SEVEN_DAYS, ("P1",)) == {
        "open": 2, "overdue": 1, "due_soon": 1, "closed_elsewhere_approved": 0, "in_time_rate": 0.0}
    assert overview.shares(engine, T, SEVEN_DAYS) == {"in_time_rate": 0.0, "children_unmet": 1}


def test_the_request_detail_follows_the_deadline_setting(engine):
    """Kills classified_requests 20 (R2 classified with 14 days whatever the setting)."""
    overview_town(engine)
    frame = overview.classified_requests(engine, T, SEVEN_DAYS).set_index("id")
    assert frame.loc["S1", "deadline"] == pd.Timestamp("2026-10-27")
    assert bool(frame.loc["S1", "overdue"]) and frame.loc["S1", "days_late"] == 6
    assert not frame.loc["S3", "answered_in_time"]


def test_the_per_provider_table_by_hand(engine):
    """Every provider when nothing is selected (P9 with zeros and a blank share), only the selected ones
    otherwise; a provider with one due request has a share; the setting counts.
    Kills per_provider 9, 19, 21-24, 26, 52 and 67."""
    overview_town(engine)
    blank = {"open": 0, "overdue": 0, "due_soon": 0, "answered": 0, "answered_in_time": 0, "not_possible": 0,
             "approved": 0, "total": 0, "in_time_share": None}
    assert per_provider_rows(engine, DEFAULTS) == [
        {"provider_id": "P1", "name": "Zonnetje", "open": 2, "overdue": 0, "due_soon": 1, "answered": 1,
         "answered_in_time": 1, "not_possible": 0, "approved": 1, "total": 3, "in_time_share": 1.0},
        {"provider_id": "P2", "name": "Het Nest", "open": 0, "overdue": 0, "due_soon": 0, "answered": 1,
         "answered_in_time": 1, "not_possible": 1, "approved": 0, "total": 1, "in_time_share": 1.0},
        {"provider_id": "P9", "name": "Leeg", **blank},
    ]
    assert per_provider_rows(engine, SEVEN_DAYS)[:2] == [
        {"provider_id": "P1", "name": "Zonnetje", "open": 2, "overdue": 1, "due_soon": 1, "answered": 1,
         "answered_in_time": 0, "not_possible": 0, "approved": 1, "total": 3, "in_time_share": 0.0},
        {"provider_id": "P2", "name": "Het Nest", "open": 0, "overdue": 0, "due_soon": 0, "answered": 1,
         "answered_in_time": 0, "not_possible": 1, "approved": 0, "total": 1, "in_time_share": 0.0},
    ]
    new_only = per_provider_rows(engine, DEFAULTS, Selection(statuses=("nieuw",)))
    assert [(r["provider_id"], r["open"], r["total"]) for r in new_only] == [("P1", 2, 2)]


# --- Rules (llko.requests.rules) ----------------------------------------------------------------------------------

def rules_frame(*rows):
    """A requests frame from (id, child, provider, received, status, status_date, answer_date) tuples."""
    df = pd.DataFrame(rows, columns=["id", "child_id", "provider_id", "received", "status", "status_date", "answer_date"])
    for col in ["received", "status_date", "answer_date"]:
        df[col] = pd.to_datetime(df[col])
    return df


def test_the_in_time_window_and_a_withdrawal_on_the_deadline_by_hand():
    """T = 30/06/2026: the 90-day window holds the deadlines in (01/04, 30/06].
    a: deadline 01/04 = T-90, still open: outside the window.      b: deadline 30/06 = T, answered 20/06: in time.
    c: deadline 15/06, withdrawn ON it: nobody had to answer.       d: withdrawn the day after: late.
    Share: b and d had to be answered, b in time: 1/2. Kills in_time_rate 7, 12 and 24."""
    today = date(2026, 6, 30)
    df = rules_frame(
        ("a", "k1", "p", date(2026, 3, 18), statuses.NEW, date(2026, 3, 18), None),
        ("b", "k2", "p", date(2026, 6, 16), statuses.IN_PROGRESS, date(2026, 6, 20), date(2026, 6, 20)),
        ("c", "k3", "p", date(2026, 6, 1), statuses.CANCELLED_BY_PARENT, date(2026, 6, 15), None),
        ("d", "k4", "p", date(2026, 6, 1), statuses.CANCELLED_BY_PARENT, date(2026, 6, 16), None),
    )
    assert rules.in_time_rate(rules.classify(df, today), today) == 0.5


def test_r4_close_day_is_a_month_and_a_week_after_the_last_reaction():
    """02/10 + 1 month = 02/11, + 7 days = 09/11; from 31/01 the month ends on 28/02, + 7 = 07/03.
    Kills close_day 1 and 2."""
    assert rules.close_day(date(2026, 10, 2)) == date(2026, 11, 9)
    assert rules.close_day(date(2026, 1, 31)) == date(2026, 3, 7)


# --- Accounts and start-up (llko.accounts.auth, llko.bootstrap) ---------------------------------------------------

def test_a_password_of_exactly_72_bytes_signs_in():
    """bcrypt's limit is 72 bytes: a password of exactly 72 bytes (36 x 'é') is accepted and checks; one byte
    more never matches. Kills check_password 6."""
    password = "é" * 36
    assert len(password.encode("utf-8")) == 72
    hashed = auth.hash_password(password)
    assert auth.check_password(password, hashed)
    assert not auth.check_password(password + "x", hashed)


def test_the_demo_town_fills_only_an_empty_database(engine, tmp_path):
    """The embedded default database gets the demo town once, while it is empty; a database with an import
    never does. Kills is_empty 1-3, 6 and 7 (is_empty runs in-process nowhere else: the CLI calls it in a
    subprocess)."""
    assert bootstrap.is_empty(engine)
    assert import_file(engine, REPORT_FILE.encode(), "r.csv", T, "test").ok
    assert not bootstrap.is_empty(engine)
    bootstrap.prepare(engine, fill_demo=True, today=T)
    assert not bootstrap.is_demo(engine) and bootstrap.demo_accounts(engine) == []

    empty = make_engine(f"sqlite:///{tmp_path / 'leeg.sqlite3'}")
    try:
        bootstrap.prepare(empty, fill_demo=True, today=T)
        assert bootstrap.is_demo(empty) and not bootstrap.is_empty(empty)
    finally:
        empty.dispose()


def test_a_provider_account_for_an_unknown_provider_is_refused(engine):
    """A provider account can only be linked to a provider that an import brought in; nothing is created
    otherwise; the message names every unknown one. Kills _check_providers_exist 1, 8 and 10-12."""
    assert import_file(engine, REPORT_FILE.encode(), "r.csv", T, "test").ok
    with pytest.raises(ValueError) as refused:
        auth.create_user(engine, "test", "nieuw", "Nieuw", "provider", "een-lang-wachtwoord", ("P1", "P404", "P405"))
    assert str(refused.value) == "Onbekende opvang: P404, P405. Importeer eerst een export waarin ze voorkomt."
    assert auth.user_info(engine, "nieuw") is None
    auth.create_user(engine, "test", "nieuw", "Nieuw", "provider", "een-lang-wachtwoord", ("P1",))
    assert auth.user_info(engine, "nieuw").provider_ids == ("P1",)


def test_the_signed_in_users_email_is_the_one_on_the_account(engine):
    """Mijn aanvragen puts the provider's e-mail in the reminder to parents, or a placeholder when there is none:
    user_info carries the account's e-mail, and '' without one. Kills user_info 21, 27, 30 and 31."""
    assert import_file(engine, REPORT_FILE.encode(), "r.csv", T, "test").ok
    auth.create_user(engine, "test", "zon", "Zonnetje", "provider", "een-lang-wachtwoord", ("P1",),
                     email="info@zonnetje.be")
    auth.create_user(engine, "test", "zonder", "Zonder", "provider", "een-lang-wachtwoord", ("P1",))
    assert auth.user_info(engine, "zon").email == "info@zonnetje.be"
    assert auth.user_info(engine, "zonder").email == ""


LOGIN_T0 = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)  # 16:00 in Ninove (winter time)


def fail_login(engine, username, now):
    assert sessions.sign_in(engine, username, "niet-het-wachtwoord", now=now).token is None


def test_the_audit_numbers_each_failure_and_a_lock_needs_five_fresh_failures(engine):
    """Failures at 15:00-15:04 UTC: the audit reads 'poging 1' to 'poging 5', then 'vergrendeld tot 30/11/2026
    16:19' (15:04 + 15 minutes, Belgian time). After the lock a new series starts at zero: four failures do not
    lock, the fifth does (until 15:24 + 15 = 15:39 UTC). (The count itself is llko.accounts.sessions' claim.)"""
    auth.create_user(engine, "test", "jo", "Jo", "coordinator", "een-lang-wachtwoord")
    for i in range(4):
        fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=i))
        assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=i)) is None
    fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=4))
    assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=4)) == datetime(
        2026, 11, 30, 15, 19, tzinfo=timezone.utc)
    log = audit.entries(engine).iloc[::-1]
    mine = log[log["actor"] == "jo"]
    assert [audit.describe(a, d) for a, d in zip(mine["action"], mine["detail"])] == [
        "poging 1", "poging 2", "poging 3", "poging 4", "poging 5", "vergrendeld tot 30/11/2026 16:19"]

    for i in range(20, 24):
        fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=i))
        assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=i)) is None
    fail_login(engine, "jo", LOGIN_T0 + timedelta(minutes=24))
    assert auth.locked_until(engine, "jo", now=LOGIN_T0 + timedelta(minutes=24)) == datetime(
        2026, 11, 30, 15, 39, tzinfo=timezone.utc)


def test_an_accounts_state_in_words_by_hand():
    """The Toestand column of Gebruikers, at 15:00 UTC: disabled first; a lock until 15:10 UTC reads in Belgian
    time; a lock that ends now is over; then 'must change password'; else active."""
    now = LOGIN_T0
    assert auth.state(False, now + timedelta(minutes=10), True, now) == "Uitgeschakeld"
    assert auth.state(True, now + timedelta(minutes=10), True, now) == "Vergrendeld tot 30/11/2026 16:10"
    assert auth.state(True, now, False, now) == "Actief"
    assert auth.state(True, pd.NaT, True, now) == "Moet wachtwoord wijzigen"
    assert auth.state(True, None, False, now) == "Actief"


def test_the_reminder_to_silent_parents_by_hand():
    """R4's message that Mijn aanvragen offers to copy, with the provider's own contact line.
    Kills reminder_message 1-3."""
    assert rules.reminder_message("Het Nest", "info@hetnest.be") == (
        "Aangezien we geen reactie meer krijgen, wordt deze aanvraag binnen 1 week afgesloten. "
        "Wenst u toch nog kinderopvang, neem dan contact met ons op: Het Nest via info@hetnest.be.")
