"""R14 corrections, through the services that save them, on the hand-built town of test_compliance_cli: a contact,
a step of an enforcement file and an override corrected or withdrawn keep their original, marked with who, when and
why; the reads the rules and pages use see only what stands; a refusal writes nothing."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from llko.agreements.service import Refused
from llko.compliance import ladder, queries, rounds, service

from test_attachments import real_pdf
from test_compliance_cli import town  # noqa: F401  (the hand-built town, on SQLite and PostgreSQL)
from tests.helpers import database_at, rows

TODAY = date(2026, 11, 15)
WHY = "Verkeerde datum ingevuld."


def days(values) -> list[date]:
    return [pd.Timestamp(v).date() for v in values]


def audit_lines(engine, action: str) -> list[str]:
    return [r[0] for r in rows(engine, f"SELECT actor || ' ' || detail FROM audit_log WHERE action = '{action}'")]


# --- contacts -------------------------------------------------------------------------------------------------

def test_a_corrected_contact_is_replaced_and_its_original_kept_with_who_when_and_why(town):
    first = service.record_contact(town, "coord", "P1", date(2026, 11, 3), "telefoon", "Gebeld over A103.", TODAY,
                                   ["answering"], ["A103"])
    new = service.correct_contact(town, "coord", first, WHY, date(2026, 11, 4), "mail", "Gemaild over A103.", TODAY,
                                  ["answering"], ["A103"])
    standing = queries.contacts(town, ("P1",))
    assert standing[["id", "channel", "note", "request_ids"]].values.tolist() == [
        [new, "mail", "Gemaild over A103.", ["A103"]]]
    assert days(standing["contact_on"]) == [date(2026, 11, 4)]
    history = queries.contacts(town, ("P1",), history=True).set_index("id")
    assert history.loc[first, "state"] == "gecorrigeerd" and history.loc[new, "state"] == "geldt"
    assert history.loc[first, "remark"].startswith("gecorrigeerd door coord op ")
    assert history.loc[first, "remark"].endswith(": Verkeerde datum ingevuld.")
    assert history.loc[new, "remark"] == ""
    assert rows(town, f"SELECT channel, note FROM compliance_contacts WHERE id = {first}") == [
        ("telefoon", "Gebeld over A103.")]  # the original, unchanged
    [line] = audit_lines(town, "contact_corrected")
    assert line.startswith("coord ") and "Verkeerde datum ingevuld." in line and "03/11/2026 (telefoon)" in line


def test_a_withdrawn_contact_leaves_the_reads_and_cannot_be_withdrawn_twice(town):
    first = service.record_contact(town, "coord", "P2", date(2026, 11, 3), "bezoek", "Bezoek.", TODAY)
    service.withdraw_contact(town, "coord", first, "Bij de verkeerde opvang genoteerd.")
    assert queries.contacts(town, ("P2",)).empty
    [(state, remark)] = queries.contacts(town, ("P2",), history=True)[["state", "remark"]].values.tolist()
    assert state == "ingetrokken" and remark.endswith(": Bij de verkeerde opvang genoteerd.")
    with pytest.raises(Refused) as refused:
        service.withdraw_contact(town, "coord", first, "Nog eens ingetrokken.")
    assert refused.value.problems == {"entry": "Dit contact is al ingetrokken; er is niets gewijzigd. Corrigeer zo "
                                               "nodig de versie die nu geldt."}
    assert len(audit_lines(town, "contact_withdrawn")) == 1


def test_a_correction_without_a_reason_or_with_a_future_date_writes_nothing(town):
    first = service.record_contact(town, "coord", "P1", date(2026, 11, 3), "telefoon", "Gebeld.", TODAY)
    before = rows(town, "SELECT * FROM compliance_contacts ORDER BY id")
    with pytest.raises(Refused) as refused:
        service.correct_contact(town, "coord", first, "fout", date(2026, 11, 16), "mail", "Gemaild.", TODAY)
    assert set(refused.value.problems) == {"reason", "on"}
    assert "minstens 10 tekens" in refused.value.problems["reason"]
    assert "16/11/2026 ligt in de toekomst" in refused.value.problems["on"]
    with pytest.raises(Refused):
        service.withdraw_contact(town, "coord", first, "   ")
    assert rows(town, "SELECT * FROM compliance_contacts ORDER BY id") == before
    assert audit_lines(town, "contact_corrected") == audit_lines(town, "contact_withdrawn") == []


# --- the ladder -------------------------------------------------------------------------------------------------

def test_a_corrected_step_stays_between_its_neighbours_both_days_included():
    on = ladder.correction_problems
    assert on("loket_talk", date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 1), "x", "", TODAY) == {}
    assert on("loket_talk", date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 10), "x", "", TODAY) == {}
    assert on("loket_talk", date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 11), "x", "", TODAY) == {
        "on": "Datum: 11/11/2026 ligt na de volgende stap (10/11/2026); de ladder gaat enkel vooruit in de tijd."}
    assert on("loket_talk", date(2026, 11, 1), None, date(2026, 10, 31), "x", "", TODAY) == {
        "on": "Datum: 31/10/2026 ligt vóór de vorige stap (01/11/2026); de ladder gaat enkel vooruit in de tijd."}
    assert list(on("closed", date(2026, 11, 1), None, date(2026, 11, 5), "x", "", TODAY)) == ["outcome"]


def _file(engine) -> tuple[int, list[int]]:
    """P2's file: noted 01/11 (with a PDF), loket talk 05/11, closed 10/11."""
    file_id = service.open_file(engine, "coord", "Cora", "P2", date(2026, 11, 1), ["answering"], "Vastgesteld.",
                                TODAY, [("brief.pdf", real_pdf())])
    talk = service.add_step(engine, "coord", "Cora", file_id, "loket_talk", date(2026, 11, 5), "Gesprek.", TODAY)
    closed = service.add_step(engine, "coord", "Cora", file_id, "closed", date(2026, 11, 10), "Klaar.", TODAY,
                              "Tekort weggewerkt.")
    noted = queries.steps(engine, "P2")["id"].tolist()[0]
    return file_id, [noted, talk, closed]


