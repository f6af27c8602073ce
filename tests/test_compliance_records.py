"""The compliance records (R9): the ladder as pure rules at its edges, and the writes over the hand-built town of
test_compliance_cli (P1 has a derived negative advice over 01/06/2026..01/11/2026, P2 both advices, P4 none):
overrides with their motivation (the contract keeps the derived value and adds the override), contacts about a
provider's own requests only, enforcement files along the ladder with attachments. Every refusal writes nothing."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from llko.agreements.service import Refused
from llko.compliance import ladder, queries, rounds, service
from llko.compliance.queries import compliance

from test_attachments import real_pdf
from test_compliance_cli import town  # noqa: F401  (the hand-built town, on SQLite and PostgreSQL)
from tests.helpers import audit_actions, count, round_contract

F, T = date(2026, 6, 1), date(2026, 11, 1)
TODAY = date(2026, 11, 15)
PDF = real_pdf()  # a file is judged by its structure: a real PDF
WHY = "Na het gesprek van 20/11 blijkt de achterstand door ziekte van de verantwoordelijke."


# --- the ladder, pure -------------------------------------------------------------------------------------------

def test_a_file_starts_with_a_noted_shortcoming_climbs_and_may_close_at_any_step():
    assert ladder.next_steps(None) == ["noted"]
    assert ladder.next_steps("noted") == ["loket_talk", "signal", "investigation", "opgroeien_talk", "enforcement",
                                          "sanction", "closed"]
    assert ladder.next_steps("opgroeien_talk") == ["enforcement", "sanction", "closed"]
    assert ladder.next_steps("sanction") == ["closed"]
    assert ladder.next_steps("closed") == []


def test_a_step_is_dated_between_the_previous_step_and_today_both_included():
    last = date(2026, 11, 10)
    ok = ladder.step_problems("noted", last, "loket_talk", last, "gesprek", "", TODAY)
    assert ok == {}
    assert ladder.step_problems("noted", last, "loket_talk", TODAY, "gesprek", "", TODAY) == {}
    before = ladder.step_problems("noted", last, "loket_talk", date(2026, 11, 9), "gesprek", "", TODAY)
    assert before == {"on": "Datum: 09/11/2026 ligt vóór de vorige stap (10/11/2026); de ladder gaat enkel vooruit "
                            "in de tijd."}
    future = ladder.step_problems("noted", last, "loket_talk", date(2026, 11, 16), "gesprek", "", TODAY)
    assert list(future) == ["on"] and "16/11/2026 ligt in de toekomst" in future["on"]


def test_the_ladder_is_never_descended_and_closing_needs_an_outcome():
    down = ladder.step_problems("signal", None, "loket_talk", TODAY, "x", "", TODAY)
    assert list(down) == ["step"] and "na ‘Signaal aan Opgroeien Regie’ kan enkel" in down["step"]
    assert ladder.step_problems("signal", None, "signal", TODAY, "x", "", TODAY).keys() == {"step"}
    closing = ladder.step_problems("signal", None, "closed", TODAY, "x", "  ", TODAY)
    assert closing == {"outcome": "Uitkomst: zeg waarmee het dossier afgesloten wordt (bv. tekort weggewerkt, "
                                  "sanctie)."}
    after = ladder.step_problems("closed", None, "sanction", TODAY, "x", "", TODAY)
    assert after["step"] == "Stap: dit dossier is afgesloten; open een nieuw dossier."
    assert ladder.step_problems("noted", None, "loket_talk", TODAY, "  ", "", TODAY) == {
        "note": "Notitie: schrijf kort wat er gebeurde of werd afgesproken."}


def test_a_motivation_is_a_written_reason_of_at_least_twenty_characters():
    assert list(ladder.motivation_problems(False, "x" * 19)) == ["motivation"]
    assert ladder.motivation_problems(False, "x" * 20) == {}
    assert ladder.motivation_problems(False, " " * 5 + "x" * 19 + " " * 5) != {}  # spaces do not count


def test_a_contact_needs_a_known_channel_a_past_date_and_a_note():
    assert ladder.contact_problems(TODAY, "telefoon", "belde", TODAY) == {}
    found = ladder.contact_problems(date(2026, 11, 16), "fax", "", TODAY)
    assert set(found) == {"on", "channel", "note"}
    assert found["channel"] == "Kanaal: kies telefoon, mail of bezoek."


# --- overrides --------------------------------------------------------------------------------------------------

def make_round(engine, name: str = "Uitbreidingsronde 2027") -> int:
    """An open expansion round over [F, T]."""
    return rounds.create(engine, "coord", name, "uitbreidingsronde", F, T)


def test_an_override_keeps_the_derived_advice_and_adds_its_own_key_in_its_round_only(town):
    round_id = make_round(town)
    service.override_advice(town, "coord", "P1", "negative_advice", round_id, False, WHY)
    entry = round_contract(town, round_id)["providers"]["P1"]
    assert entry["negative_advice"] is True  # the derived value stays
    assert entry["negative_advice_override"]["value"] is False
    assert entry["negative_advice_override"]["motivation"] == WHY
    assert entry["negative_advice_override"]["by"] == "coord"
    assert "zero_score_override" not in entry
    assert "negative_advice_override" not in compliance(town, F, T)["providers"]["P1"]  # a free period: no overrides
    history = queries.override_history(town, "P1")
    assert list(history["derived"]) == [True] and list(history["value"]) == [False]
    assert list(history["round"]) == ["Uitbreidingsronde 2027"]
    assert audit_actions(town)[-1] == "advice_overridden"
    other = make_round(town, "Subsidie 2027")  # another round over the same period has its own overrides
    assert "negative_advice_override" not in round_contract(town, other)["providers"]["P1"]


def test_withdrawing_an_override_brings_back_the_derived_value_and_keeps_both_decisions(town):
    round_id = make_round(town)
    service.override_advice(town, "coord", "P1", "negative_advice", round_id, False, WHY)
    service.override_advice(town, "coord", "P1", "negative_advice", round_id, None,
                            "Toch niet: nieuwe klachten in november.")
    assert "negative_advice_override" not in round_contract(town, round_id)["providers"]["P1"]
    assert len(queries.override_history(town, "P1")) == 2
    assert audit_actions(town)[-1] == "advice_override_withdrawn"


def test_an_override_that_changes_nothing_or_lacks_a_motivation_is_refused_and_writes_nothing(town):
    round_id = make_round(town)
    before = count(town, "audit_log")
    with pytest.raises(Refused) as same:
        service.override_advice(town, "coord", "P1", "negative_advice", round_id, True, WHY)
    assert same.value.problems == {"value": "Het afgeleide advies is al ‘ja’; een aanpassing moet een andere waarde "
                                            "geven."}
    with pytest.raises(Refused) as short:
        service.override_advice(town, "coord", "P4", "zero_score", round_id, True, "te kort")
    assert list(short.value.problems) == ["motivation"]
    with pytest.raises(Refused) as nothing:
        service.override_advice(town, "coord", "P4", "zero_score", round_id, None, WHY)
    assert nothing.value.problems == {"value": "Dit advies is niet aangepast; er is niets terug te zetten."}
    assert count(town, "advice_overrides") == 0 and count(town, "audit_log") == before


# --- contacts ---------------------------------------------------------------------------------------------------

def test_a_contact_is_about_the_providers_own_requests_only(town):
    with pytest.raises(Refused) as other:
        service.record_contact(town, "coord", "P1", TODAY, "telefoon", "Gebeld over de late antwoorden.", TODAY,
                               ["answering"], ["A103", "A201"])
    assert other.value.problems == {"request_ids": "Aanvragen: A201 is geen aanvraag bij deze opvang."}
    assert count(town, "compliance_contacts") == 0
    service.record_contact(town, "coord", "P1", TODAY, "Telefoon", " Gebeld over de late antwoorden. ", TODAY,
                           ["vacancies", "answering"], ["A107", "A103"])
    found = queries.contacts(town, ("P1",))
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["channel"], row["note"], row["obligations"], row["request_ids"]) == (
        "telefoon", "Gebeld over de late antwoorden.", ["answering", "vacancies"], ["A103", "A107"])
    assert queries.contacts(town, ("P2",)).empty
    assert audit_actions(town)[-1] == "contact_recorded"


# --- enforcement files ------------------------------------------------------------------------------------------

def test_a_file_opens_moves_up_with_attachments_and_closes_with_its_outcome(town):
    file_id = service.open_file(town, "coord", "Cora Coördinator", "P2", date(2026, 11, 2), ["answering", "agreement"],
                                "Vijf late antwoorden, overeenkomst niet getekend.", TODAY)
    with pytest.raises(Refused) as twice:
        service.open_file(town, "coord", "Cora", "P2", TODAY, ["answering"], "Nog een", TODAY)
    assert twice.value.problems == {"provider": "Het Nest heeft al een open dossier; zet daar de volgende stap of "
                                                "sluit het eerst af."}
    service.add_step(town, "coord", "Cora Coördinator", file_id, "signal", date(2026, 11, 5), "Signaal verstuurd.",
                     TODAY, attachments=[("signaal.pdf", PDF)])
    opened = queries.files(town, ("P2",)).iloc[0]
    assert (opened["step"], opened["obligations"]) == ("signal", ["answering", "agreement"])
    assert pd.isna(opened["closed_on"])
    steps = queries.steps(town, "P2")
    assert list(steps["step"]) == ["noted", "signal"]
    assert list(steps["author"]) == ["Cora Coördinator"] * 2
    (attachment_id, name), = steps.iloc[1]["attachments"]
    assert name == "signaal.pdf"
    assert queries.attachment(town, attachment_id) == ("signaal.pdf", PDF)
    assert queries.attachment(town, attachment_id, provider_id="P1") is None  # not P1's
    service.add_step(town, "coord", "Cora", file_id, "closed", date(2026, 11, 14), "Afgerond.", TODAY,
                     outcome="Tekort weggewerkt: overeenkomst getekend.")
    closed = queries.files(town, ("P2",)).iloc[0]
    assert (closed["step"], closed["outcome"], closed["closed_on"].date()) == (
        "closed", "Tekort weggewerkt: overeenkomst getekend.", date(2026, 11, 14))
    with pytest.raises(Refused) as more:
        service.add_step(town, "coord", "Cora", file_id, "sanction", TODAY, "x", TODAY)
    assert list(more.value.problems) == ["step"]
    assert service.open_file(town, "coord", "Cora", "P2", TODAY, ["answering"], "Opnieuw te laat.", TODAY) != file_id
    assert audit_actions(town)[-4:] == ["enforcement_file_opened", "enforcement_step", "enforcement_step",
                                        "enforcement_file_opened"]


def test_a_step_with_a_refused_attachment_writes_nothing(town):
    file_id = service.open_file(town, "coord", "Cora", "P2", date(2026, 11, 2), ["answering"], "Late antwoorden.",
                                TODAY)
    before = count(town, "enforcement_steps"), count(town, "audit_log")
    with pytest.raises(Refused) as bad:
        service.add_step(town, "coord", "Cora", file_id, "loket_talk", TODAY, "Gesprek.", TODAY,
                         attachments=[("verslag.pdf", b"MZ\x90\x00 not a pdf")])
    assert list(bad.value.problems) == ["attachments"]
    assert bad.value.problems["attachments"].startswith("Bijlage verslag.pdf: Dit bestand is geen PDF-")
    assert (count(town, "enforcement_steps"), count(town, "audit_log")) == before
    with pytest.raises(Refused) as none:
        service.open_file(town, "coord", "Cora", "P1", TODAY, [], "Zonder verplichting.", TODAY)
    assert list(none.value.problems) == ["obligations"]


def test_the_audit_tells_each_compliance_write_in_dutch(town):
    from llko import audit

    service.override_advice(town, "coord", "P1", "negative_advice", make_round(town), False, WHY)
    service.record_contact(town, "coord", "P1", TODAY, "mail", "Mail over A103.", TODAY, ["answering"], ["A103"])
    file_id = service.open_file(town, "coord", "Cora", "P1", TODAY, ["answering"], "Late antwoorden.", TODAY)
    service.add_step(town, "coord", "Cora", file_id, "closed", TODAY, "Besproken.", TODAY, outcome="Opgelost.")
    with town.connect() as conn:
        rows = conn.execute(text("SELECT action, detail FROM audit_log WHERE action IN ('advice_overridden', "
                                 "'contact_recorded', 'enforcement_file_opened', 'enforcement_step') ORDER BY id")).all()
    said = [audit.describe(action, detail) for action, detail in rows]
    assert said == [
        f"opvang P1, negatief advies in Uitbreidingsronde 2027 over 01/06/2026 – 01/11/2026: afgeleid ja, beslist nee; "
        f"motivering: {WHY}",
        "opvang P1, 15/11/2026 per mail; over beantwoorden; aanvragen A103",
        f"opvang P1, dossier {file_id} op 15/11/2026 over beantwoorden",
        f"opvang P1, dossier {file_id}: Afgesloten op 15/11/2026; uitkomst: Opgelost.",
    ]
