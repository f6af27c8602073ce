"""The demo town's follow-up (issue 16): contacts of the loket, enforcement files at different steps of the ladder
and one advice override, written through llko.compliance.service (checked and audited like any other write), so
the Dossier, Naleving and Overzicht pages tell a story on first start and every letter is ready to generate.

Which provider plays which part is passed in by name (the demo modules above this feature own the cast)."""

from datetime import date, timedelta
from typing import Callable, Mapping

from sqlalchemy import text
from sqlalchemy.engine import Engine

from llko.compliance import queries, rounds, rules, service

ACTOR, AUTHOR = "coordinator", "Demo coördinator"


def _ids(engine: Engine, names: Mapping[str, str]) -> dict[str, str]:
    with engine.connect() as conn:
        by_name = dict(conn.execute(text("SELECT name, id FROM providers")).all())
    return {part: by_name[name] for part, name in names.items() if name in by_name}


def _evidence(engine: Engine, today: date) -> Callable[[str, str, int], list[str]]:
    """(provider id, obligation, n) -> the first n ids of that evidence over the year before today (R11)."""
    date_from, date_to = rules.period(None, None, today)
    verdicts = queries.verdicts(engine, date_from, date_to)

    def first(provider_id: str, obligation: str, n: int) -> list[str]:
        found = verdicts.get(provider_id, {})
        return list(found[obligation].evidence[:n]) if found else []
    return first


def build(engine: Engine, today: date, cast: Mapping[str, str]) -> None:
    """cast: part -> provider name, for the parts lets_lie, late_answerer, canceller, never_reports, below_plus
    and unsigned (a part whose provider is missing is left out)."""
    ids = _ids(engine, cast)
    evidence = _evidence(engine, today)
    day = lambda n: today - timedelta(days=n)  # noqa: E731

    if "lets_lie" in ids:  # the worst case: the loket talked, then signalled Opgroeien Regie
        p = ids["lets_lie"]
        service.record_contact(engine, ACTOR, p, day(75), "telefoon", "Gebeld over aanvragen die weken blijven "
                               "liggen; de verantwoordelijke belooft elke week de lijst na te kijken.", today,
                               ["answering"], evidence(p, "answering", 3))
        file_id = service.open_file(engine, ACTOR, AUTHOR, p, day(60), ["answering", "agreement"],
                                    "Na het telefoongesprek geen verbetering: nog steeds aanvragen zonder antwoord na "
                                    "twee weken, en de samenwerkingsovereenkomst is niet ondertekend.", today)
        service.add_step(engine, ACTOR, AUTHOR, file_id, "loket_talk", day(45), "Gesprek op het loket met de "
                         "verantwoordelijke: afspraak om binnen 14 dagen te antwoorden en de overeenkomst te tekenen.",
                         today)
        service.add_step(engine, ACTOR, AUTHOR, file_id, "signal", day(10), "Het tekort houdt aan: signaal aan "
                         "Opgroeien Regie verstuurd, met het bewijs van de voorbije 12 maanden.", today)
    if "late_answerer" in ids:  # a conversation with the loket, waiting to see whether it helps
        p = ids["late_answerer"]
        service.record_contact(engine, ACTOR, p, day(40), "mail", "Mail met de lijst van aanvragen die te laat "
                               "beantwoord werden, met de vraag hoe dat komt.", today, ["answering"],
                               evidence(p, "answering", 5))
        file_id = service.open_file(engine, ACTOR, AUTHOR, p, day(30), ["answering"], "Chronisch te laat: minder "
                                    "dan 90% van de aanvragen binnen 14 dagen beantwoord.", today)
        service.add_step(engine, ACTOR, AUTHOR, file_id, "loket_talk", day(14), "Gesprek: personeelstekort in het "
                         "voorjaar; de opvang zet een vaste dag per week apart voor de aanvragen.", today)
    if "canceller" in ids:  # a first contact only
        p = ids["canceller"]
        service.record_contact(engine, ACTOR, p, day(6), "bezoek", "Bezoek: uitgelegd dat ‘geannuleerd door opvang’ "
                               "enkel dient voor ouders die niet meer reageren; een aanvraag die niet kan, krijgt "
                               "‘opvangplan niet mogelijk’ zodat het tekort in de cijfers staat.", today, ["statuses"],
                               evidence(p, "statuses", 4))
    if "never_reports" in ids:  # a file closed earlier, a new contact now
        p = ids["never_reports"]
        file_id = service.open_file(engine, ACTOR, AUTHOR, p, day(300), ["vacancies"], "Goedkeuringen zonder dat er "
                                    "ooit een vrije plaats gemeld werd.", today)
        service.add_step(engine, ACTOR, AUTHOR, file_id, "loket_talk", day(280), "Gesprek: de opvang wist niet dat "
                         "ook tijdelijke en deeltijdse plaatsen gemeld moeten worden.", today)
        service.add_step(engine, ACTOR, AUTHOR, file_id, "closed", day(250), "Afgesloten na het gesprek.", today,
                         outcome="Afspraak gemaakt om elke vrije plaats via het dashboard te melden.")
        service.record_contact(engine, ACTOR, p, day(3), "telefoon", "Opnieuw goedkeuringen zonder gemelde plaats; "
                               "herinnerd aan de afspraak van vorig jaar.", today, ["vacancies"])
    if "below_plus" in ids:  # noted, nothing more yet
        service.open_file(engine, ACTOR, AUTHOR, ids["below_plus"], day(2), ["plus_share"], "Plussubsidie (trap 3): "
                          "minder dan 30% kinderen uit kwetsbare gezinnen in de voorbije 12 maanden.", today)
    # two advice rounds: last year's subsidy, fixed; the coming expansion round, open, with an override in it
    last_year = today.year - 1
    subsidy = rounds.create(engine, ACTOR, f"Subsidie {today.year}", "subsidie", date(last_year, 1, 1),
                            date(last_year, 12, 31))
    rounds.fix(engine, ACTOR, subsidy, min(today, date(today.year, 1, 31)))
    date_from, date_to = rules.period(None, None, today)
    expansion = rounds.create(engine, ACTOR, f"Uitbreidingsronde {today.year + 1}", "uitbreidingsronde", date_from,
                              date_to)
    if "unsigned" in ids:  # an override with its motivation
        service.override_advice(engine, ACTOR, ids["unsigned"], "zero_score", expansion, False,
                                "De overeenkomst werd op het LOK mondeling goedgekeurd; de ondertekende versie is "
                                "onderweg. Geen 0-score voor deze ronde.")
