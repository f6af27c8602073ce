"""Exact figures from a hand-worked town.

The other page tests compute their expectations with the code they test (build_report, rules.classify), so
a rule misread in both places passes. Here every figure a user sees is checked against a number worked out
by hand from the town below (the reasoning is in the comments) and written literally in the test.

Today T = 2026-11-02 (a Monday). Deadline = received + 14 days (R2). Overdue: no answer and T > deadline,
i.e. received before 2026-10-19. Due soon: no answer and deadline in [T, T+3] = [02/11, 05/11], i.e. received
19/10-22/10. The 90-day share counts the requests whose deadline lies in (T-90, T] = (04/08, 02/11], i.e.
received 22/07-19/10; with 60 days it would be (03/09, 02/11]. R4: status date + 1 month = reminder day,
+ 7 days = close day.

The town (three providers, 22 requests, 14 children; `ant.` = datum_antwoord in the file, `-` none):

| id  | child | prov | received | deadline | status                   | status date | ant.  | what it is for                    |
|-----|-------|------|----------|----------|--------------------------|-------------|-------|-----------------------------------|
| A01 | K01   | P1   | 01/09    | 15/09    | goedgekeurd              | 15/09       | 15/09 | answered ON the deadline: in time |
| A02 | K02   | P1   | 01/09    | 15/09    | opvangplan niet mogelijk | 16/09       | -     | answered a day after: late        |
| A03 | K03   | P1   | 19/10    | 02/11    | nieuw                    | 19/10       | -     | deadline = T: due soon, 0 left    |
| A04 | K04   | P1   | 18/10    | 01/11    | vraag ontvangen          | 20/10       | 20/10 | R2: no answer; 1 day overdue      |
| A05 | K05   | P1   | 20/09    | 04/10    | in behandeling           | 02/10       | -     | R4 reminder day = T               |
| A06 | K06   | P1   | 20/09    | 04/10    | in behandeling           | 26/09       | -     | R4 close day = T                  |
| A07 | K07   | P1   | 01/10    | 15/10    | nieuw                    | 01/10       | -     | R3: K07 approved at P2 (A12)      |
| A16 | K11   | P1   | 12/08    | 26/08    | goedgekeurd              | 26/08       | -     | K11: niet mogelijk + approved     |
| A21 | K01   | P1   | 20/10    | 03/11    | vraag ontvangen          | 20/10       | -     | R3 at the same provider (A01)     |
| A08 | K03   | P2   | 22/10    | 05/11    | nieuw                    | 22/10       | -     | deadline T+3: due soon, 3 left    |
| A09 | K04   | P2   | 23/10    | 06/11    | vraag ontvangen          | 23/10       | -     | deadline T+4: not due soon        |
| A10 | K08   | P2   | 22/07    | 05/08    | goedgekeurd              | 06/08       | -     | late, deadline just inside 90 d   |
| A11 | K09   | P2   | 21/07    | 04/08    | goedgekeurd              | 10/08       | -     | late, deadline just outside 90 d  |
| A12 | K07   | P2   | 25/09    | 09/10    | goedgekeurd              | 10/10       | 05/10 | in time by datum_antwoord         |
| A13 | K05   | P2   | 28/09    | 12/10    | in behandeling           | 03/10       | -     | R4 reminder T+1: not listed       |
| A18 | K12   | P2   | 25/10    | 08/11    | nieuw                    | 25/10       | -     | K12: niet mogelijk + still open   |
| A22 | K10   | P2   | 03/08    | 17/08    | goedgekeurd              | 14/08       | -     | in time, inside 90 d, outside 60  |
| A14 | K02   | P3   | 20/08    | 03/09    | geannuleerd door ouder   | 25/08       | -     | K02: R5 unmet need                |
| A15 | K11   | P3   | 10/08    | 24/08    | opvangplan niet mogelijk | 20/08       | -     | in time                           |
| A17 | K12   | P3   | 05/09    | 19/09    | opvangplan niet mogelijk | 10/09       | -     | in time                           |
| A19 | K13   | P3   | 01/10    | 15/10    | geannuleerd door opvang  | 20/10       | -     | late; K13 not unmet (R5)          |
| A20 | K14   | P3   | 10/10    | 24/10    | nieuw                    | 10/10       | -     | 9 days overdue                    |

(all dates 2026). P1 = "Het Rupsje", P2 = "Onthaalouder Fien", P3 = "De Ooievaar".
"""

