"""R11's verdicts told in Dutch (llko.compliance.evidence): the sentence per verdict, the evidence rows, and R9's
advice with its reason, on verdicts written by hand; the expected texts are written out in full."""

from dataclasses import replace
from datetime import date, datetime

from llko.compliance import evidence
from llko.compliance.rules import IN_ORDER, NOT_APPLICABLE, SHORTCOMING, UNKNOWN, Verdict
from llko.settings import DEFAULTS


def late(id, received, deadline, answered, days):
    return {"id": id, "received": received, "deadline": deadline, "answered_on": answered, "days_late": days}


VERDICTS = {
    "answering": Verdict("answering", SHORTCOMING, ["A1", "A2", "A3"], 7 / 10, {
        "counted": 10, "in_time": 7, "late": 3, "late_requests": [
            late("A1", date(2026, 10, 18), date(2026, 11, 1), None, 0),
            late("A2", date(2026, 10, 1), date(2026, 10, 15), None, 17),
            late("A3", date(2026, 7, 1), date(2026, 7, 15), date(2026, 7, 16), 1)]}),
    "infopagina": Verdict("infopagina", UNKNOWN, [], None, {"checked_on": date(2025, 10, 31), "age_days": 366}),
    "local_policy": Verdict("local_policy", NOT_APPLICABLE, [], None, {"meetings": 0, "attended": 0}),
    "plus_share": Verdict("plus_share", UNKNOWN, [], 0.25, {"children": 4, "vulnerable": 1}),
    "statuses": Verdict("statuses", IN_ORDER, ["A9"], None, {
        "direct_cancellations": ["A9"], "lingering": [], "status_dates": {"A9": date(2026, 8, 1)}}),
    "vacancies": Verdict("vacancies", IN_ORDER, [], None, {"approvals": 0, "uncovered": 0, "uncovered_requests": []}),
    "agreement": Verdict("agreement", SHORTCOMING, [], None, {"signed_on": None}),
}


def test_each_verdict_has_its_sentence_with_the_threshold():
    said = {name: evidence.summary(v, DEFAULTS) for name, v in VERDICTS.items()}
    assert said == {
        "answering": "7 van 10 aanvragen tijdig beantwoord (70%); minimum 90%.",
        "infopagina": "Laatste controle door het loket op 31/10/2025: 366 dagen oud, ouder dan 365 dagen; te oud voor "
                      "een oordeel.",
        "local_policy": "Geen LOK-vergadering in de periode.",
        "plus_share": "1 van 4 kinderen uit een kwetsbaar gezin (25%); minimum 30%, maar minder dan 5 kinderen: geen "
                      "oordeel.",
        "statuses": "1 rechtstreekse annulering en 0 aanvragen langer dan 60 dagen ‘in behandeling’; toegestaan: 2.",
        "vacancies": "Geen goedkeuringen in de periode.",
        "agreement": "Niet ondertekend op of vóór het einde van de periode.",
    }
    assert evidence.summary(VERDICTS["answering"], replace(DEFAULTS, answering_min_share=0.75)).endswith(
        "minimum 75%.")


def test_a_late_request_says_how_late_whether_answered_or_not():
    rows = [(r.obligation, r.item, r.detail) for r in evidence.rows(VERDICTS)]
    assert rows == [
        ("answering", "A1", "ontvangen 18/10/2026, termijn 01/11/2026, niet beantwoord op de laatste dag van de termijn"),
        ("answering", "A2", "ontvangen 01/10/2026, termijn 15/10/2026, nog niet beantwoord: 17 dagen te laat"),
        ("answering", "A3", "ontvangen 01/07/2026, termijn 15/07/2026, beantwoord op 16/07/2026: 1 dag te laat"),
        ("statuses", "A9", "‘geannuleerd door opvang’ op 01/08/2026 zonder eerder antwoord"),
    ]


def test_the_advice_follows_the_categories_and_an_override_wins():
    assert evidence.derived(VERDICTS) == {"negative_advice": True, "zero_score": True}
    assert evidence.reason("negative_advice", VERDICTS) == (
        "De organisator komt de minimale verplichtingen inzake samenwerking met het Lokaal Loket Kinderopvang niet na "
        "(tekort bij: aanvragen tijdig beantwoorden). Dit is een gegronde reden voor een negatief advies van het "
        "lokaal bestuur in kader van een uitbreidingsronde en in kader van de subsidies die jaarlijks worden gegeven "
        "door de stad (§4).")
    assert "(tekort bij: samenwerkingsovereenkomst ondertekend)" in evidence.reason("zero_score", VERDICTS)
    overridden = {"zero_score": evidence.Override(False, "Getekend op 3/11, na de periode.", "coord",
                                                  datetime(2026, 11, 5, 10, 0))}
    assert evidence.final("zero_score", VERDICTS, overridden) is False
    assert evidence.final("negative_advice", VERDICTS, overridden) is True
    unknown_only = {**VERDICTS, "answering": replace(VERDICTS["answering"], verdict=IN_ORDER)}
    assert evidence.derived(unknown_only)["negative_advice"] is False  # unknown never counts as a shortcoming
