"""The table the policy view adds: how many children younger than 3 live in each deelgemeente (the `bevolking`
register), the denominator of places per 100 children."""

from typing import Optional

from sqlmodel import Field, SQLModel


class Population(SQLModel, table=True):
    """Children younger than 3 living in a deelgemeente on 1 January of a year."""

    __tablename__ = "population"
    district: str = Field(primary_key=True, max_length=100)  # deelgemeente
    year: int = Field(primary_key=True)  # jaar
    children_under_3: int  # kinderen_onder_3
    recorded_by: Optional[str] = Field(default=None, max_length=100)
