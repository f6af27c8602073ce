"""R14 for R10's registers, through the services that save them, on the hand-built town of test_compliance_cli: a
signature and a LOK meeting corrected or withdrawn keep their original, marked with who, when and why; the reads the
rules use see only what stands, so the `agreement` and `local_policy` verdicts follow (worked out by hand below); a
correction carries the scan, the attendance, the minutes and the evaluation's link along; a refusal writes nothing.

The town's register (test_compliance_cli.REGISTER): signatures P1 05/01/2026, P2 05/11/2026 (after T), P4
01/12/2025; LOK meetings 12/03/2026 (P1, P2), 15/09/2026 (P1) and 20/10/2026 (P4). Period F = 01/06/2026 ..
T = 01/11/2026: the meetings in it are 15/09 and 20/10."""

from datetime import date

import pandas as pd
import pytest

from llko import audit
from llko.accounts import auth
from llko.agreements import queries, service
from llko.agreements.service import Refused
from llko.compliance.queries import compliance

from test_attachments import real_pdf
from test_compliance_cli import EXPECTED, FURTHER, MINIMUM, town, v  # noqa: F401  (town: SQLite and PostgreSQL)
from tests.helpers import audited, described, rows

TODAY = date(2026, 11, 15)
F, T = date(2026, 6, 1), date(2026, 11, 1)
PDF = real_pdf()
WHY = "Verkeerde datum overgenomen van de scan."
GONE = "Per vergissing vastgelegd, ging niet door."
TABLES = ("agreements", "lok_meetings", "lok_attendance", "procedure_evaluations", "audit_log")


@pytest.fixture
def coord(town):
    """The town with the coordinator's account, so a remark names her in full."""
    auth.create_user(town, "test", "coord", "Cora Coördinator", "coordinator", "een-lang-wachtwoord")
    return town


def day(value) -> date:
    return pd.Timestamp(value).date()


def signature_of(engine, provider_id: str) -> int:
    [(found,)] = rows(engine, f"SELECT id FROM agreements WHERE provider_id = '{provider_id}'")
    return found


def meeting_on(engine, held_on: date) -> int:
    [(found,)] = rows(engine, f"SELECT id FROM lok_meetings WHERE held_on = '{held_on.isoformat()}'")
    return found


def everything(engine) -> dict[str, list[tuple]]:
    """Every row of every table these services could write (the files as their length)."""
    return {name: rows(engine, f"SELECT * FROM {name} ORDER BY 1, 2") for name in TABLES[:-1]} | {
        "audit_log": rows(engine, "SELECT id, actor, action, detail FROM audit_log ORDER BY id")}


def providers_with(**changed) -> dict:
    """The hand-worked contract of test_compliance_cli with some providers' entries changed."""
    return {**EXPECTED, "providers": {p: {**EXPECTED["providers"][p], **changed.get(p, {})}
                                      for p in EXPECTED["providers"]}}


# --- signatures ---------------------------------------------------------------------------------------------