def test_a_step_is_corrected_through_the_service_only_between_its_neighbours(town):
    file_id, (noted, talk, closed) = _file(town)
    with pytest.raises(Refused) as refused:
        service.correct_step(town, "coord", "Cora", talk, WHY, date(2026, 11, 11), "Gesprek.", TODAY)
    assert refused.value.problems == {"on": "Datum: 11/11/2026 ligt na de volgende stap (10/11/2026); de ladder gaat "
                                            "enkel vooruit in de tijd."}
    new = service.correct_step(town, "coord", "Cora", talk, WHY, date(2026, 11, 10), "Gesprek op het loket.", TODAY)
    steps = queries.steps(town, "P2")
    assert steps[["id", "step"]].values.tolist() == [[noted, "noted"], [new, "loket_talk"], [closed, "closed"]]
    assert days(steps["taken_on"]) == [date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 10)]
    corrected_noted = service.correct_step(town, "coord", "Cora", noted, WHY, date(2026, 10, 30), "Vastgesteld.",
                                           TODAY)
    [attached] = queries.steps(town, "P2").set_index("id").loc[corrected_noted, "attachments"]
    assert attached[1] == "brief.pdf"  # the attachment goes with the corrected step
    [file] = queries.files(town, ("P2",)).to_dict("records")
    assert days([file["opened_on"], file["closed_on"]]) == [date(2026, 10, 30), date(2026, 11, 10)]
    assert len(audit_lines(town, "enforcement_step_corrected")) == 2


