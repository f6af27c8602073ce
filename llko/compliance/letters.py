"""The data of a compliance letter, read from the database: a provider's verdicts over [F, T] with the settings in
force, the overrides for exactly that period, its master data, and the follow-up so far (contacts and ladder steps,
oldest first). llko.compliance.documents turns it into the PDFs and the Excel annex."""

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import settings as settings_store
from llko.compliance import documents, ladder, queries
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


def letter(engine: Engine, provider_id: str, date_from: date, date_to: date, today: date,
           author: str) -> documents.Letter:
    """Everything a letter about this provider over [F, T] says, written today by `author`."""
    settings = settings_store.load(engine)
    verdicts = queries.verdicts(engine, date_from, date_to, settings)
    if provider_id not in verdicts:
        raise ValueError(f"Onbekende opvang ‘{provider_id}’.")
    with Session(engine) as session:
        provider = session.get(Provider, provider_id)
        address = ", ".join(p for p in (provider.address, provider.district) if p) or None
        name, level = provider.name, provider.subsidy_level
    return documents.Letter(
        municipality=settings.municipality, provider_id=provider_id, provider_name=name, provider_address=address,
        subsidy_level=level, date_from=date_from, date_to=date_to, written_on=today, author=author,
        verdicts=verdicts[provider_id], settings=settings,
        overrides=queries.overrides_for(engine, date_from, date_to, (provider_id,)).get(provider_id, {}),
        steps=follow_up(engine, provider_id))
