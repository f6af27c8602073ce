"""R1: the request statuses of Opvang.Vlaanderen and how they group."""

import re

NEW = "nieuw"
RECEIVED = "vraag ontvangen"
IN_PROGRESS = "in behandeling"
NOT_POSSIBLE = "opvangplan niet mogelijk"
APPROVED = "goedgekeurd"
CANCELLED_BY_PROVIDER = "geannuleerd door opvang"
CANCELLED_BY_PARENT = "geannuleerd door ouder"

ALL = (NEW, RECEIVED, IN_PROGRESS, NOT_POSSIBLE, APPROVED, CANCELLED_BY_PROVIDER, CANCELLED_BY_PARENT)
OPEN = (NEW, RECEIVED, IN_PROGRESS)
CLOSED = (NOT_POSSIBLE, APPROVED, CANCELLED_BY_PROVIDER, CANCELLED_BY_PARENT)
# R2: reaching one of these tells the parents whether there is a place.
ANSWER = (IN_PROGRESS, NOT_POSSIBLE, APPROVED, CANCELLED_BY_PROVIDER)
# Statuses that show the parents have no answer yet (an acknowledgement is not one).
UNANSWERED = (NEW, RECEIVED)

_SPACES = re.compile(r"\s+")


def normalize(label: str) -> str:
    """Lower-case a status label and collapse its spacing ('  Vraag  Ontvangen' -> 'vraag ontvangen')."""
    return _SPACES.sub(" ", str(label)).strip().lower()
