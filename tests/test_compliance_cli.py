"""The compliance contract (`python -m llko compliance --from F --to T --json`) over a small town built by hand:
two Opvang.Vlaanderen snapshots and the register workbook, then the JSON compared in full with a literal dict,
with the default settings and with changed ones. Every expected value is worked out by hand from DESIGN.md (R2,
R3, R6-R11), not with llko code; the reasoning is in the comments beside the data.

Period F = 01/06/2026 .. T = 01/11/2026; deadline = received + 14 days.
"""

import io
import json
from datetime import date

import openpyxl
import pytest

from llko import dutch, services
from llko.compliance.queries import compliance, verdicts
from llko.registers.workbook import import_register
from llko.requests.importer import import_file
from tests.helpers import cli, in_process

HEADER = ("aanvraag_id;kind_id;opvang_id;opvang_naam;datum_aanvraag;gewenste_startdatum;status;datum_status;"
          "datum_antwoord;kwetsbaar_gezin")

# Snapshot of 01/07/2026: A207 was answered (in behandeling) on 25/06; A206 had no reaction yet.
FIRST = HEADER + """
A207;K207;P2;Het Nest;20/06/2026;;in behandeling;25/06/2026;;
A206;K206;P2;Het Nest;20/06/2026;;nieuw;20/06/2026;;
"""

# Snapshot of 15/11/2026, after T: every request in its latest known state.
LATEST = HEADER + """
A101;K101;P1;Het Zonnetje;18/05/2026;;opvangplan niet mogelijk;01/06/2026;;
A102;K102;P1;Het Zonnetje;17/05/2026;;opvangplan niet mogelijk;05/06/2026;;
A103;K103;P1;Het Zonnetje;18/10/2026;;nieuw;18/10/2026;;
A104;K104;P1;Het Zonnetje;19/10/2026;;nieuw;19/10/2026;;
A105;K105;P1;Het Zonnetje;15/06/2026;01/09/2026;goedgekeurd;25/06/2026;;ja
A106;K106;P1;Het Zonnetje;01/07/2026;01/09/2026;goedgekeurd;10/07/2026;;nee
A107;K107;P1;Het Zonnetje;01/07/2026;;goedgekeurd;20/07/2026;;nee
A108;K108;P1;Het Zonnetje;01/08/2026;04/01/2027;goedgekeurd;10/08/2026;;
A109;K106;P1;Het Zonnetje;20/06/2026;01/09/2026;goedgekeurd;30/06/2026;;ja
A110;K110;P1;Het Zonnetje;01/09/2026;01/10/2026;goedgekeurd;05/09/2026;;nee
A111;K111;P1;Het Zonnetje;01/09/2026;01/10/2026;goedgekeurd;06/09/2026;;n
A112;K112;P1;Het Zonnetje;01/03/2026;;in behandeling;10/03/2026;;
A201;K201;P2;Het Nest;01/06/2026;;geannuleerd door ouder;15/06/2026;;
A202;K202;P2;Het Nest;01/06/2026;;geannuleerd door ouder;16/06/2026;;
A203;K105;P2;Het Nest;05/06/2026;;nieuw;05/06/2026;;
A204;K110;P2;Het Nest;25/08/2026;;vraag ontvangen;26/08/2026;;
A205;K106;P2;Het Nest;01/07/2026;;in behandeling;10/07/2026;;
A206;K206;P2;Het Nest;20/06/2026;;geannuleerd door opvang;01/07/2026;;
A207;K207;P2;Het Nest;20/06/2026;;geannuleerd door opvang;30/08/2026;;
A208;K208;P2;Het Nest;01/09/2026;;in behandeling;01/09/2026;;
A209;K209;P2;Het Nest;02/09/2026;;in behandeling;02/09/2026;;
A210;K210;P2;Het Nest;01/10/2026;;goedgekeurd;10/11/2026;;
A211;K211;P2;Het Nest;05/10/2026;;geannuleerd door opvang;03/11/2026;;
A212;K212;P2;Het Nest;01/06/2026;01/09/2026;goedgekeurd;10/06/2026;;
A213;K213;P2;Het Nest;02/06/2026;;goedgekeurd;12/06/2026;;
A214;K214;P2;Het Nest;03/06/2026;01/08/2026;goedgekeurd;13/06/2026;;
A215;K215;P2;Het Nest;03/06/2026;15/10/2026;goedgekeurd;20/06/2026;;
A216;K216;P2;Het Nest;01/07/2026;10/07/2026;goedgekeurd;05/07/2026;;
A401;K401;P4;De Vlinder;10/09/2026;;opvangplan niet mogelijk;20/09/2026;;
"""

