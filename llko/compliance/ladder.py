"""The follow-up ladder of the agreement (§4, R9) as pure rules: the steps in their order, which step may follow
which, and what a contact or a step needs before it is recorded. Dates are passed in; nothing is read here."""

from datetime import date

from llko.clock import typed_day_problem

STEPS = ("noted", "loket_talk", "signal", "investigation", "opgroeien_talk", "enforcement", "sanction", "closed")
STEP_LABELS = {
    "noted": "Tekortkoming vastgesteld",
    "loket_talk": "Gesprek met het loket",
    "signal": "Signaal aan Opgroeien Regie",
    "investigation": "Onderzoek door Opgroeien Regie",
    "opgroeien_talk": "Gesprek door Opgroeien Regie",
    "enforcement": "Handhaving",
    "sanction": "Sanctie",
    "closed": "Afgesloten",
}
FIRST, CLOSED = STEPS[0], STEPS[-1]

CHANNELS = ("telefoon", "mail", "bezoek")
CHANNEL_LABELS = {"telefoon": "telefoon", "mail": "mail", "bezoek": "bezoek"}

NOTE_MAX = 4000
MOTIVATION_MIN = 20  # an override's motivation: a written reason, not a word


def next_steps(current: str | None) -> list[str]:
    """The steps that may follow `current` (None: a new file, which starts with FIRST). The ladder is climbed, never
    descended; a step may be skipped (Opgroeien may stop after its conversation) and a file may close at any step.
    A closed file takes no more steps."""
    if current is None:
        return [FIRST]
    if current not in STEPS:
        raise ValueError(f"unknown step {current!r}")
    if current == CLOSED:
        return []
    return list(STEPS[STEPS.index(current) + 1:])


def step_problems(current: str | None, last_on: date | None, step: str, on: date | None, note: str,
                  outcome: str, today: date) -> dict[str, str]:
    """What is wrong with taking `step` on `on` after `current` (taken on `last_on`): {field: Dutch message}."""
    problems: dict[str, str] = {}
    allowed = next_steps(current)
    if step not in allowed:
        problems["step"] = ("Stap: dit dossier is afgesloten; open een nieuw dossier." if not allowed else
                            f"Stap: na ‘{STEP_LABELS.get(current, current)}’ kan enkel "
                            + ", ".join(f"‘{STEP_LABELS[s]}’" for s in allowed) + ".")
    if on is None:
        problems["on"] = "Datum: kies de datum van de stap."
    elif wrong := typed_day_problem("Datum", on, today, not_yet="leg een stap vast nadat ze gezet is"):
        problems["on"] = wrong
    elif last_on is not None and on < last_on:
        problems["on"] = (f"Datum: {on:%d/%m/%Y} ligt vóór de vorige stap ({last_on:%d/%m/%Y}); de ladder gaat enkel "
                          "vooruit in de tijd.")
    if not note.strip():
        problems["note"] = "Notitie: schrijf kort wat er gebeurde of werd afgesproken."
    elif len(note) > NOTE_MAX:
        problems["note"] = f"Notitie: hoogstens {NOTE_MAX} tekens."
    if step == CLOSED and not outcome.strip():
        problems["outcome"] = "Uitkomst: zeg waarmee het dossier afgesloten wordt (bv. tekort weggewerkt, sanctie)."
    elif len(outcome) > NOTE_MAX:
        problems["outcome"] = f"Uitkomst: hoogstens {NOTE_MAX} tekens."
    return problems


def correction_problems(step: str, previous_on: date | None, next_on: date | None, on: date | None, note: str,
                        outcome: str, today: date) -> dict[str, str]:
    """What is wrong with correcting a step (its kind stays) to date `on`: it must stay between the steps before
    (`previous_on`) and after it (`next_on`) on the ladder, and keep a note (and, when it closed the file, an
    outcome): {field: Dutch message}."""
    problems = step_problems(None, previous_on, step, on, note, outcome, today)
    problems.pop("step", None)  # the kind of step is not corrected
    if "on" not in problems and next_on is not None and on > next_on:
        problems["on"] = (f"Datum: {on:%d/%m/%Y} ligt na de volgende stap ({next_on:%d/%m/%Y}); de ladder gaat enkel "
                          "vooruit in de tijd.")
    return problems


def contact_problems(on: date | None, channel: str, note: str, today: date) -> dict[str, str]:
    """What is wrong with a contact: {field: Dutch message}."""
    problems: dict[str, str] = {}
    if on is None:
        problems["on"] = "Datum: kies de datum van het contact."
    elif wrong := typed_day_problem("Datum", on, today, not_yet="leg een contact vast nadat het plaatsvond"):
        problems["on"] = wrong
    if channel not in CHANNELS:
        problems["channel"] = "Kanaal: kies telefoon, mail of bezoek."
    if not note.strip():
        problems["note"] = "Notitie: schrijf kort waarover het contact ging en wat werd afgesproken."
    elif len(note) > NOTE_MAX:
        problems["note"] = f"Notitie: hoogstens {NOTE_MAX} tekens."
    return problems


def motivation_problems(value: bool | None, motivation: str) -> dict[str, str]:
    """An override needs a written motivation of at least MOTIVATION_MIN characters (withdrawing one needs a word
    of why too)."""
    text = motivation.strip()
    if len(text) < MOTIVATION_MIN:
        what = "het terugzetten naar de afgeleide waarde" if value is None else "de aanpassing"
        return {"motivation": f"Motivering: schrijf waarom u {what} beslist (minstens {MOTIVATION_MIN} tekens); "
                              "ze blijft bij het advies staan."}
    if len(text) > NOTE_MAX:
        return {"motivation": f"Motivering: hoogstens {NOTE_MAX} tekens."}
    return {}
