"""R11's verdicts told in Dutch: a sentence per verdict, the evidence table (one row per late request, missing
item, missed meeting, uncovered approval or misused status), the thresholds in force, and R9's advice with its
reason in the agreement's words. Pure functions of Verdict objects and the settings; the pages, the letters and
the Excel annex all read them here, so they say the same."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping

from llko import dutch
from llko.compliance.rules import (CATEGORY, CATEGORY_LABELS, FURTHER, LABELS, MINIMUM, NOT_APPLICABLE, OBLIGATIONS,
                                   SHORTCOMING, UNKNOWN, VERDICT_LABELS, Verdict, advice)
from llko.infopagina.rules import ITEM_LABELS
from llko.settings import Settings

NEGATIVE_ADVICE, ZERO_SCORE = "negative_advice", "zero_score"
ADVICE_KEYS = (NEGATIVE_ADVICE, ZERO_SCORE)
ADVICE_LABELS = {NEGATIVE_ADVICE: "Negatief advies (uitbreidingsronde en jaarlijkse subsidie van de stad)",
                 ZERO_SCORE: "0-score op ‘samenwerking met het Lokaal Loket Kinderopvang’ (uitbreidingsronde)"}
ADVICE_SHORT = {NEGATIVE_ADVICE: "negatief advies", ZERO_SCORE: "0-score"}
ADVICE_CATEGORY = {NEGATIVE_ADVICE: MINIMUM, ZERO_SCORE: FURTHER}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def thresholds(settings: Settings) -> list[tuple[str, str]]:
    """The settings R11 applied, as (what, value) in Dutch, in the order of the obligations."""
    return [
        ("Termijn om te antwoorden", f"{settings.deadline_days} dagen"),
        ("Minimum tijdig beantwoord", dutch.percent(settings.answering_min_share)),
        ("Hoogste leeftijd van een controle van de infopagina", f"{settings.infopagina_max_age_days} dagen"),
        ("Plussubsidie: minimum kinderen uit kwetsbare gezinnen", dutch.percent(settings.plus_min_share)),
        ("Plussubsidie: minimum aantal kinderen voor een oordeel", str(settings.plus_min_children)),
        ("Statussen: toegestane fouten", str(settings.statuses_max)),
        ("Statussen: te lang ‘in behandeling’ na", f"{settings.lingering_days} dagen"),
        ("Vrije plaatsen: toegestane goedkeuringen zonder gemelde plaats", str(settings.unreported_max)),
        ("Vrije plaatsen: venster rond de startdatum", f"{settings.vacancy_window_days} dagen"),
    ]


def summary(verdict: Verdict, settings: Settings) -> str:
    """One Dutch sentence: what was found for this obligation and the threshold it was held against."""
    d, name = verdict.details, verdict.obligation
    if name == "answering":
        if not d.get("counted"):
            return "Geen aanvragen met een antwoordtermijn in de periode."
        return (f"{d['in_time']} van {_count(d['counted'], 'aanvraag', 'aanvragen')} tijdig beantwoord "
                f"({dutch.percent(verdict.share)}); minimum {dutch.percent(settings.answering_min_share)}.")
    if name == "infopagina":
        if d.get("checked_on") is None:
            return "Het loket controleerde de infopagina nog niet (op of vóór het einde van de periode)."
        checked = f"Laatste controle door het loket op {dutch.day(d['checked_on'])}"
        if verdict.verdict == UNKNOWN:
            return (f"{checked}: {d['age_days']} dagen oud, ouder dan {settings.infopagina_max_age_days} dagen; "
                    "te oud voor een oordeel.")
        if not verdict.evidence:
            return f"{checked}: alle vijf onderdelen staan erop."
        return f"{checked}: ontbreekt {', '.join(ITEM_LABELS[i] for i in verdict.evidence)}."
    if name == "local_policy":
        if verdict.verdict == NOT_APPLICABLE:
            return "Geen LOK-vergadering in de periode."
        return f"{d['attended']} van {_count(d['meetings'], 'LOK-vergadering', 'LOK-vergaderingen')} bijgewoond."
    if name == "plus_share":
        if verdict.verdict == NOT_APPLICABLE:
            return "Geen plussubsidie (subsidietrap 3): niet van toepassing."
        if verdict.share is None:
            return "Geen goedgekeurde kinderen met een gekend ‘kwetsbaar gezin’ in de periode; geen oordeel."
        found = (f"{d['vulnerable']} van {_count(d['children'], 'kind', 'kinderen')} uit een kwetsbaar gezin "
                 f"({dutch.percent(verdict.share)}); minimum {dutch.percent(settings.plus_min_share)}")
        if verdict.verdict == UNKNOWN:
            return f"{found}, maar minder dan {settings.plus_min_children} kinderen: geen oordeel."
        return found + "."
    if name == "statuses":
        direct, lingering = len(d.get("direct_cancellations", [])), len(d.get("lingering", []))
        return (f"{_count(direct, 'rechtstreekse annulering', 'rechtstreekse annuleringen')} en "
                f"{_count(lingering, 'aanvraag', 'aanvragen')} langer dan {settings.lingering_days} dagen ‘in "
                f"behandeling’; toegestaan: {settings.statuses_max}.")
    if name == "vacancies":
        if not d.get("approvals"):
            return "Geen goedkeuringen in de periode."
        return (f"{d['uncovered']} van {_count(d['approvals'], 'goedkeuring', 'goedkeuringen')} zonder een vooraf "
                f"gemelde vrije plaats; toegestaan: {settings.unreported_max}.")
    if name == "agreement":
        if verdict.verdict == SHORTCOMING:
            return "Niet ondertekend op of vóór het einde van de periode."
        return f"Ondertekend op {dutch.day(d.get('signed_on'))}."
    raise ValueError(f"unknown obligation {name!r}")


@dataclass(frozen=True)
class EvidenceRow:
    """One piece of evidence: the obligation it is about, what it is (a request id, an item, a date) and why."""

    obligation: str
    item: str
    detail: str

    @property
    def label(self) -> str:
        return LABELS[self.obligation]


def rows(verdicts: Mapping[str, Verdict]) -> list[EvidenceRow]:
    """The evidence of every obligation, in OBLIGATIONS order, each as found (whatever its verdict)."""
    found: list[EvidenceRow] = []
    for name in OBLIGATIONS:
        verdict = verdicts[name]
        d = verdict.details
        if name == "answering":
            for r in d.get("late_requests", []):
                if r["answered_on"]:
                    late = f"beantwoord op {dutch.day(r['answered_on'])}: {_count(r['days_late'], 'dag', 'dagen')} te laat"
                elif r["days_late"] == 0:  # R11: late even when its deadline is T itself
                    late = "niet beantwoord op de laatste dag van de termijn"
                else:
                    late = f"nog niet beantwoord: {_count(r['days_late'], 'dag', 'dagen')} te laat"
                found.append(EvidenceRow(name, r["id"], f"ontvangen {dutch.day(r['received'])}, termijn "
                                                        f"{dutch.day(r['deadline'])}, {late}"))
        elif name == "infopagina":
            for item in verdict.evidence:
                since = d.get("missing_since", {}).get(item)
                found.append(EvidenceRow(name, ITEM_LABELS[item], f"ontbreekt sinds de controle van {dutch.day(since)}"
                                         if since else "ontbreekt"))
        elif name == "local_policy":
            for held in verdict.evidence:
                found.append(EvidenceRow(name, dutch.day(date.fromisoformat(held)), "LOK-vergadering niet bijgewoond"))
        elif name == "statuses":
            direct = set(d.get("direct_cancellations", []))
            for request_id in verdict.evidence:
                on = dutch.day(d.get("status_dates", {}).get(request_id))
                found.append(EvidenceRow(name, request_id, (
                    f"‘geannuleerd door opvang’ op {on} zonder eerder antwoord" if request_id in direct else
                    f"‘in behandeling’ sinds {on}, langer dan toegestaan")))
        elif name == "vacancies":
            for r in d.get("uncovered_requests", []):
                found.append(EvidenceRow(name, r["id"], f"goedgekeurd op {dutch.day(r['approved_on'])}, start "
                                         f"{dutch.day(r['start'])}: geen vrije plaats gemeld die deze start dekt"))
    return found


def reason(key: str, verdicts: Mapping[str, Verdict]) -> str:
    """Why the derived advice is what it is, in the words of the agreement (§4)."""
    category = ADVICE_CATEGORY[key]
    short = [LABELS[n][0].lower() + LABELS[n][1:] for n in OBLIGATIONS
             if CATEGORY[n] == category and verdicts[n].is_shortcoming]
    if key == NEGATIVE_ADVICE:
        if not short:
            return "De minimale verplichtingen inzake samenwerking met het Lokaal Loket Kinderopvang zijn nagekomen."
        return ("De organisator komt de minimale verplichtingen inzake samenwerking met het Lokaal Loket "
                f"Kinderopvang niet na (tekort bij: {'; '.join(short)}). Dit is een gegronde reden voor een negatief "
                "advies van het lokaal bestuur in kader van een uitbreidingsronde en in kader van de subsidies die jaarlijks worden "
                "gegeven door de stad (§4).")
    if not short:
        return "De afspraken die verder gaan dan de minimale vereisten van de regelgeving zijn nagekomen."
    return ("De organisator komt afspraken na die verder gaan dan de minimale vereisten van de regelgeving niet na "
            f"(tekort bij: {'; '.join(short)}). Die worden gehandhaafd met een 0-score op het criterium "
            "‘samenwerking met het Lokaal Loket Kinderopvang’ in een uitbreidingsronde (§4).")


@dataclass(frozen=True)
class Override:
    """The coordinator's override of a derived advice: the value decided, why, by whom and when."""

    value: bool
    motivation: str
    by: str
    at: datetime


def final(key: str, verdicts: Mapping[str, Verdict], overrides: Mapping[str, Override]) -> bool:
    """The advice in force: the override when there is one, else the derived value."""
    return overrides[key].value if key in overrides else derived(verdicts)[key]


def derived(verdicts: Mapping[str, Verdict]) -> dict[str, bool]:
    """R9's derived advice: {negative_advice: bool, zero_score: bool}."""
    negative, zero = advice(verdicts)
    return {NEGATIVE_ADVICE: negative, ZERO_SCORE: zero}


def verdict_text(verdict: Verdict) -> str:
    """'tekort (minimale verplichting)'."""
    return f"{VERDICT_LABELS[verdict.verdict]} ({CATEGORY_LABELS[verdict.category]})"
