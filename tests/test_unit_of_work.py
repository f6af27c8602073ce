"""A service that writes takes the caller's Session and the caller owns the transaction (llko.db.unit_of_work): the
register workbook writes all its sheets in one, so a refusal anywhere leaves nothing. Given an Engine, the service
is its own transaction. Shown with the population register (llko.reporting.population)."""

from datetime import date

import pytest
from sqlalchemy import text

from llko.db import transaction
from llko.refusals import Refused
from llko.reporting import population

TODAY = date(2026, 11, 2)


def figures(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT district, year, children_under_3 FROM population ORDER BY district, year"))]


def audited(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'population_recorded'")).scalar()


def test_an_engine_gives_the_write_a_transaction_of_its_own(engine):
    population.record(engine, "coord", "Okegem", 2026, 160, TODAY)
    assert figures(engine) == [("Okegem", 2026, 160)]  # committed: another connection sees it
    assert audited(engine) == 1


def test_in_the_callers_transaction_a_later_refusal_leaves_nothing_of_an_earlier_write(engine):
    with pytest.raises(Refused) as refused:
        with transaction(engine) as session:
            population.record(session, "coord", "Okegem", 2026, 160, TODAY)  # accepted on its own ...
            population.record(session, "coord", "Aspelare", 1850, 40, TODAY)  # ... but this year is refused
    assert refused.value.problems == {"year": "Jaar: een jaar van 1990 tot en met 2027."}
    assert figures(engine) == [] and audited(engine) == 0


def test_the_caller_commits_every_write_at_once(engine):
    with transaction(engine) as session:
        population.record(session, "coord", "Okegem", 2026, 160, TODAY)
        population.record(session, "coord", "Aspelare", 2026, 40, TODAY)
        with engine.connect() as other:  # not yet visible outside the transaction
            assert other.execute(text("SELECT count(*) FROM population")).scalar() == 0
    assert figures(engine) == [("Aspelare", 2026, 40), ("Okegem", 2026, 160)]
    assert audited(engine) == 2