REGISTER = {
    # P1 and P3 get plussubsidie (trap 3); P2 trap 2A; P4 (known from the export) a blank trap.
    "opvang": [["opvang_id", "naam", "subsidietrap"], ["P1", "Het Zonnetje", "3"], ["P2", "Het Nest", "2a"],
               ["P3", "De Kapoen", 3], ["P4", "De Vlinder", ""]],
    "vrije_plaatsen": [["opvang_id", "vanaf", "gemeld_op", "tot", "dagen", "plaatsen", "afgesloten_op", "reden"],
                       ["P1", "01/09/2026", "20/06/2026", "", "ma,di", 1, "", ""],
                       # closed since 30/09: it still covers (whatever its closing)
                       ["P2", "31/08/2026", "13/06/2026", "", "wo", 2, "30/09/2026", "ingevuld"]],
    "infopagina": [["opvang_id", "datum_controle", "bron", "openingsuren", "openingsdagen", "contact", "foto_logo",
                    "tarief"],
                   ["P1", "01/11/2025", "loket", "ja", "ja", "ja", "ja", "ja"],  # 365 days before T: counts
                   ["P2", "01/10/2026", "loket", "ja", "nee", "ja", "nee", "nee"],
                   ["P2", "20/10/2026", "opvang", "ja", "ja", "ja", "ja", "ja"],  # a declaration: te bevestigen
                   ["P3", "31/10/2025", "loket", "ja", "ja", "ja", "ja", "ja"],  # 366 days: too old
                   ["P4", "15/06/2026", "loket", "ja", "ja", "ja", "ja", "ja"]],
    "overeenkomst": [["opvang_id", "ondertekend_op"], ["P1", "05/01/2026"], ["P2", "05/11/2026"],
                     ["P4", "01/12/2025"]],
    "lok": [["datum", "onderwerp", "aanwezig"], ["12/03/2026", "Evaluatie procedure", "P1, P2"],
            ["15/09/2026", "Vrije plaatsen", "P1"], ["20/10/2026", "Cijfers", "P4"]],
}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        page = book.create_sheet(name)
        for row in rows:
            page.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def town(engine):
    assert import_file(engine, FIRST.encode(), "juli.csv", date(2026, 7, 1), "test").ok
    result = import_file(engine, LATEST.encode(), "november.csv", date(2026, 11, 15), "test")
    assert result.ok, result.messages
    result = import_register(engine, [("register.xlsx", xlsx(REGISTER))], "test")
    assert result.ok, result.problems
    return engine


def v(verdict, category, evidence=(), **share):
    return {"verdict": verdict, "category": category, "evidence": list(evidence), **share}


MINIMUM, FURTHER = "minimum", "further"