def test_withdrawing_the_last_steps_reopens_the_file_and_then_withdraws_it(town):
    file_id, (noted, talk, closed) = _file(town)
    with pytest.raises(Refused) as refused:
        service.withdraw_step(town, "coord", talk, "Niet de laatste stap.")
    assert "Enkel de laatste stap" in refused.value.problems["entry"]
    service.withdraw_step(town, "coord", closed, "Te vroeg afgesloten.")
    [(closed_on, step, outcome)] = queries.files(town, ("P2",))[["closed_on", "step", "outcome"]].values.tolist()
    assert pd.isna(closed_on) and (step, outcome) == ("loket_talk", "")
    service.withdraw_step(town, "coord", talk, "Gesprek ging niet door.")
    service.withdraw_step(town, "coord", noted, "Dossier bij de verkeerde opvang.")
    assert queries.files(town, ("P2",)).empty and queries.steps(town, "P2").empty
    history = queries.steps(town, "P2", history=True)
    assert history["state"].tolist() == ["ingetrokken"] * 3
    # the file no longer stands: a new one may be opened
    assert service.open_file(town, "coord", "Cora", "P2", date(2026, 11, 12), ["answering"], "Opnieuw.", TODAY)
    assert len(audit_lines(town, "enforcement_step_withdrawn")) == 3


# --- overrides ---------------------------------------------------------------------------------------------

def test_a_newer_decision_on_an_advice_marks_the_earlier_one_corrected(town):
    round_id = rounds.create(town, "coord", "Uitbreidingsronde 2027", "uitbreidingsronde", date(2026, 6, 1),
                             date(2026, 11, 1))
    first = service.override_advice(town, "coord", "P1", "negative_advice", round_id, False,
                                    "Achterstand door ziekte van de verantwoordelijke, nu opgelost.")
    second = service.override_advice(town, "coord", "P1", "negative_advice", round_id, None,
                                     "Na nieuw overleg toch het afgeleide advies aangehouden.")
    assert rows(town, f"SELECT replaced_by, voided_by FROM advice_overrides WHERE id = {first}") == [(second, "coord")]
    assert rows(town, f"SELECT voided_at FROM advice_overrides WHERE id = {second}") == [(None,)]
    history = queries.override_history(town, "P1")
    assert history["state"].tolist() == ["geldt", "gecorrigeerd"]


# --- on the Dossier page ---------------------------------------------------------------------------------------

def test_the_coordinator_corrects_and_withdraws_a_contact_on_the_dossier(town, db_url, app_env):
    from apptest import page, table
    from llko.accounts import auth

    app_env(db_url)
    auth.create_user(town, "test", "coord", "Cora Coördinator", "coordinator", "een-lang-wachtwoord")
    service.record_contact(town, "coord", "P2", date(2026, 10, 20), "telefoon", "Gebeld over A202.", TODAY)
    at = page("views/dossier.py", "coord").run()
    at.selectbox(key="dossier_provider").set_value("P2").run()
    assert next(s for s in at.selectbox if s.key == "fix_contact_entry").options == [
        "20/10/2026 — telefoon: Gebeld over A202."]
    next(t for t in at.text_input if t.label.startswith("Reden")).input("Het was een bezoek, geen telefoon.")
    [r for r in at.radio if r.label == "Kanaal"][-1].set_value("bezoek")  # the correction form comes last
    next(b for b in at.button if b.label == "Correctie bewaren").click().run()
    assert at.success[0].value == ("Het contact van 20/10/2026 is gecorrigeerd; het origineel blijft in de "
                                   "geschiedenis.")
    timeline = table(at, "Toestand")
    assert timeline["Wat"].tolist() == ["Contact (bezoek)", "Contact (telefoon)"]
    assert timeline["Toestand"].iloc[0] == "geldt"
    assert timeline["Toestand"].iloc[1].startswith("gecorrigeerd door Cora Coördinator op ")
    assert timeline["Toestand"].iloc[1].endswith(": Het was een bezoek, geen telefoon.")
    next(t for t in at.text_input if t.label.startswith("Reden")).input("kort")
    next(b for b in at.button if b.label == "Intrekken").click().run()
    assert [e.value for e in at.error] == ["Reden: schrijf waarom (minstens 10 tekens); ze blijft bij het origineel "
                                           "staan."]
    assert len(queries.contacts(town, ("P2",))) == 1


# --- infopagina checks and declarations --------------------------------------------------------------------------

