"""Advice rounds (R9, issue 23): advice is given for a decision, not for "the last 365 days". On the hand-built town of
test_compliance_cli (period F = 01/06/2026 .. T = 01/11/2026; P1 Het Zonnetje answered 7 of 9 requests in time,
A103 and A107 late: a shortcoming of a minimum obligation, so negative advice 'ja'):
- an override belongs to its round and never vanishes when the calendar moves (a day, a year);
- a fixed round keeps its verdicts, shares, overrides and settings, whatever is imported or changed later;
- it is reopened only with a motivation; every change is audited;
- `python -m llko compliance --round NAME --json` prints the round; `--from/--to` stays live, without overrides;
- the migration moves overrides made before rounds existed into a round named after their period."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from apptest import page, table
from llko import settings as settings_store
from llko.bootstrap import migrate
from llko.compliance import rounds, service
from llko.compliance.queries import compliance
from llko.requests.importer import import_file

from test_compliance_cli import HEADER, run, town  # noqa: F401  (the hand-built town, on SQLite and PostgreSQL)
from tests.helpers import database_at, round_contract

F, T = date(2026, 6, 1), date(2026, 11, 1)
WHY = "Na het gesprek van 20/11 blijkt de achterstand door ziekte van de verantwoordelijke."
# A later snapshot: six more requests of P1 received in the period, each answered in time (P1 now 13 of 15 in time).
LATER = HEADER + "".join(f"\nA12{i};K12{i};P1;Het Zonnetje;0{i}/09/2026;;goedgekeurd;0{i + 1}/09/2026;0{i + 1}/09/2026;"
                         for i in range(1, 7)) + "\n"


def audited(engine, action: str) -> list[dict]:
    with engine.connect() as conn:
        return [json.loads(d) for (d,) in conn.execute(text("SELECT detail FROM audit_log WHERE action = :a "
                                                            "ORDER BY id"), {"a": action})]


def p1(engine, round_id: int) -> dict:
    return round_contract(engine, round_id)["providers"]["P1"]


# --- making rounds ---------------------------------------------------------------------------------------------

def test_a_round_needs_a_new_name_a_kind_and_a_period(town):  # noqa: F811
    rounds.create(town, "coord", "Subsidie 2027", "subsidie", F, T)
    for name, kind, start, end, problems in [
        ("  ", "subsidie", F, T, {"name": "Naam: geef de ronde een naam, bv. ‘Subsidie 2027’ of ‘Uitbreidingsronde "
                                           "2027’."}),
        ("Subsidie 2027", "subsidie", F, T, {"name": "Naam: er is al een ronde ‘Subsidie 2027’; kies een andere naam."}),
        ("Ronde", "premie", F, T, {"kind": "Soort: kies subsidie van de stad of uitbreidingsronde."}),
        ("Ronde", "subsidie", T, F, {"period": "Ongeldige periode: de begindatum (01/11/2026) ligt na de einddatum "
                                               "(01/06/2026). Kies een begindatum op of vóór de einddatum."}),
    ]:
        with pytest.raises(rounds.RoundRefused) as refused:
            rounds.create(town, "coord", name, kind, start, end)
        assert refused.value.problems == problems
    assert [r.name for r in rounds.all_rounds(town)] == ["Subsidie 2027"]
    assert audited(town, "advice_round_created") == [
        {"ronde": "Subsidie 2027", "soort": "subsidie van de stad", "periode": "01/06/2026 – 01/11/2026"}]


def test_the_pages_open_on_the_most_recent_open_round_else_the_most_recent(town):  # noqa: F811
    old = rounds.create(town, "coord", "Subsidie 2026", "subsidie", date(2025, 1, 1), date(2025, 12, 31))
    new = rounds.create(town, "coord", "Subsidie 2027", "subsidie", date(2026, 1, 1), date(2026, 12, 31))
    assert rounds.default(rounds.all_rounds(town)).id == new
    rounds.fix(town, "coord", new, T)
    assert rounds.default(rounds.all_rounds(town)).id == old  # the open one, though older
    rounds.fix(town, "coord", old, T)
    assert rounds.default(rounds.all_rounds(town)).id == new
    assert rounds.default([]) is None


# --- an override lasts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("today", [T, T + timedelta(days=1), date(2027, 11, 1)])
def test_an_override_made_today_is_still_there_when_today_moves(town, db_url, app_env, monkeypatch, today):  # noqa: F811
    from llko.accounts import auth

    app_env(db_url)
    monkeypatch.setenv("LLKO_TODAY", today.isoformat())
    auth.create_user(town, "test", "coord", "Cora Coördinator", "coordinator", "een-lang-wachtwoord")
    auth.create_user(town, "test", "beleid", "Bert Beleid", "policy", "een-lang-wachtwoord")
    advice = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", F, T)
    service.override_advice(town, "coord", "P1", "negative_advice", advice, False, WHY)
    for username in ("coord", "beleid"):
        at = page("views/naleving.py", username).run()
        grid = table(at, "Negatief advies").set_index("Opvang")
        assert grid.at["Het Zonnetje", "Negatief advies"] == "nee (aangepast; afgeleid: ja)"
        assert grid.at["Het Zonnetje", "Aanvragen tijdig beantwoorden"] == "✗ tekort"


def test_an_override_is_refused_in_a_fixed_round_and_in_no_round(town):  # noqa: F811
    advice = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", F, T)
    rounds.fix(town, "coord", advice, T)
    with pytest.raises(service.Refused) as fixed:
        service.override_advice(town, "coord", "P1", "negative_advice", advice, False, WHY)
    assert fixed.value.problems == {"round": "Adviesronde: ‘Uitbreidingsronde 2027’ is vastgelegd; heropen ze eerst "
                                             "(met een motivering) om het advies aan te passen."}
    with pytest.raises(service.Refused):
        service.override_advice(town, "coord", "P1", "negative_advice", advice + 99, False, WHY)


# --- a fixed round keeps what it said -----------------------------------------------------------------------------

def test_a_fixed_round_keeps_its_verdicts_after_a_new_import_and_a_changed_setting(town):  # noqa: F811
    advice = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", F, T)
    service.override_advice(town, "coord", "P1", "zero_score", advice, True, WHY)
    live = rounds.create(town, "coord", "Subsidie 2027", "subsidie", F, T)
    rounds.fix(town, "coord", advice, date(2026, 11, 20))
    before = p1(town, advice)
    assert before["answering"] == {"verdict": "shortcoming", "category": "minimum", "evidence": ["A103", "A107"],
                                   "share": 7 / 9}
    assert before["zero_score_override"]["value"] is True and before["zero_score_override"]["motivation"] == WHY

    assert import_file(town, LATER.encode(), "december.csv", date(2026, 12, 1), "test").ok
    settings_store.save(town, "coord", "answering_min_share", "0,7")
    assert p1(town, advice) == before  # fixed: exactly what it said
    now = p1(town, live)  # open: the data and the settings of now (13 of 15 in time, at least 70%: in order)
    assert now["answering"] == {"verdict": "in_order", "category": "minimum", "evidence": ["A103", "A107"],
                                "share": 13 / 15}
    standing = rounds.standing(town, rounds.by_id(town, advice))
    assert standing.settings.answering_min_share == 0.9  # the thresholds it was judged by
    assert standing.verdicts["P1"]["answering"].details["late_requests"][0]["deadline"] == date(2026, 11, 1)
    assert audited(town, "advice_round_fixed") == [{"ronde": "Uitbreidingsronde 2027", "op": "2026-11-20"}]


def test_a_fixed_round_reopens_only_with_a_motivation_and_is_live_again(town):  # noqa: F811
    advice = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", F, T)
    rounds.fix(town, "coord", advice, T)
    with pytest.raises(rounds.RoundRefused) as short:
        rounds.reopen(town, "coord", advice, "te kort")
    assert list(short.value.problems) == ["motivation"]
    assert rounds.by_id(town, advice).is_fixed
    with pytest.raises(rounds.RoundRefused):
        rounds.fix(town, "coord", advice, T)  # fixed already
    settings_store.save(town, "coord", "answering_min_share", "0,7")
    assert p1(town, advice)["answering"]["verdict"] == "shortcoming"
    rounds.reopen(town, "coord", advice, "De export van oktober bleek onvolledig; opnieuw beoordelen.")
    assert not rounds.by_id(town, advice).is_fixed
    assert p1(town, advice)["answering"]["verdict"] == "in_order"
    assert audited(town, "advice_round_reopened") == [
        {"ronde": "Uitbreidingsronde 2027", "motivering": "De export van oktober bleek onvolledig; opnieuw beoordelen."}]


# --- the command line ---------------------------------------------------------------------------------------------

def test_the_cli_prints_a_round_with_its_overrides_and_a_free_period_without(run, town):  # noqa: F811
    advice = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", F, T)
    service.override_advice(town, "coord", "P1", "negative_advice", advice, False, WHY)
    code, out, err = run("compliance", "--round", "Uitbreidingsronde 2027", "--json")
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert (found["from"], found["to"]) == ("2026-06-01", "2026-11-01")
    entry = found["providers"]["P1"]
    assert entry["negative_advice"] is True
    assert {k: v for k, v in entry["negative_advice_override"].items() if k != "at"} == {
        "value": False, "motivation": WHY, "by": "coord"}
    free = json.loads(run("compliance", "--from", "2026-06-01", "--to", "2026-11-01", "--json")[1])
    assert "negative_advice_override" not in free["providers"]["P1"]
    assert free["providers"]["P1"] == {k: v for k, v in entry.items() if not k.endswith("_override")}
    code, out, err = run("compliance", "--round", "Subsidie 1999", "--json")
    assert code != 0 and out == "" and "Onbekende adviesronde ‘Subsidie 1999’ (rondes: ‘Uitbreidingsronde 2027’)" in err


# --- the migration --------------------------------------------------------------------------------------------------

def test_overrides_made_before_rounds_move_into_a_round_named_after_their_period(tmp_path):
    engine = database_at("0009", tmp_path / "old.sqlite3")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO providers (id, name, created_at) VALUES ('P1', 'Het Zonnetje', "
                          "'2026-01-01 00:00:00')"))
        for period_from, value in (("2026-06-01", 0), ("2026-06-01", 1), ("2025-11-02", 0)):
            conn.execute(text("INSERT INTO advice_overrides (provider_id, advice, period_from, period_to, derived, "
                              "value, motivation, decided_by, decided_at) VALUES ('P1', 'negative_advice', :f, "
                              "'2026-11-01', 1, :v, 'Een motivering van twintig tekens.', 'coord', "
                              "'2026-11-20 10:00:00')"), {"f": period_from, "v": value})
    migrate(engine)
    found = {r.name: r for r in rounds.all_rounds(engine)}
    assert sorted(found) == ["Periode 01/06/2026 – 01/11/2026", "Periode 02/11/2025 – 01/11/2026"]
    june = found["Periode 01/06/2026 – 01/11/2026"]
    assert (june.kind, june.state, june.date_from, june.date_to) == ("uitbreidingsronde", "open", F, T)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM advice_overrides WHERE round_id = :r"),
                            {"r": june.id}).scalar_one() == 2
        assert conn.execute(text("SELECT COUNT(*) FROM advice_overrides WHERE round_id IS NULL")).scalar_one() == 0
    engine.dispose()


def test_compliance_over_a_free_period_has_no_overrides(town):  # noqa: F811
    advice = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", F, T)
    service.override_advice(town, "coord", "P1", "negative_advice", advice, False, WHY)
    assert not any(k.endswith("_override") for k in compliance(town, F, T)["providers"]["P1"])


def test_a_letter_for_a_round_that_ended_before_today_reads_that_period_and_its_overrides(town):  # noqa: F811
    from llko.compliance import letters

    round_id = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", date(2026, 6, 1),
                             date(2026, 11, 1))
    service.override_advice(town, "coord", "P1", "negative_advice", round_id, False,
                            "Achterstand door ziekte van de verantwoordelijke, nu opgelost.")
    service.record_contact(town, "coord", "P1", date(2026, 11, 10), "telefoon", "Gebeld over A103.",
                                  date(2026, 11, 15))
    gone = service.record_contact(town, "coord", "P1", date(2026, 11, 12), "mail", "Verkeerde opvang.",
                                  date(2026, 11, 15))
    service.withdraw_contact(town, "coord", gone, "Bij de verkeerde opvang genoteerd.")
    letter = letters.letter(town, "P1", rounds.by_id(town, round_id), date(2026, 12, 4), "Cora")
    assert (letter.date_from, letter.date_to, letter.written_on) == (date(2026, 6, 1), date(2026, 11, 1),
                                                                       date(2026, 12, 4))
    # over 01/06..01/11 (not up to today): A103 and A107 late, 7 of 9 (test_compliance_cli's EXPECTED)
    assert letter.verdicts["answering"].evidence == ["A103", "A107"]
    assert letter.verdicts["answering"].share == 7 / 9
    assert letter.overrides["negative_advice"].value is False
    assert [(s.on, s.what) for s in letter.steps] == [(date(2026, 11, 10), "Contact (telefoon)")]  # what stands