def test_a_corrected_signature_replaces_the_original_and_takes_its_scan_along(coord):
    first = signature_of(coord, "P1")
    service.attach_scan(coord, "coord", first, PDF, "getekend.pdf")
    new = service.correct_signature(coord, "coord", first, WHY, date(2026, 1, 6), " An Peeters ", "verantwoordelijke",
                                    TODAY)
    standing = queries.signatures(coord, ("P1",))
    assert standing[["id", "signed_on", "signatory", "function", "scan_name", "has_scan"]].values.tolist() == [
        [new, date(2026, 1, 6), "An Peeters", "verantwoordelijke", "getekend.pdf", True]]
    assert queries.scan(coord, new) == ("getekend.pdf", PDF)
    history = queries.signatures(coord, ("P1",), history=True).set_index("id")
    assert history["state"].to_dict() == {first: "gecorrigeerd", new: "geldt"}
    assert history.loc[first, "remark"].startswith("gecorrigeerd door Cora Coördinator op ")
    assert history.loc[first, "remark"].endswith(": Verkeerde datum overgenomen van de scan.")
    assert history.loc[new, "remark"] == ""
    # The original is kept as it was, pointing at its correction.
    [(signed_on, signatory, replaced_by, voided_by, reason)] = rows(
        coord, f"SELECT signed_on, signatory, replaced_by, voided_by, void_reason FROM agreements WHERE id = {first}")
    assert (day(signed_on), signatory, replaced_by, voided_by, reason) == (date(2026, 1, 5), "", new, "coord", WHY)
    latest = queries.latest_signatures(coord).set_index("provider_id")
    assert (latest.loc["P1", "signed_on"], latest.loc["P1", "agreement_id"]) == (date(2026, 1, 6), new)
    [(actor, detail)] = audited(coord, "agreement_corrected")
    assert (actor, detail["reden"], detail["opvang"]) == ("coord", WHY, "P1")
    assert described(coord, "agreement_corrected") == [
        "opvang P1, handtekening van 05/01/2026: nu ondertekend op 06/01/2026 door An Peeters (verantwoordelijke); "
        "reden: Verkeerde datum overgenomen van de scan."]
    assert audit.ACTION_LABELS["agreement_corrected"] == "Ondertekende overeenkomst gecorrigeerd"


def test_a_signature_corrected_on_the_same_day_frees_and_takes_its_key(coord):
    """Only the signatory was wrong: the corrected version has the original's provider and day."""
    first = signature_of(coord, "P4")
    new = service.correct_signature(coord, "coord", first, "Ondertekenaar vergeten in te vullen.", date(2025, 12, 1),
                                    "Lies Vermeulen", "zaakvoerder", TODAY)
    assert queries.signatures(coord, ("P4",))[["id", "signatory"]].values.tolist() == [[new, "Lies Vermeulen"]]
    assert queries.signatures(coord, ("P4",), history=True)["state"].tolist() == ["gecorrigeerd", "geldt"]


def test_a_withdrawn_signature_makes_the_agreement_a_shortcoming_and_a_corrected_one_counts_from_its_day(coord):
    assert compliance(coord, F, T) == EXPECTED
    service.withdraw_signature(coord, "coord", signature_of(coord, "P1"), "Handtekening hoorde bij een andere opvang.")
    # P1 signed only on 05/01/2026: withdrawn, it never signed; the agreement is a further agreement, so its zero
    # score turns true (negative_advice was already true by answering).
    expected = providers_with(P1={"agreement": v("shortcoming", FURTHER), "zero_score": True})
    assert compliance(coord, F, T) == expected
    # P2 signed on 05/11, after T (shortcoming); corrected to 30/10 it signed before T: in order. Its zero score
    # stays true through vacancies.
    service.correct_signature(coord, "coord", signature_of(coord, "P2"), WHY, date(2026, 10, 30), "Bart Claes",
                              "zaakvoerder", TODAY)
    expected["providers"]["P2"] = {**expected["providers"]["P2"], "agreement": v("in_order", FURTHER)}
    assert compliance(coord, F, T) == expected
    assert queries.latest_signatures(coord).set_index("provider_id").loc["P1", "signed_on"] is None
    [(actor, detail)] = audited(coord, "agreement_withdrawn")
    assert (actor, detail["opvang"], detail["op"], detail["reden"]) == (
        "coord", "P1", "2026-01-05", "Handtekening hoorde bij een andere opvang.")
    assert described(coord, "agreement_withdrawn") == [
        "opvang P1, handtekening van 05/01/2026; reden: Handtekening hoorde bij een andere opvang."]
    # The withdrawn signature no longer holds its day: the same signature may be recorded again.
    again = service.record_signature(coord, "coord", "P1", date(2026, 1, 5), "An Peeters", "verantwoordelijke", TODAY)
    assert queries.signatures(coord, ("P1",))["id"].tolist() == [again]


# --- LOK meetings -----------------------------------------------------------------------------------------

