"""The one engine per database URL, prepared once per server process (the only thing cached as a resource)."""

import streamlit as st

from llko import bootstrap, clock
from llko.db import database_url, is_default_database, make_engine


@st.cache_resource(show_spinner="Databank voorbereiden…")
def engine_for(url: str):
    """The one engine of this database URL, prepared (migrated; the demo town on the embedded default)."""
    engine = make_engine(url)
    bootstrap.prepare(engine, fill_demo=is_default_database(url), today=clock.today())
    return engine


def engine():
    return engine_for(database_url())


def url() -> str:
    """The database URL this session reads (part of every cache key)."""
    return database_url()