EXPECTED = {"from": "2026-06-01", "to": "2026-11-01", "providers": {
    "P1": {
        # Deadlines in the period: A101 (01/06 = F, answered that day), A103 (01/11 = T, never answered: late),
        # A105-A111; A107 answered 20/07 after its deadline 15/07. A102 (31/05) and A104 (02/11) fall outside.
        # 7 of 9 in time.
        "answering": v("shortcoming", MINIMUM, ["A103", "A107"], share=7 / 9),
        "infopagina": v("in_order", MINIMUM),
        "local_policy": v("in_order", MINIMUM, ["2026-10-20"]),  # attended 15/09
        # Approved in the period with a known kwetsbaar_gezin: K105 ja, K106 (nee on A106, ja on A109) ja, K107,
        # K110, K111 nee; K108 unknown. 2 of 5.
        "plus_share": v("in_order", MINIMUM, share=0.4),
        "statuses": v("in_order", FURTHER, ["A112"]),  # in behandeling since 10/03: 236 days
        # The place from 01/09 (reported 20/06) covers every approval but A107 (start 20/07 + 30 < 01/09).
        "vacancies": v("in_order", FURTHER, ["A107"]),
        "agreement": v("in_order", FURTHER),
        "negative_advice": True, "zero_score": False},
    "P2": {
        # A201 (parents cancelled on its deadline, unanswered) and A204 (K110 approved at P1 05/09, before its
        # deadline 08/09) are left out. Late: A202 (cancelled the day after), A203 (K105 approved 25/06, after
        # 19/06), A210 and A211 (answered after T), A215. In time: A205 (answered, though closed by R3), A206,
        # A207 (answered 25/06 by the first snapshot), A208, A209, A212, A213, A214, A216. 9 of 14.
        "answering": v("shortcoming", MINIMUM, ["A202", "A203", "A210", "A211", "A215"], share=9 / 14),
        "infopagina": v("shortcoming", MINIMUM, ["openingsdagen", "foto_logo", "tarief"]),
        "local_policy": v("shortcoming", MINIMUM, ["2026-09-15", "2026-10-20"]),
        "plus_share": v("not_applicable", MINIMUM, share=None),
        # A206: cancelled without an earlier answer; A208: in behandeling 61 days. A209 (60 days) does not count,
        # nor A205 (closed by R3), A207 (answered before), A211 (cancelled after T). Two: not more than 2.
        "statuses": v("in_order", FURTHER, ["A206", "A208"]),
        # The place from 31/08, reported 13/06: too late for A212 (approved 10/06) and A213 (12/06); too late a
        # start for A216 (10/07 + 30 = 09/08); covers A214 (13/06, start 01/08 + 30 = 31/08) and A215.
        "vacancies": v("shortcoming", FURTHER, ["A212", "A213", "A216"]),
        "agreement": v("shortcoming", FURTHER),  # signed 05/11, after T
        "negative_advice": True, "zero_score": True},
    "P3": {
        "answering": v("in_order", MINIMUM, share=None),
        "infopagina": v("unknown", MINIMUM),
        "local_policy": v("shortcoming", MINIMUM, ["2026-09-15", "2026-10-20"]),
        "plus_share": v("unknown", MINIMUM, share=None),
        "statuses": v("in_order", FURTHER),
        "vacancies": v("in_order", FURTHER),
        "agreement": v("shortcoming", FURTHER),
        "negative_advice": True, "zero_score": True},
    "P4": {
        "answering": v("in_order", MINIMUM, share=1.0),
        "infopagina": v("in_order", MINIMUM),
        "local_policy": v("in_order", MINIMUM, ["2026-09-15"]),
        "plus_share": v("not_applicable", MINIMUM, share=None),
        "statuses": v("in_order", FURTHER),
        "vacancies": v("in_order", FURTHER),
        "agreement": v("in_order", FURTHER),
        "negative_advice": False, "zero_score": False},
}}

CHANGED = {"answering_min_share": "75%", "infopagina_max_age_days": "364", "plus_min_share": "0,45",
           "statuses_max": "1", "lingering_days": "59", "unreported_max": "0", "vacancy_window_days": "29"}

