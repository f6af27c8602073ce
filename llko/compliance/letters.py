"""The data of a compliance letter, read from the database: a provider's standing in an advice round (verdicts,
overrides and settings; live while open, as fixed once fixed), its master data, and the follow-up so far (contacts
and ladder steps, oldest first). llko.compliance.documents turns it into the PDFs and the Excel annex."""

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko.compliance import documents, ladder, queries, rounds
from llko.providers.models import Provider


def follow_up(engine: Engine, provider_id: str) -> list[documents.Step]:
    """The loket's contacts and the steps of every file of the provider, oldest first (a contact before a step of
    the same day)."""
    contacts = queries.contacts(engine, (provider_id,))
    steps = queries.steps(engine, provider_id)
    found = [(row.contact_on.date(), 0, documents.Step(row.contact_on.date(), f"Contact ({row.channel})", row.note,
                                                        row.recorded_by))
             for row in contacts.itertuples(index=False)]
    found += [(row.taken_on.date(), 1, documents.Step(row.taken_on.date(), ladder.STEP_LABELS[row.step], row.note,
                                                       row.author))
              for row in steps.itertuples(index=False)]
    return [step for _, _, step in sorted(found, key=lambda f: (f[0], f[1]))]


def postal_address(address: str | None, district: str | None) -> str | None:
    """The address as a letter writes it: the deelgemeente added only when the address does not name it already."""
    street, place = (address or "").strip(), (district or "").strip()
    if place and place.lower() not in street.lower():
        street = f"{street}, {place}" if street else place
    return street or None


def letter(engine: Engine, provider_id: str, current: rounds.Round, today: date, author: str) -> documents.Letter:
    """Everything a letter about this provider in an advice round says (its verdicts, overrides and settings: live
    while the round is open, as fixed once it is), written today by `author`."""
    found = rounds.standing(engine, current)
    if provider_id not in found.verdicts:
        raise ValueError(f"Onbekende opvang ‘{provider_id}’.")
    settings, date_from, date_to = found.settings, current.date_from, current.date_to
    with Session(engine) as session:
        provider = session.get(Provider, provider_id)
        address = postal_address(provider.address, provider.district)
        name, level = provider.name, provider.subsidy_level
    return documents.Letter(
        municipality=settings.municipality, provider_id=provider_id, provider_name=name, provider_address=address,
        subsidy_level=level, date_from=date_from, date_to=date_to, written_on=today, author=author,
        verdicts=found.verdicts[provider_id], settings=settings,
        overrides=queries.named(engine, found.overrides).get(provider_id, {}),
        steps=follow_up(engine, provider_id))