def test_a_withdrawn_meeting_no_longer_counts_for_local_policy_and_unlinks_its_evaluation(coord):
    september = meeting_on(coord, date(2026, 9, 15))
    service.record_evaluation(coord, "coord", 2026, "Vlot verlopen.", "Sneller herinneren.", TODAY, september)
    service.withdraw_meeting(coord, "coord", september, GONE)
    # Left in the period: 20/10 (P4 only). P1 attended none of it; P2 and P3 missed it; P4 attended all.
    assert compliance(coord, F, T) == providers_with(
        P1={"local_policy": v("shortcoming", MINIMUM, ["2026-10-20"])},
        P2={"local_policy": v("shortcoming", MINIMUM, ["2026-10-20"])},
        P3={"local_policy": v("shortcoming", MINIMUM, ["2026-10-20"])},
        P4={"local_policy": v("in_order", MINIMUM)})
    assert [m.held_on for m in queries.meetings(coord)] == [date(2026, 10, 20), date(2026, 3, 12)]
    history = queries.meetings(coord, history=True)
    assert [(m.held_on, m.state) for m in history] == [
        (date(2026, 10, 20), "geldt"), (date(2026, 9, 15), "ingetrokken"), (date(2026, 3, 12), "geldt")]
    withdrawn = history[1]
    assert withdrawn.attending == ("P1",)  # the history keeps who attended
    assert withdrawn.remark.startswith("ingetrokken door Cora Coördinator op ") and withdrawn.remark.endswith(GONE)
    [evaluation] = queries.evaluations(coord).to_dict("records")
    assert pd.isna(evaluation["meeting_id"]) and evaluation["meeting_on"] is None
    [(actor, detail)] = audited(coord, "lok_meeting_withdrawn")
    assert (actor, detail["datum"], detail["evaluaties"], detail["reden"]) == ("coord", "2026-09-15", [2026], GONE)
    assert described(coord, "lok_meeting_withdrawn") == [
        "vergadering van 15/09/2026, Vrije plaatsen; de evaluatie van 2026 is niet langer aan een vergadering "
        "gekoppeld; reden: Per vergissing vastgelegd, ging niet door."]
    # Its day is free again.
    assert service.add_meeting(coord, "coord", date(2026, 9, 15), "Vrije plaatsen (ingehaald)", ["P2"], TODAY)


def test_a_corrected_meeting_keeps_its_attendance_minutes_and_evaluation(coord):
    march = meeting_on(coord, date(2026, 3, 12))
    service.attach_minutes(coord, "coord", march, PDF, "verslag.pdf")
    service.record_evaluation(coord, "coord", 2026, "Vlot verlopen.", "Sneller herinneren.", TODAY, march)
    new = service.correct_meeting(coord, "coord", march, WHY, date(2026, 3, 13), "Evaluatie van de procedure", TODAY)
    standing = {m.id: m for m in queries.meetings(coord)}
    assert march not in standing
    assert (standing[new].held_on, standing[new].subject, standing[new].attending, standing[new].minutes_name) == (
        date(2026, 3, 13), "Evaluatie van de procedure", ("P1", "P2"), "verslag.pdf")
    assert queries.minutes(coord, new) == ("verslag.pdf", PDF)
    [evaluation] = queries.evaluations(coord).to_dict("records")
    assert (evaluation["meeting_id"], evaluation["meeting_on"]) == (new, date(2026, 3, 13))
    # The original keeps its own attendance, marked corrected.
    assert sorted(rows(coord, f"SELECT provider_id FROM lok_attendance WHERE meeting_id = {march}")) == [
        ("P1",), ("P2",)]
    original = next(m for m in queries.meetings(coord, history=True) if m.id == march)
    assert (original.held_on, original.state) == (date(2026, 3, 12), "gecorrigeerd")
    assert original.remark.startswith("gecorrigeerd door Cora Coördinator op ") and original.remark.endswith(WHY)
    [(actor, detail)] = audited(coord, "lok_meeting_corrected")
    assert (actor, detail["was"], detail["datum"], detail["evaluaties"], detail["reden"]) == (
        "coord", "2026-03-12", "2026-03-13", [2026], WHY)
    assert described(coord, "lok_meeting_corrected") == [
        "vergadering van 12/03/2026: nu 13/03/2026, Evaluatie van de procedure; de evaluatie van 2026 gaat mee naar de "
        "gecorrigeerde vergadering; reden: Verkeerde datum overgenomen van de scan."]
    # Its attendance is still corrected on the version that stands.
    assert service.set_attendance(coord, "coord", new, ["P1"]) == ([], ["P2"])