def check_id(engine, provider_id: str, source: str) -> int:
    [(found,)] = rows(engine, f"SELECT id FROM infopagina_checks WHERE provider_id = '{provider_id}' "
                              f"AND source = '{source}' AND voided_at IS NULL")
    return found


ALL_BUT_TARIEF = {"openingsuren": True, "openingsdagen": True, "contact": True, "foto_logo": True, "tarief": False}


def test_the_infopagina_verdict_reads_the_corrected_check_and_none_once_it_is_withdrawn(town):
    from llko.infopagina import queries as infopagina_queries, service as infopagina

    F, T = date(2026, 6, 1), date(2026, 11, 1)
    # P2's loket check of 01/10/2026 lacked openingsdagen, foto_logo and tarief (test_compliance_cli's EXPECTED)
    original = check_id(town, "P2", "loket")
    new = infopagina.correct(town, "coord", original, "Openingsdagen en foto over het hoofd gezien.",
                             date(2026, 10, 2), ALL_BUT_TARIEF, TODAY, "Cora")
    found = compliance_entry(town, "P2", F, T)["infopagina"]
    assert (found["verdict"], found["evidence"]) == ("shortcoming", ["tarief"])
    history = infopagina_queries.history(town, ("P2",))
    declared = check_id(town, "P2", "opvang")  # 20/10/2026
    assert history[["id", "source", "state"]].values.tolist() == [
        [declared, "opvang", "geldt"], [new, "loket", "geldt"], [original, "loket", "gecorrigeerd"]]
    infopagina.withdraw(town, "coord", new, "Controle bij de verkeerde opvang genoteerd.")
    found = compliance_entry(town, "P2", F, T)["infopagina"]
    assert (found["verdict"], found["evidence"]) == ("unknown", [])  # no loket check stands
    assert [r[0] for r in rows(town, "SELECT action FROM audit_log WHERE action LIKE 'infopagina_%' ORDER BY id")
            ] == ["infopagina_corrected", "infopagina_withdrawn"]


def compliance_entry(engine, provider_id: str, date_from: date, date_to: date) -> dict:
    return queries.compliance(engine, date_from, date_to)["providers"][provider_id]


def test_a_provider_corrects_or_withdraws_only_its_own_declarations(town):
    from llko.infopagina import queries as infopagina_queries, rules as infopagina_rules, service as infopagina

    declared = check_id(town, "P2", "opvang")
    before = rows(town, "SELECT * FROM infopagina_checks ORDER BY id")
    for allowed, entry in ((("P1",), declared), (("P2",), check_id(town, "P2", "loket"))):
        with pytest.raises(ValueError, match="^U kunt alleen de verklaringen van uw eigen opvang corrigeren of "
                                             "intrekken.$"):
            infopagina.withdraw(town, "nest", entry, "Per vergissing verstuurd.", allowed=allowed)
    assert rows(town, "SELECT * FROM infopagina_checks ORDER BY id") == before
    infopagina.withdraw(town, "nest", declared, "Per vergissing verstuurd.", allowed=("P2",))
    state = infopagina_rules.state(infopagina_queries.checks(town, ("P2",)), TODAY)
    assert state.to_confirm is None  # the declaration no longer waits for the loket
    assert rows(town, f"SELECT voided_by, void_reason FROM infopagina_checks WHERE id = {declared}") == [
        ("nest", "Per vergissing verstuurd.")]


def test_a_second_check_on_the_same_day_keeps_the_first_as_corrected(town):
    from llko.infopagina import queries as infopagina_queries, service as infopagina

    infopagina.record(town, "coord", "P4", date(2026, 11, 10), "loket", ALL_BUT_TARIEF, "Cora", today=TODAY)
    infopagina.record(town, "coord", "P4", date(2026, 11, 10), "loket", {**ALL_BUT_TARIEF, "tarief": True}, "Cora",
                      today=TODAY)
    history = infopagina_queries.history(town, ("P4",))
    assert history[["checked_on", "tarief", "state"]].values.tolist() == [
        [date(2026, 11, 10), True, "geldt"], [date(2026, 11, 10), False, "gecorrigeerd"],
        [date(2026, 6, 15), True, "geldt"]]
    assert history["remark"].iloc[1].endswith(": Opnieuw vastgelegd op dezelfde dag.")