from datetime import date

import pandas as pd
import pytest
import streamlit as st

from apptest import metrics, page, table
from conftest import BACKENDS, fresh_database
from llko.db import make_engine

T = date(2026, 11, 2)
P1, P2, P3 = "Het Rupsje", "Onthaalouder Fien", "De Ooievaar"
PASSWORD = "een-lang-wachtwoord"

EXPORT = """\
aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;datum_antwoord;kwetsbaar_gezin;dagen_per_week
A01;K01;P1;Het Rupsje;01/09/2026;01/01/2027;goedgekeurd;15/09/2026;15/09/2026;nee;4
A02;K02;P1;Het Rupsje;01/09/2026;01/01/2027;opvangplan niet mogelijk;16/09/2026;;ja;5
A03;K03;P1;Het Rupsje;19/10/2026;01/03/2027;nieuw;19/10/2026;;;3
A04;K04;P1;Het Rupsje;18/10/2026;;vraag ontvangen;20/10/2026;20/10/2026;nee;
A05;K05;P1;Het Rupsje;20/09/2026;01/02/2027;in behandeling;02/10/2026;;nee;4
A06;K06;P1;Het Rupsje;20/09/2026;01/02/2027;in behandeling;26/09/2026;;ja;2,5
A07;K07;P1;Het Rupsje;01/10/2026;;nieuw;01/10/2026;;;
A16;K11;P1;Het Rupsje;12/08/2026;01/11/2026;goedgekeurd;26/08/2026;;nee;5
A21;K01;P1;Het Rupsje;20/10/2026;;vraag ontvangen;20/10/2026;;nee;
A08;K03;P2;Onthaalouder Fien;22/10/2026;01/03/2027;nieuw;22/10/2026;;;3
A09;K04;P2;Onthaalouder Fien;23/10/2026;;vraag ontvangen;23/10/2026;;nee;
A10;K08;P2;Onthaalouder Fien;22/07/2026;01/09/2026;goedgekeurd;06/08/2026;;ja;5
A11;K09;P2;Onthaalouder Fien;21/07/2026;01/09/2026;goedgekeurd;10/08/2026;;nee;5
A12;K07;P2;Onthaalouder Fien;25/09/2026;01/12/2026;goedgekeurd;10/10/2026;05/10/2026;;4
A13;K05;P2;Onthaalouder Fien;28/09/2026;01/02/2027;in behandeling;03/10/2026;;nee;4
A18;K12;P2;Onthaalouder Fien;25/10/2026;;nieuw;25/10/2026;;;
A22;K10;P2;Onthaalouder Fien;03/08/2026;01/10/2026;goedgekeurd;14/08/2026;;ja;3
A14;K02;P3;De Ooievaar;20/08/2026;01/01/2027;geannuleerd door ouder;25/08/2026;;ja;5
A15;K11;P3;De Ooievaar;10/08/2026;01/11/2026;opvangplan niet mogelijk;20/08/2026;;nee;5
A17;K12;P3;De Ooievaar;05/09/2026;01/01/2027;opvangplan niet mogelijk;10/09/2026;;;
A19;K13;P3;De Ooievaar;01/10/2026;;geannuleerd door opvang;20/10/2026;;nee;
A20;K14;P3;De Ooievaar;10/10/2026;;nieuw;10/10/2026;;;
"""


@pytest.fixture(scope="module", params=BACKENDS)
def town_url(request, tmp_path_factory):
    """The hand-worked town, imported once per backend, with one account per role."""
    from llko.accounts.auth import create_user
    from llko.requests.importer import import_file

    with fresh_database(request.param, tmp_path_factory.mktemp("hand_town")) as url:
        engine = make_engine(url)
        result = import_file(engine, EXPORT.encode("utf-8"), "hand-town.csv", T, "test")
        assert result.ok, result.messages
        assert result.rows_total == 22
        create_user(engine, "test", "coord", "Coord", "coordinator", PASSWORD)
        create_user(engine, "test", "beleid", "Beleid", "policy", PASSWORD)
        create_user(engine, "test", "opv1", "Opv 1", "provider", PASSWORD, ("P1",))
        create_user(engine, "test", "opv2", "Opv 2", "provider", PASSWORD, ("P2",))
        engine.dispose()
        yield url