def test_a_meeting_corrected_out_of_the_period_counts_where_it_now_lies(coord):
    service.correct_meeting(coord, "coord", meeting_on(coord, date(2026, 10, 20)), WHY, date(2026, 11, 2), "Cijfers",
                            TODAY)
    # 20/10 moved to 02/11, after T: left in the period is 15/09 (P1 only). P4 missed it: local_policy is a minimum
    # obligation, so its negative advice turns true.
    assert compliance(coord, F, T) == providers_with(
        P1={"local_policy": v("in_order", MINIMUM)},
        P2={"local_policy": v("shortcoming", MINIMUM, ["2026-09-15"])},
        P3={"local_policy": v("shortcoming", MINIMUM, ["2026-09-15"])},
        P4={"local_policy": v("shortcoming", MINIMUM, ["2026-09-15"]), "negative_advice": True})


# --- refusals ---------------------------------------------------------------------------------------------

def test_a_refused_correction_or_withdrawal_writes_nothing(coord):
    p1 = signature_of(coord, "P1")
    second = service.record_signature(coord, "coord", "P1", date(2026, 2, 1), "An", "verantwoordelijke", TODAY)
    p4 = signature_of(coord, "P4")
    service.withdraw_signature(coord, "coord", p4, "Handtekening hoorde bij een andere opvang.")
    march, october = meeting_on(coord, date(2026, 3, 12)), meeting_on(coord, date(2026, 10, 20))
    september = meeting_on(coord, date(2026, 9, 15))
    new_september = service.correct_meeting(coord, "coord", september, WHY, date(2026, 9, 16), "Vrije plaatsen", TODAY)
    service.withdraw_meeting(coord, "coord", october, GONE)
    before = everything(coord)

    def refused(call, *args) -> dict[str, str]:
        with pytest.raises(Refused) as caught:
            call(coord, "coord", *args)
        return caught.value.problems

    assert refused(service.correct_signature, p1, "fout", date(2026, 11, 16), "", "x", TODAY) == {
        "reason": "Reden: schrijf waarom (minstens 10 tekens); ze blijft bij het origineel staan.",
        "signed_on": "Ondertekend op: 16/11/2026 ligt in de toekomst.",
        "signatory": "Ondertekenaar: vul in wie de overeenkomst ondertekende."}
    assert refused(service.correct_signature, p1, WHY, date(2026, 2, 1), "An", "verantwoordelijke", TODAY) == {
        "signed_on": "Ondertekend op: voor Het Zonnetje is al een handtekening van 01/02/2026 vastgelegd; er is niets "
                     "gewijzigd. Voeg er zo nodig de scan aan toe."}
    assert refused(service.withdraw_signature, second, "   ") == {
        "reason": "Reden: schrijf waarom (minstens 10 tekens); ze blijft bij het origineel staan."}
    already = {"entry": "Deze handtekening is al ingetrokken; er is niets gewijzigd. Corrigeer zo nodig de versie "
                        "die nu geldt."}
    assert refused(service.withdraw_signature, p4, GONE) == already
    assert refused(service.correct_signature, p4, WHY, date(2025, 12, 2), "An", "zaakvoerder", TODAY) == already
    assert refused(service.attach_scan, p4, PDF, "scan.pdf") == {
        "entry": "Deze handtekening is ingetrokken; er is niets gewijzigd."}
    assert refused(service.withdraw_signature, 9999, GONE) == {"entry": "Deze handtekening bestaat niet."}
    assert refused(service.correct_meeting, march, WHY, date(2026, 9, 16), "Procedure", TODAY) == {
        "held_on": "Datum: op 16/09/2026 is al een LOK-vergadering vastgelegd; pas die aan in plaats van een nieuwe "
                   "te maken."}
    assert refused(service.correct_meeting, march, "", date(2026, 11, 16), " ", TODAY) == {
        "reason": "Reden: schrijf waarom (minstens 10 tekens); ze blijft bij het origineel staan.",
        "held_on": "Datum: 16/11/2026 ligt in de toekomst; leg een vergadering vast nadat ze plaatsvond.",
        "subject": "Onderwerp: vul het onderwerp van de vergadering in."}
    corrected = {"entry": "Deze LOK-vergadering is gecorrigeerd; er is niets gewijzigd. Werk verder met de "
                          "gecorrigeerde versie."}
    assert refused(service.attach_minutes, september, PDF, "verslag.pdf") == corrected
    assert refused(service.set_attendance, september, ["P3"]) == corrected
    assert refused(service.withdraw_meeting, september, GONE) == {
        "entry": "Deze LOK-vergadering is al gecorrigeerd; er is niets gewijzigd. Corrigeer zo nodig de versie die "
                 "nu geldt."}
    assert refused(service.set_attendance, october, ["P3"]) == {
        "entry": "Deze LOK-vergadering is ingetrokken; er is niets gewijzigd."}
    assert refused(service.record_evaluation, 2026, "Vlot.", "Goed.", TODAY, october) == {
        "meeting_id": "LOK-vergadering: deze vergadering is gecorrigeerd of ingetrokken; kies een vergadering die "
                      "geldt."}
    assert everything(coord) == before
    actions = ("agreement_corrected", "agreement_withdrawn", "lok_meeting_corrected", "lok_meeting_withdrawn",
               "agreement_scan_added", "lok_minutes_added", "lok_attendance_changed", "procedure_evaluated")
    assert [len(audited(coord, a)) for a in actions] == [0, 1, 1, 1, 0, 0, 0, 0]  # only the writes before
    assert new_september in {m.id for m in queries.meetings(coord)}