# --- referrals ---------------------------------------------------------------------------------------------------

def test_a_referral_is_corrected_then_withdrawn_and_both_stay_in_the_history(town):
    from llko.vacancies import service as vacancies
    from llko.vacancies.service import VacancyRefused

    [(vacancy,)] = rows(town, "SELECT id FROM vacancies WHERE provider_id = 'P1'")
    vacancies.refer(town, "coord", vacancy, "K112", date(2026, 11, 2), "Gebeld.", today=TODAY)
    [first] = vacancies.referrals(town, [vacancy])["id"].tolist()
    with pytest.raises(VacancyRefused) as refused:
        vacancies.correct_referral(town, "coord", first, WHY, date(2026, 11, 16), "Gemaild.", TODAY)
    assert refused.value.problems == {"told_on": "Ingelicht op: 16/11/2026 ligt in de toekomst."}
    new = vacancies.correct_referral(town, "coord", first, WHY, date(2026, 11, 3), "Gemaild.", TODAY)
    vacancies.withdraw_referral(town, "coord", new, "Het gezin was al eerder ingelicht.")
    found = vacancies.referrals(town, [vacancy])
    assert found[["id", "told_on", "note", "state"]].values.tolist() == [
        [first, date(2026, 11, 2), "Gebeld.", "gecorrigeerd"], [new, date(2026, 11, 3), "Gemaild.", "ingetrokken"]]
    assert found["remark"].iloc[1].endswith(": Het gezin was al eerder ingelicht.")
    assert [r[0] for r in rows(town, "SELECT action FROM audit_log WHERE action LIKE 'vacancy_referral%' ORDER BY id")
            ] == ["vacancy_referral", "vacancy_referral_corrected", "vacancy_referral_withdrawn"]


# --- the register workbook ------------------------------------------------------------------------------------

def test_the_workbook_leaves_out_what_was_withdrawn_and_its_key_can_be_entered_again(town):
    from llko.infopagina import service as infopagina
    from llko.registers.export import sheet
    from llko.registers.workbook import import_register

    withdrawn = check_id(town, "P4", "loket")  # 15/06/2026, all five present
    infopagina.withdraw(town, "coord", withdrawn, "Controle bij de verkeerde opvang genoteerd.")
    assert "P4" not in sheet(town, "infopagina")["opvang_id"].tolist()
    again = ("opvang_id;datum_controle;bron;openingsuren;openingsdagen;contact;foto_logo;tarief\n"
             "P4;15/06/2026;loket;ja;ja;ja;nee;ja\n")
    result = import_register(town, [("infopagina.csv", again.encode())], "coord")
    assert result.ok, result.problems
    assert rows(town, "SELECT foto_logo, voided_at IS NULL FROM infopagina_checks WHERE provider_id = 'P4' "
                      "ORDER BY id") == [(True, False), (False, True)]  # the withdrawn one untouched, a new one


# --- the migration that brought R14 -------------------------------------------------------------------------------

