"""Writing the `bevolking` register from the Beleid page: how many children younger than 3 live in a deelgemeente on
1 January of a year. Checked whole first (a Dutch message per field, nothing written), one transaction with an
audit entry; a second number for the same deelgemeente and year replaces the first (the audit keeps both)."""

from datetime import date

from sqlalchemy.orm import Session

from llko import audit, dutch
from llko.db import unit_of_work
from llko.models import assign_changed
from llko.reporting.models import Population
from llko.refusals import Refused

DISTRICT_MAX = 100
CHILDREN_MAX = 100_000


def problems(district: str, year, children, today: date) -> dict[str, str]:
    """What is wrong with a population figure: {field: Dutch message}. The year lies from 1990 to next year."""
    found = {}
    if not district.strip():
        found["district"] = "Deelgemeente: vul de naam van de deelgemeente in."
    elif len(district.strip()) > DISTRICT_MAX:
        found["district"] = f"Deelgemeente: hoogstens {DISTRICT_MAX} tekens."
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= today.year + 1:
        found["year"] = f"Jaar: een jaar van 1990 tot en met {today.year + 1}."
    if not isinstance(children, int) or isinstance(children, bool) or not 0 <= children <= CHILDREN_MAX:
        found["children"] = f"Kinderen onder 3: een geheel getal van 0 tot {dutch.whole(CHILDREN_MAX)}."
    return found


@unit_of_work
def record(session: Session, actor: str, district: str, year: int, children: int, today: date) -> None:
    """Children younger than 3 in `district` on 1 January of `year`."""
    district = (district or "").strip()
    if found := problems(district, year, children, today):
        raise Refused(found)
    record_ = session.get(Population, (district, year))
    before = None if record_ is None else record_.children_under_3
    if record_ is None:
        session.add(Population(district=district, year=year, children_under_3=children, recorded_by=actor))
    else:
        record_.children_under_3, record_.recorded_by = children, actor
    audit.record(session, actor, "population_recorded", deelgemeente=district, jaar=year, kinderen=children,
                 was=before)


@unit_of_work
def import_population(session: Session, actor: str, values: dict) -> str:
    """A row of the register workbook's bevolking sheet (typed, by attribute; key: deelgemeente and year): the number
    added or changed. Returns 'new', 'updated' or 'unchanged'."""
    record = session.get(Population, (values["district"], values["year"]))
    if record is None:
        session.add(Population(**values, recorded_by=actor))
        return "new"
    return "updated" if assign_changed(record, values) else "unchanged"