# --- on the page Overeenkomst en LOK ------------------------------------------------------------------------

def test_the_coordinator_corrects_a_signature_and_withdraws_a_meeting_on_the_page(coord, db_url, app_env):
    from apptest import errors, page, table

    app_env(db_url)  # the app's today: 02/11/2026
    p2 = signature_of(coord, "P2")
    at = page("views/overeenkomsten.py", "coord").run()
    entry = at.selectbox(key="fix_signature_entry")
    assert entry.options == ["De Vlinder — 01/12/2025", "Het Nest — 05/11/2026", "Het Zonnetje — 05/01/2026"]
    entry.set_value(p2).run()
    [d for d in at.date_input if d.label == "Ondertekend op"][-1].set_value(date(2026, 9, 3))
    [t for t in at.text_input if t.label == "Ondertekenaar"][-1].input("Bart Claes")
    [t for t in at.text_input if t.label == "Functie"][-1].input("zaakvoerder")
    next(t for t in at.text_input if t.label.startswith("Reden")).input("Datum van de verzending genomen.")
    next(b for b in at.button if b.label == "Correctie bewaren").click().run()
    assert not errors(at)
    assert at.success[0].value == ("De handtekening van Het Nest van 05/11/2026 is gecorrigeerd; het origineel blijft "
                                   "in de geschiedenis.")
    signatures = table(at, "Toestand")
    assert signatures[["Opvang", "Ondertekend op", "Ondertekenaar"]].values.tolist() == [
        ["Het Zonnetje", date(2026, 1, 5), ""], ["Het Nest", date(2026, 9, 3), "Bart Claes"],
        ["Het Nest", date(2026, 11, 5), ""], ["De Vlinder", date(2025, 12, 1), ""]]
    states = signatures["Toestand"].tolist()
    assert states[:2] == ["geldt", "geldt"] and states[3] == "geldt"
    assert states[2].startswith("gecorrigeerd door Cora Coördinator op ")
    assert states[2].endswith(": Datum van de verzending genomen.")
    assert queries.signatures(coord, ("P2",))[["signed_on", "signatory"]].values.tolist() == [
        [date(2026, 9, 3), "Bart Claes"]]
    # Withdraw the meeting of 20/10: a short reason is refused, nothing written; then it is withdrawn.
    at.selectbox(key="fix_meeting_entry").set_value(meeting_on(coord, date(2026, 10, 20))).run()
    [t for t in at.text_input if t.label.startswith("Reden")][-1].input("kort")
    [b for b in at.button if b.label == "Intrekken"][-1].click().run()
    assert errors(at) == ["Reden: schrijf waarom (minstens 10 tekens); ze blijft bij het origineel staan."]
    assert len(queries.meetings(coord)) == 3
    [t for t in at.text_input if t.label.startswith("Reden")][-1].input(GONE)
    [b for b in at.button if b.label == "Intrekken"][-1].click().run()
    assert not errors(at)
    assert at.success[0].value == ("De LOK-vergadering van 20/10/2026 is ingetrokken; ze blijft in de geschiedenis "
                                   "staan.")
    lok = table(at, "Afwezig")
    assert lok["Datum"].tolist() == [date(2026, 10, 20), date(2026, 9, 15), date(2026, 3, 12)]
    assert lok["Toestand"].iloc[0].startswith("ingetrokken door Cora Coördinator op ")
    assert lok["Toestand"].iloc[0].endswith(": " + GONE) and lok["Toestand"].tolist()[1:] == ["geldt", "geldt"]
    assert at.selectbox(key="fix_meeting_entry").options == ["15/09/2026 — Vrije plaatsen",
                                                             "12/03/2026 — Evaluatie procedure"]
    assert [m.held_on for m in queries.meetings(coord)] == [date(2026, 9, 15), date(2026, 3, 12)]
    assert [a for a, _ in audited(coord, "agreement_corrected") + audited(coord, "lok_meeting_withdrawn")] == [
        "coord", "coord"]