def test_an_older_database_keeps_its_lok_attendance_and_marks_its_replaced_overrides(tmp_path):
    from sqlalchemy.exc import IntegrityError

    from llko.bootstrap import migrate

    engine = database_at("0011", tmp_path / "old.sqlite3")
    with engine.begin() as conn:
        for sql in (
                "INSERT INTO providers (id, name, reminders, created_at) VALUES ('P1', 'Het Zonnetje', 1, '2026-01-01')",
                "INSERT INTO lok_meetings (id, held_on, subject) VALUES (7, '2026-03-12', 'Evaluatie')",
                "INSERT INTO lok_attendance (meeting_id, provider_id) VALUES (7, 'P1')",
                "INSERT INTO procedure_evaluations (year, meeting_id, findings, advice, recorded_by, recorded_at) "
                "VALUES (2026, 7, 'goed', 'behouden', 'coord', '2026-03-13 10:00:00')",
                "INSERT INTO advice_rounds (id, name, kind, period_from, period_to, state, created_by, created_at) "
                "VALUES (1, 'Subsidie 2027', 'subsidie', '2026-01-01', '2026-12-31', 'open', 'coord', "
                "'2026-11-01 09:00:00')",
                "INSERT INTO advice_overrides (id, round_id, provider_id, advice, period_from, period_to, derived, "
                "value, motivation, decided_by, decided_at) VALUES "
                "(1, 1, 'P1', 'negative_advice', '2026-01-01', '2026-12-31', 1, 0, 'eerste motivering', 'coord', "
                "'2026-11-02 09:00:00'), "
                "(2, 1, 'P1', 'negative_advice', '2026-01-01', '2026-12-31', 1, NULL, 'tweede motivering', 'anna', "
                "'2026-11-03 09:00:00')"):
            conn.execute(text(sql))
    migrate(engine)
    assert rows(engine, "SELECT meeting_id, provider_id FROM lok_attendance") == [(7, "P1")]
    assert rows(engine, "SELECT meeting_id FROM procedure_evaluations") == [(7,)]
    assert rows(engine, "SELECT id, replaced_by, voided_by, void_reason FROM advice_overrides ORDER BY id") == [
        (1, 2, "anna", "tweede motivering"), (2, None, None, None)]
    with pytest.raises(IntegrityError), engine.begin() as conn:  # the key holds among standing meetings
        conn.execute(text("INSERT INTO lok_meetings (held_on, subject) VALUES ('2026-03-12', 'dubbel')"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE lok_meetings SET voided_at = '2026-12-01 10:00:00' WHERE id = 7"))
        conn.execute(text("INSERT INTO lok_meetings (held_on, subject) VALUES ('2026-03-12', 'gecorrigeerd')"))
    engine.dispose()


def test_the_audit_page_says_in_words_what_was_corrected_and_why(town):
    from llko import audit

    first = service.record_contact(town, "coord", "P1", date(2026, 11, 3), "telefoon", "Gebeld.", TODAY)
    service.correct_contact(town, "coord", first, WHY, date(2026, 11, 4), "mail", "Gemaild.", TODAY)
    file_id, (noted, talk, closed) = _file(town)
    service.withdraw_step(town, "coord", closed, "Te vroeg afgesloten.")
    described = {action: audit.describe(action, detail) for action, detail in rows(
        town, "SELECT action, detail FROM audit_log WHERE action LIKE '%corrected' OR action LIKE '%withdrawn'")}
    assert described == {
        "contact_corrected": "opvang P1, contact van 03/11/2026 (telefoon): nu 04/11/2026 per mail; reden: "
                             "Verkeerde datum ingevuld.",
        "enforcement_step_withdrawn": f"opvang P2, dossier {file_id}: Afgesloten van 10/11/2026; reden: Te vroeg "
                                      "afgesloten."}
    assert audit.ACTION_LABELS["contact_corrected"] == "Contact met een opvang gecorrigeerd"


def test_the_service_refuses_a_step_dated_before_the_files_last_step_and_writes_nothing(town):
    file_id = service.open_file(town, "coord", "Cora", "P2", date(2026, 11, 5), ["answering"], "Vastgesteld.", TODAY)
    before = rows(town, "SELECT COUNT(*) FROM enforcement_steps")
    with pytest.raises(Refused) as refused:
        service.add_step(town, "coord", "Cora", file_id, "loket_talk", date(2026, 11, 4), "Gesprek.", TODAY)
    assert refused.value.problems == {"on": "Datum: 04/11/2026 ligt vóór de vorige stap (05/11/2026); de ladder gaat "
                                            "enkel vooruit in de tijd."}
    assert rows(town, "SELECT COUNT(*) FROM enforcement_steps") == before
    assert service.add_step(town, "coord", "Cora", file_id, "loket_talk", date(2026, 11, 5), "Gesprek.", TODAY)