@pytest.fixture
def town(town_url, monkeypatch):
    """The app pointed at the town with T as today; the page caches emptied."""
    monkeypatch.setenv("LLKO_DATABASE_URL", town_url)
    monkeypatch.setenv("LLKO_TODAY", T.isoformat())
    st.cache_data.clear()
    engine = make_engine(town_url)
    yield engine
    engine.dispose()
    st.cache_data.clear()


# --- helpers: what the user sees, as plain Python values ------------------------------------------------


def widget(collection, label: str):
    """The one widget of this kind with this label (labels are what a user sees; keys may change)."""
    found = [w for w in collection if w.label == label]
    assert len(found) == 1, [w.label for w in collection]
    return found[0]


def cell(value):
    """A table cell as written in the tests: dates dd/mm/jjjj, blanks None, whole numbers int."""
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The rows of a shown table, in the order shown, restricted to these columns."""
    return [tuple(cell(v) for v in row) for row in frame[columns].itertuples(index=False)]


def shown_pct(value) -> int | None:
    """A share column as the page formats it (%.0f%%): a whole percentage, None when blank."""
    value = cell(value)
    return None if value is None else round(value)


def run(path: str, username: str):
    at = page(path, username).run()
    assert not at.exception, at.exception
    return at


def selection_caption(at) -> list[str]:
    """The count of the selection, the first sentence of the text above the per-provider table."""
    return [m.value.split(",")[0] + "." for m in at.markdown if " aanvragen in deze selectie" in m.value]


# --- the JSON report contract ----------------------------------------------------------------------------
#
# Per provider, with T = 02/11 (see the table at the top):
# P1 (9 requests: A01 A02 A03 A04 A05 A06 A07 A16 A21)
#   open: nieuw/vraag ontvangen/in behandeling not closed by R3 = A03 A04 A05 A06 = 4
#         (A07: K07 approved at P2 by A12; A21: K01 approved at P1 by A01 -> both R3, "elders goedgekeurd" = 2)
#   overdue: open, no answer, deadline < T: A04 (01/11; 'vraag ontvangen' is no answer, R2) = 1
#            (A03 deadline = T is not overdue; A07's 15/10 passed but R3 closed it)
#   answered: A01 A02 (niet mogelijk is an answer) A05 A06 (in behandeling) A16 = 5 (A04's datum_antwoord does
#             not count: R2)
#   answered in time: A01 (15/09 <= 15/09) A05 (02/10 <= 04/10) A06 (26/09 <= 04/10) A16 (26/08 <= 26/08) = 4
#                     (A02 16/09 > 15/09: late)
#   not_possible: A02 = 1; approved: A01 A16 = 2; cancelled_by_provider: 0
# P2 (8 requests: A08 A09 A10 A11 A12 A13 A18 A22)
#   open: A08 A09 A13 A18 = 4; overdue: none (A08 05/11, A09 06/11, A18 08/11 all >= T; A13 answered) = 0
#   answered: A10 A11 A12 A13 A22 = 5; in time: A12 (05/10 <= 09/10) A13 (03/10 <= 12/10) A22 (14/08 <= 17/08) = 3
#             (A10 06/08 > 05/08, A11 10/08 > 04/08: late)
#   not_possible 0; approved: A10 A11 A12 A22 = 4; cancelled 0; elders goedgekeurd 0
# P3 (5 requests: A14 A15 A17 A19 A20)
#   open: A20 = 1; overdue: A20 (24/10 < T) = 1
#   answered: A15 A17 A19 (geannuleerd door opvang is an answer) = 3 (A14 cancelled by the parents, never answered)
#   in time: A15 (20/08 <= 24/08) A17 (10/09 <= 19/09) = 2 (A19 20/10 > 15/10)
#   not_possible: A15 A17 = 2; approved 0; cancelled_by_provider: A19 = 1; elders goedgekeurd 0
# children_unmet (R5): children with a 'niet mogelijk' are K02, K11, K12.
#   K02: A02 niet mogelijk + A14 geannuleerd door ouder, all closed, no approval -> unmet
#   K11: A16 goedgekeurd -> not unmet; K12: A18 still open -> not unmet
#   (K13 has only 'geannuleerd door opvang': no shortage) -> 1

HAND_REPORT = {
    "as_of": "2026-11-02",
    "providers": {
        "P1": {"open": 4, "overdue": 1, "answered": 5, "answered_in_time": 4, "not_possible": 1, "approved": 2,
               "cancelled_by_provider": 0, "closed_elsewhere_approved": 2},
        "P2": {"open": 4, "overdue": 0, "answered": 5, "answered_in_time": 3, "not_possible": 0, "approved": 4,
               "cancelled_by_provider": 0, "closed_elsewhere_approved": 0},
        "P3": {"open": 1, "overdue": 1, "answered": 3, "answered_in_time": 2, "not_possible": 2, "approved": 0,
               "cancelled_by_provider": 1, "closed_elsewhere_approved": 0},
    },
    "totals": {"open": 9, "overdue": 2, "answered": 13, "answered_in_time": 9, "not_possible": 3, "approved": 6,
               "cancelled_by_provider": 1, "closed_elsewhere_approved": 2, "children_unmet": 1},
}


def test_report_json_contract_matches_the_hand_count(town):
    from llko.reporting.report import build_report

    assert build_report(town, T) == HAND_REPORT


# --- Overzicht (coordinator) -----------------------------------------------------------------------------
#
# Open 4 + 4 + 1 = 9. Te laat: A04 + A20 = 2. Due soon (no answer, open, deadline in [02/11, 05/11]):
#   A03 (02/11) and A08 (05/11) = 2; A21 (03/11) is closed by R3, A09 (06/11) is 4 days away.
# 90-day share: deadline in (04/08, 02/11], leaving out the unanswered ones closed on or before their
#   deadline (A14: cancelled 25/08 <= 03/09; A07: R3, K07 approved 10/10 <= 15/10):
#   had to answer: A01 A02 A03 A04 A05 A06 A16 | A10 A12 A13 A22 | A15 A17 A19 A20 = 15
#   in time:       A01 A05 A06 A16 | A12 A13 A22 | A15 A17 = 9
#   (A03 and A04 are open without answer: not in time; A11's deadline 04/08 is outside)
#   9 / 15 = 60%.   (With a 60-day window: without A16 A10 A22 A15 -> 6 / 11 = 55%.)
# Unmet need: K02 -> 1.


def test_overzicht_tiles(town):
    at = run("views/overzicht.py", "coord")
    assert metrics(at) == {
        "Open aanvragen": "9",
        "Te laat (nog geen antwoord)": "2",
        "Termijn loopt af (≤ 3 dagen)": "2",
        "Tijdig beantwoord (90 dagen)": "60%",
        "Kinderen met onvervulde nood": "1",
        # the hand town has no registers: nothing free, nothing to confirm, none of its 3 providers signed
        "Vrije plaatsen vandaag": "0",
        "Infopagina: te bevestigen": "0",
        "Overeenkomst niet ondertekend": "3",
        # nor any follow-up
        "Open dossiers": "0",
        "Contacten (laatste 28 dagen)": "0",
    }


def test_overzicht_overdue_list(town):
    # A20: deadline 24/10, T - 24/10 = 9 days; A04: deadline 01/11, 1 day. Longest late first.
    # Not listed: A07 (R3), A03 (deadline = T), A19 (answered, closed).
    at = run("views/overzicht.py", "coord")
    late = table(at, "Dagen te laat")
    assert rows(late, ["Aanvraag", "Opvang", "Kind", "Ontvangen", "Antwoord uiterlijk", "Dagen te laat", "Status"]) == [
        ("A20", P3, "K14", "10/10/2026", "24/10/2026", 9, "Nieuw"),
        ("A04", P1, "K04", "18/10/2026", "01/11/2026", 1, "Vraag ontvangen"),
    ]


def test_overzicht_due_soon_list(town):
    # A03: deadline 02/11 = T, 0 days left; A08: deadline 05/11 = T+3, 3 days left.
    # Not listed: A21 (03/11, but R3), A09 (06/11 = T+4), A18 (08/11), A04 (overdue).
    at = run("views/overzicht.py", "coord")
    soon = table(at, "Dagen over")
    assert rows(soon, ["Aanvraag", "Opvang", "Ontvangen", "Antwoord uiterlijk", "Dagen over", "Status"]) == [
        ("A03", P1, "19/10/2026", "02/11/2026", 0, "Nieuw"),
        ("A08", P2, "22/10/2026", "05/11/2026", 3, "Nieuw"),
    ]


def test_overzicht_followups(town):
    # 'in behandeling', open: A05 (status 02/10), A06 (26/09), A13 (03/10).
    # A06: reminder 26/09 + 1 month = 26/10, close 26/10 + 7 = 02/11 = T -> Afsluiten
    # A05: reminder 02/10 + 1 month = 02/11 = T -> Herinnering sturen (close 09/11)
    # A13: reminder 03/11 = T+1 -> not yet listed. Oldest reminder first.
    at = run("views/overzicht.py", "coord")
    todos = table(at, "Te doen")
    assert rows(todos, ["Aanvraag", "Opvang", "Statusdatum", "Herinnering vanaf", "Afsluiten vanaf", "Te doen"]) == [
        ("A06", P1, "26/09/2026", "26/10/2026", "02/11/2026", "Afsluiten"),
        ("A05", P1, "02/10/2026", "02/11/2026", "09/11/2026", "Herinnering sturen"),
    ]


# --- Aanvragen (coordinator) -----------------------------------------------------------------------------
#
# Per provider (counts as in the report above); "Tijdig beantwoord (90 dagen)" is the tiles' 90-day share, per
# provider (the same on Mijn aanvragen and Cijfers), whatever the filters:
#   P1 4/7 = 57% (see Mijn aanvragen below; not 4/5 = 80% of its answered, nor 4/9 = 44% of all its requests),
#   P2 3/4 = 75%, P3: had to answer A15 A17 (in time) A19 (answered late, 20/10 > 15/10) A20 (open, late) -> 2/4
#   = 50% (A14 was cancelled by the parents before its deadline: left out).
# Shown sorted by Te laat, then Open, both descending: P1 (1, 4), P3 (1, 1), P2 (0, 4).

AANVRAGEN_COLUMNS = ["Opvang", "Open", "Te laat", "Beantwoord", "Tijdig beantwoord (90 dagen)", "Tekort (niet mogelijk)",
                     "Goedgekeurd", "Elders goedgekeurd"]


def per_provider_rows(at) -> list[tuple]:
    shown = table(at, "Elders goedgekeurd")
    return [(*row[:4], shown_pct(row[4]), *row[5:]) for row in rows(shown, AANVRAGEN_COLUMNS)]


def test_aanvragen_per_provider_table(town):
    at = run("views/aanvragen.py", "coord")
    assert selection_caption(at) == ["22 aanvragen in deze selectie."]
    assert per_provider_rows(at) == [
        (P1, 4, 1, 5, 57, 1, 2, 2),
        (P3, 1, 1, 3, 50, 2, 0, 0),
        (P2, 4, 0, 5, 75, 0, 4, 0),
    ]


def test_aanvragen_detail_of_a_provider(town):
    # P1's nine requests, newest received first (same day: id descending). "Dagen te laat" only for A04;
    # A07 (deadline 15/10 passed, no answer) is closed by R3, so not late. "Antwoord op": A01 15/09 as
    # reported, A02/A05/A06/A16 the date of their answer status; A04 none (R2).
    at = run("views/aanvragen.py", "coord")
    widget(at.selectbox, "Opvang").select("P1").run()
    assert not at.exception, at.exception
    detail = table(at, "Statusdatum")
    assert rows(detail, ["Aanvraag", "Kind", "Ontvangen", "Antwoord uiterlijk", "Status", "Statusdatum",
                         "Dagen te laat"]) == [
        ("A21", "K01", "20/10/2026", "03/11/2026", "Vraag ontvangen", "20/10/2026", None),
        ("A03", "K03", "19/10/2026", "02/11/2026", "Nieuw", "19/10/2026", None),
        ("A04", "K04", "18/10/2026", "01/11/2026", "Vraag ontvangen", "20/10/2026", 1),
        ("A07", "K07", "01/10/2026", "15/10/2026", "Nieuw", "01/10/2026", None),
        ("A06", "K06", "20/09/2026", "04/10/2026", "In behandeling", "26/09/2026", None),
        ("A05", "K05", "20/09/2026", "04/10/2026", "In behandeling", "02/10/2026", None),
        ("A02", "K02", "01/09/2026", "15/09/2026", "Opvangplan niet mogelijk", "16/09/2026", None),
        ("A01", "K01", "01/09/2026", "15/09/2026", "Goedgekeurd", "15/09/2026", None),
        ("A16", "K11", "12/08/2026", "26/08/2026", "Goedgekeurd", "26/08/2026", None),
    ]
    # A04: 'vraag ontvangen' is an acknowledgement, not an answer (R2): the export's datum_antwoord 20/10 is
    # not shown as an answer beside its 'Dagen te laat'.
    assert dict(rows(detail, ["Aanvraag", "Antwoord op"])) == {
        "A21": None, "A03": None, "A04": None, "A07": None, "A06": "26/09/2026", "A05": "02/10/2026",
        "A02": "16/09/2026", "A01": "15/09/2026", "A16": "26/08/2026"}


def test_aanvragen_filter_by_status(town):
    # Status 'nieuw' only: A03 A07 (P1), A08 A18 (P2), A20 (P3) = 5 requests.
    #   P1: open A03 = 1 (A07 R3 -> elders goedgekeurd 1), te laat 0 (A03 deadline = T; A07 R3), nothing answered
    #   P2: open 2, te laat 0; P3: open 1, te laat 1 (A20)
    # Sorted by (Te laat, Open) descending: P3 (1, 1), P2 (0, 2), P1 (0, 1). The 90-day share ignores the filter.
    at = run("views/aanvragen.py", "coord")
    widget(at.multiselect, "Status").select("nieuw").run()
    assert not at.exception, at.exception
    assert selection_caption(at) == ["5 aanvragen in deze selectie."]
    assert per_provider_rows(at) == [
        (P3, 1, 1, 0, 50, 0, 0, 0),
        (P2, 2, 0, 0, 75, 0, 0, 0),
        (P1, 1, 0, 0, 57, 0, 0, 1),
    ]


def test_aanvragen_filter_by_period(town):
    # Received 01/09-25/09 (both bounds included): A01 A02 A05 A06 (P1), A12 (P2), A17 (P3) = 6.
    # Left out: A13 (28/09), A16 (12/08), A14 (20/08) ...
    #   P1: open A05 A06 = 2, answered 4, niet mogelijk A02, goedgekeurd A01; P2: A12 goedgekeurd; P3: A17
    #   niet mogelijk. The 90-day shares stay 57 / 75 / 50: they do not follow the period filter.
    at = run("views/aanvragen.py", "coord")
    widget(at.date_input, "Ontvangen tussen").set_value((date(2026, 9, 1), date(2026, 9, 25))).run()
    assert not at.exception, at.exception
    assert selection_caption(at) == ["6 aanvragen in deze selectie."]
    shown = per_provider_rows(at)
    assert shown[0] == (P1, 2, 0, 4, 57, 1, 1, 0)  # the only one with open requests comes first
    assert shown[1:] == [  # then by name
        (P3, 0, 0, 1, 50, 1, 0, 0),
        (P2, 0, 0, 1, 75, 0, 1, 0),
    ]


# --- Cijfers (policy maker) ------------------------------------------------------------------------------
#
# Aanvragen 22; the 90-day share 60% and unmet 1 as on Overzicht; Te laat (nu) 1 + 0 + 1 = 2.
# "Tijdig beantwoord (90 dagen)" per provider 57 / 75 / 50 (as on Aanvragen), Geannuleerd door opvang: A19 at P3.
# Requests per month of receipt and current status:
#   07/2026: A10 A11 goedgekeurd = 2
#   08/2026: A22 A16 goedgekeurd = 2; A15 niet mogelijk = 1; A14 geannuleerd door ouder = 1
#   09/2026: A01 A12 goedgekeurd = 2; A02 A17 niet mogelijk = 2; A05 A06 A13 in behandeling = 3
#   10/2026: A03 A07 A08 A18 A20 nieuw = 5; A04 A09 A21 vraag ontvangen = 3; A19 geannuleerd door opvang = 1


def test_cijfers_tiles_and_table(town):
    at = run("views/cijfers.py", "beleid")
    assert metrics(at) == {
        "Aanvragen": "22",
        "Tijdig beantwoord (90 dagen)": "60%",
        "Te laat (nu)": "2",
        "Kinderen met onvervulde nood": "1",
    }
    figures = table(at, "Geannuleerd door opvang")
    columns = ["Opvang", "Open", "Te laat", "Beantwoord", "Tijdig beantwoord (90 dagen)", "Tekort (niet mogelijk)", "Goedgekeurd",
               "Geannuleerd door opvang", "Elders goedgekeurd"]
    assert sorted(rows(figures, columns)) == sorted([
        (P1, 4, 1, 5, 57, 1, 2, 0, 2),
        (P2, 4, 0, 5, 75, 0, 4, 0, 0),
        (P3, 1, 1, 3, 50, 2, 0, 1, 0),
    ])
    for frame in at.dataframe:  # policy makers see no request or child
        assert not {"Aanvraag", "Kind"} & set(frame.value.columns)


def chart_data(at, field: str) -> pd.DataFrame:
    """The data of the one Vega-Lite chart on the page whose x axis shows this field."""
    import json

    from streamlit import dataframe_util

    found = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("encoding", {}).get("x", {}).get("field") == field:
            data = [ds.data.data for ds in chart.proto.datasets] or [chart.proto.data.data]
            found.append(dataframe_util.convert_arrow_bytes_to_pandas_df(data[0]))
    assert len(found) == 1, f"{len(found)} charts with x = {field}"
    return found[0]


def test_cijfers_charts(town):
    at = run("views/cijfers.py", "beleid")
    bars = chart_data(at, "in_time_pct")
    assert {row.name: cell(row.in_time_pct) for row in bars.itertuples()} == {P1: 57, P2: 75, P3: 50}
    months = chart_data(at, "Maand")  # a month label under each bar, in calendar order
    shown = {(row.Maand, row.status): cell(row.count) for row in months.itertuples()}
    assert shown == {
        ("jul 2026", "Goedgekeurd"): 2,
        ("aug 2026", "Goedgekeurd"): 2,
        ("aug 2026", "Opvangplan niet mogelijk"): 1,
        ("aug 2026", "Geannuleerd door ouder"): 1,
        ("sep 2026", "Goedgekeurd"): 2,
        ("sep 2026", "Opvangplan niet mogelijk"): 2,
        ("sep 2026", "In behandeling"): 3,
        ("okt 2026", "Nieuw"): 5,
        ("okt 2026", "Vraag ontvangen"): 3,
        ("okt 2026", "Geannuleerd door opvang"): 1,
    }
    import json

    spec = next(json.loads(c.proto.spec) for c in at.get("vega_lite_chart")
                if json.loads(c.proto.spec).get("encoding", {}).get("x", {}).get("field") == "Maand")
    assert spec["encoding"]["x"]["sort"] == ["jul 2026", "aug 2026", "sep 2026", "okt 2026"]
    # the legend's first status ('Nieuw') on top of each bar: stacked by the legend's rank, descending
    assert spec["encoding"]["order"] == {"field": "rank", "sort": "descending", "type": "quantitative"}


# --- Mijn aanvragen (provider) ---------------------------------------------------------------------------
#
# P1 (opv1): Open 4, Te laat 1 (A04), due soon 1 (A03; A21 is R3).
#   90-day share over P1's requests: had to answer A01 A02 A03 A04 A05 A06 A16 (A07 R3 left out; A21's
#   deadline 03/11 > T) = 7, in time A01 A05 A06 A16 = 4 -> 4/7 = 57%.
#   Lists: te laat [A04, 1 day]; waiting (open, no answer, not late) [A03, 0 days left]; R4 as on Overzicht.
# P2 (opv2): Open 4, Te laat 0, due soon 1 (A08).
#   90-day share: A10 (late) A12 A13 A22 (in time) -> 3/4 = 75% (A11 outside; A08 A09 A18 deadlines > T).
#   Lists: no late requests; waiting A08 (3 days) A09 (4) A18 (6), received order; no R4 to-do (A13 is due
#   for its reminder only on 03/11).


def shown_request_ids(at) -> set[str]:
    ids = set()
    for frame in at.dataframe:
        if "Aanvraag" in frame.value.columns:
            ids |= set(frame.value["Aanvraag"])
    return ids


def test_mijn_aanvragen_first_provider(town):
    at = run("views/mijn_aanvragen.py", "opv1")
    assert metrics(at) == {
        "Open": "4",
        "Te laat": "1",
        "Termijn loopt af (≤ 3 dagen)": "1",
        "Tijdig beantwoord (90 dagen)": "57%",
    }
    assert rows(table(at, "Dagen te laat"), ["Aanvraag", "Ontvangen", "Antwoord uiterlijk", "Dagen te laat",
                                             "Status"]) == [
        ("A04", "18/10/2026", "01/11/2026", 1, "Vraag ontvangen")]
    assert rows(table(at, "Dagen over"), ["Aanvraag", "Ontvangen", "Antwoord uiterlijk", "Dagen over", "Status"]) == [
        ("A03", "19/10/2026", "02/11/2026", 0, "Nieuw")]
    assert rows(table(at, "Te doen"), ["Aanvraag", "Statusdatum", "Herinnering vanaf", "Afsluiten vanaf",
                                       "Te doen"]) == [
        ("A06", "26/09/2026", "26/10/2026", "02/11/2026", "Afsluiten"),
        ("A05", "02/10/2026", "02/11/2026", "09/11/2026", "Herinnering sturen"),
    ]
    # every request of P1, newest received first, on screen (not only as a download), and none of another provider
    everything = table(at, "Kind")
    assert everything["Aanvraag"].tolist() == ["A21", "A03", "A04", "A07", "A06", "A05", "A02", "A01", "A16"]
    assert shown_request_ids(at) == {"A01", "A02", "A03", "A04", "A05", "A06", "A07", "A16", "A21"}
    assert any(m.value.endswith("bij 1 ervan loopt de termijn binnen 3 dagen af.") for m in at.markdown)


def test_mijn_aanvragen_second_provider(town):
    at = run("views/mijn_aanvragen.py", "opv2")
    assert metrics(at) == {
        "Open": "4",
        "Te laat": "0",
        "Termijn loopt af (≤ 3 dagen)": "1",
        "Tijdig beantwoord (90 dagen)": "75%",
    }
    assert [s.value for s in at.success] == ["U hebt geen aanvragen die te laat zijn. Goed zo!"]
    assert rows(table(at, "Dagen over"), ["Aanvraag", "Ontvangen", "Antwoord uiterlijk", "Dagen over", "Status"]) == [
        ("A08", "22/10/2026", "05/11/2026", 3, "Nieuw"),
        ("A09", "23/10/2026", "06/11/2026", 4, "Vraag ontvangen"),
        ("A18", "25/10/2026", "08/11/2026", 6, "Nieuw"),
    ]
    assert "Geen opvolgacties." in [i.value for i in at.info]
    with pytest.raises(KeyError):
        table(at, "Te doen")
    assert shown_request_ids(at) == {"A08", "A09", "A10", "A11", "A12", "A13", "A18", "A22"}  # P2's, all of them


# --- one meaning per label ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username, provider, name, share", [("opv1", "P1", P1, "57%"), ("opv2", "P2", P2, "75%")])
def test_a_providers_in_time_share_is_the_same_on_every_page(town, username, provider, name, share):
    """'Tijdig beantwoord (90 dagen)' for one provider: its own page, Aanvragen (whatever the filters) and Cijfers."""
    own = metrics(run("views/mijn_aanvragen.py", username))["Tijdig beantwoord (90 dagen)"]
    coordinator = run("views/aanvragen.py", "coord")
    widget(coordinator.multiselect, "Status").select("goedgekeurd").run()
    filtered = table(coordinator, "Elders goedgekeurd").set_index("Opvang")["Tijdig beantwoord (90 dagen)"]
    figures = table(run("views/cijfers.py", "beleid"), "Geannuleerd door opvang").set_index("Opvang")
    assert own == share
    assert f"{shown_pct(filtered[name])}%" == share
    assert f"{shown_pct(figures.loc[name, 'Tijdig beantwoord (90 dagen)'])}%" == share


def test_the_detail_starts_on_the_provider_with_most_overdue_requests(town):
    # Te laat: P1 1 (A04), P3 1 (A20), P2 0; the tie goes to the most open requests: P1 (4) before P3 (1).
    at = run("views/aanvragen.py", "coord")
    assert widget(at.selectbox, "Opvang").value == "P1"
    assert set(table(at, "Statusdatum")["Aanvraag"]) == {"A01", "A02", "A03", "A04", "A05", "A06", "A07", "A16", "A21"}