EXPECTED_CHANGED = {"from": "2026-06-01", "to": "2026-11-01", "providers": {
    "P1": {**EXPECTED["providers"]["P1"],
           "answering": v("in_order", MINIMUM, ["A103", "A107"], share=7 / 9),  # 77.8% >= 75%
           "infopagina": v("unknown", MINIMUM),  # 365 days > 364
           "plus_share": v("shortcoming", MINIMUM, share=0.4),  # 40% < 45%
           "statuses": v("in_order", FURTHER, ["A112"]),  # one misuse: not more than 1
           "vacancies": v("shortcoming", FURTHER, ["A107"]),  # one uncovered: more than 0
           "negative_advice": True, "zero_score": True},
    "P2": {**EXPECTED["providers"]["P2"],
           "statuses": v("shortcoming", FURTHER, ["A206", "A208", "A209"]),  # A209: 60 days > 59
           "vacancies": v("shortcoming", FURTHER, ["A212", "A213", "A214", "A216"])},  # A214: 31/08 > 01/08 + 29
    "P3": EXPECTED["providers"]["P3"],
    "P4": EXPECTED["providers"]["P4"],
}}


def test_the_contract_in_full_with_the_default_settings(town):
    assert compliance(town, date(2026, 6, 1), date(2026, 11, 1)) == EXPECTED


def test_the_contract_follows_changed_settings_at_once(town):
    for key, value in CHANGED.items():
        services.change_setting(town, "test", key, value)
    assert compliance(town, date(2026, 6, 1), date(2026, 11, 1)) == EXPECTED_CHANGED


def test_a_changed_deadline_moves_the_counted_requests(town):
    """deadline_days 13: A101 (18/05 + 13 = 31/05) leaves the period, A104 (19/10 + 13 = 01/11) enters it, unanswered;
    A102 (17/05 + 13 = 30/05) stays out. P2: A215 (03/06 + 13 = 16/06, answered 20/06) is still late."""
    services.change_setting(town, "test", "deadline_days", "13")
    found = compliance(town, date(2026, 6, 1), date(2026, 11, 1))["providers"]
    assert found["P1"]["answering"] == v("shortcoming", MINIMUM, ["A103", "A104", "A107"], share=6 / 9)


def test_every_provider_appears_even_without_any_data(town):
    from sqlalchemy import text

    with town.begin() as conn:
        conn.execute(text("INSERT INTO providers (id, name, created_at) VALUES ('P0', 'Nieuw', '2026-01-01')"))
    found = compliance(town, date(2026, 6, 1), date(2026, 11, 1))["providers"]
    assert list(found) == ["P0", "P1", "P2", "P3", "P4"]
    assert found["P0"] == {**EXPECTED["providers"]["P3"], "plus_share": v("not_applicable", MINIMUM, share=None)}


def test_the_verdicts_carry_the_counts_for_the_screens(town):
    found = verdicts(town, date(2026, 6, 1), date(2026, 11, 1))
    assert found["P1"]["answering"].details == {"counted": 9, "in_time": 7, "late": 2, "late_requests": [
        # A103: deadline 01/11 = T, no answer: 0 days late; A107: answered 20/07, deadline 15/07: 5 days late
        {"id": "A103", "received": date(2026, 10, 18), "deadline": date(2026, 11, 1), "answered_on": None,
         "days_late": 0},
        {"id": "A107", "received": date(2026, 7, 1), "deadline": date(2026, 7, 15), "answered_on": date(2026, 7, 20),
         "days_late": 5}]}
    assert found["P1"]["plus_share"].details == {"children": 5, "vulnerable": 2}
    assert found["P2"]["statuses"].details == {"direct_cancellations": ["A206"], "lingering": ["A208"],
                                               "status_dates": {"A206": date(2026, 7, 1), "A208": date(2026, 9, 1)}}
    # the declaration of 20/10 does not count: openingsdagen, foto/logo and tarief missing since the check of 01/10
    assert found["P2"]["infopagina"].details == {"checked_on": date(2026, 10, 1), "age_days": 31, "missing_since": {
        "openingsdagen": date(2026, 10, 1), "foto_logo": date(2026, 10, 1), "tarief": date(2026, 10, 1)}}