def test_the_provider_page_counts_what_stands_and_shows_the_history(coord, db_url, app_env):
    from apptest import page, table

    app_env(db_url)
    service.withdraw_signature(coord, "coord", signature_of(coord, "P1"), "Handtekening hoorde bij een andere opvang.")
    service.correct_meeting(coord, "coord", meeting_on(coord, date(2026, 9, 15)), WHY, date(2026, 9, 16),
                            "Vrije plaatsen", TODAY)
    at = page("views/opvang.py", "coord").run()
    at.selectbox(key="opvang_provider").select("P1").run()
    assert at.warning[0].value.startswith("Het Zonnetje heeft de samenwerkingsovereenkomst niet ondertekend")
    [(signed_on, state)] = table(at, "Ondertekenaar")[["Ondertekend op", "Toestand"]].values.tolist()
    assert signed_on == date(2026, 1, 5) and state.startswith("ingetrokken door Cora Coördinator op ")
    # P1 attended 12/03 and 15/09, now 16/09 (the attendance went along); not 20/10.
    assert "Aanwezig op 2 van de 3 vastgelegde vergaderingen." in [m.value for m in at.markdown]
    lok = table(at, "Aanwezig")
    assert lok[["Datum", "Aanwezig"]].values.tolist() == [
        [date(2026, 10, 20), "nee"], [date(2026, 9, 16), "ja"], [date(2026, 9, 15), "ja"], [date(2026, 3, 12), "ja"]]
    assert [s.split(" door ")[0] for s in lok["Toestand"]] == ["geldt", "geldt", "gecorrigeerd", "geldt"]