# --- the command line -------------------------------------------------------------------------------------------

@pytest.fixture
def run(town, db_url, monkeypatch, capsys):
    """python -m llko ARGS in this process, against the town; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("LLKO_DATABASE_URL", db_url)
    monkeypatch.setenv("LLKO_TODAY", "2026-11-01")
    return in_process(capsys)


def test_the_cli_prints_the_contract(run):
    code, out, err = run("compliance", "--from", "2026-06-01", "--to", "2026-11-01", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED
    assert run("compliance", "--from", "01/06/2026", "--to", "01/11/2026", "--json")[1] == out


def test_the_default_period_is_the_year_up_to_today(run):
    """T = today (LLKO_TODAY 01/11/2026), F = T - 364 days = 02/11/2025."""
    explicit = run("compliance", "--from", "2025-11-02", "--to", "2026-11-01", "--json")[1]
    assert json.loads(explicit)["from"] == "2025-11-02"
    assert run("compliance", "--json")[1] == explicit
    assert run("compliance", "--to", "2026-11-01", "--json")[1] == explicit
    assert json.loads(run("compliance", "--from", "2026-06-01", "--json")[1]) == EXPECTED


def test_a_period_ending_before_it_starts_is_refused(run):
    code, out, err = run("compliance", "--from", "2026-11-02", "--to", "2026-11-01", "--json")
    assert (code, out) == (1, "")
    assert "Ongeldige periode: de begindatum (02/11/2026) ligt na de einddatum (01/11/2026)" in err
    code, out, err = run("compliance", "--from", "2026-11-02")  # today (01/11) as the end
    assert (code, out) == (1, "")
    assert "begindatum (02/11/2026)" in err


def test_the_readable_table(run):
    code, out, err = run("compliance", "--from", "2026-06-01", "--to", "2026-11-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("Naleving van de samenwerking, periode 01/06/2026 tot en met 01/11/2026 "
                        "(met de instellingen van nu)")
    assert lines[1].split() == ["opvang", "beantwoorden", "infopagina", "LOK", "plus", "statussen", "vrije",
                                "plaatsen", "overeenkomst", "negatief", "advies", "0-score"]
    assert lines[2].split() == ["P1", "Het", "Zonnetje", "TEKORT", "77,7%", "ok", "ok", "ok", "40%", "ok", "ok",
                                "ok", "ja", "nee"]
    assert lines[3].split() == ["P2", "Het", "Nest", "TEKORT", "64,2%", "TEKORT", "TEKORT", "-", "ok", "TEKORT",
                                "TEKORT", "ja", "ja"]
    assert lines[4].split() == ["P3", "De", "Kapoen", "ok", "?", "TEKORT", "?", "ok", "ok", "TEKORT", "ja", "ja"]
    assert lines[5].split() == ["P4", "De", "Vlinder", "ok", "100%", "ok", "ok", "-", "ok", "ok", "ok", "nee", "nee"]
    assert "? = onbekend" in out and "Lezing van het loket: minimale verplichtingen" in out


def test_the_cli_as_a_process(town, db_url):
    result = cli(db_url, "compliance", "--from", "2026-06-01", "--to", "2026-11-01", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED


def test_an_empty_database_gives_no_providers(engine):
    assert compliance(engine, date(2026, 6, 1), date(2026, 11, 1)) == {"from": "2026-06-01", "to": "2026-11-01",
                                                                       "providers": {}}


def test_shares_are_shown_cut_off_never_rounded_up_onto_a_threshold():
    percent = dutch.percent

    assert [percent(s) for s in (0.9, 0.8999, 7 / 9, 0.29, 1.0, 0.0, 2 / 3)] == [
        "90%", "89,9%", "77,7%", "29%", "100%", "0%", "66,6%"]
