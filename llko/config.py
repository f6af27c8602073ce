"""What an installation sets in its environment, read here and nowhere else: the database, a pinned 'today' (demos
and tests), the import limits, R13's mail server and the app's address for the links in mails. Read on each call,
so a test or a scheduled job that sets a variable is followed at once."""

import os
from dataclasses import dataclass
from datetime import date

DATABASE_URL = "LLKO_DATABASE_URL"  # SQLAlchemy URL; unset: the embedded SQLite file in db/ (the demo town)
TODAY = "LLKO_TODAY"  # jjjj-mm-dd: 'today' for demos and tests; unset: the day in Belgium
IMPORT_LIMITS = {  # name -> default; an installation may raise or lower each (README.md says what each bounds)
    "LLKO_IMPORT_MAX_ROWS": 300_000,
    "LLKO_IMPORT_MAX_CELLS": 5_000_000,
    "LLKO_IMPORT_MAX_XML_MB": 300,
    "LLKO_IMPORT_PARSE_SECONDS": 120,
    "LLKO_IMPORT_MAX_MEMORY_MB": 2048,
}


SMTP = ("LLKO_SMTP_HOST", "LLKO_SMTP_PORT", "LLKO_SMTP_SECURITY", "LLKO_SMTP_USER", "LLKO_SMTP_PASSWORD",
        "LLKO_SMTP_SENDER")  # R13: the mail server notify sends through
SMTP_SECURITY = {"none": 25, "starttls": 587, "ssl": 465}  # LLKO_SMTP_SECURITY -> its usual port
APP_URL = "LLKO_APP_URL"  # the dashboard's address as staff and providers reach it (the links in mails)
DEFAULT_APP_URL = "http://localhost:8501"


def database_url() -> str | None:
    return os.environ.get(DATABASE_URL) or None


def pinned_today() -> date | None:
    pinned = os.environ.get(TODAY, "").strip()
    return date.fromisoformat(pinned) if pinned else None


def import_limit(name: str) -> int:
    """One of IMPORT_LIMITS, as the installation set it (a positive whole number) or its default."""
    default = IMPORT_LIMITS[name]
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} moet een positief geheel getal zijn, niet '{value}'")
    return int(value)


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str


def smtp() -> Smtp | None:
    """The mail server from LLKO_SMTP_*; None when no host is set. ValueError (Dutch) for a value that cannot work."""
    host = os.environ.get("LLKO_SMTP_HOST", "").strip()
    if not host:
        return None
    security = os.environ.get("LLKO_SMTP_SECURITY", "").strip().lower() or "starttls"
    if security not in SMTP_SECURITY:
        raise ValueError(f"LLKO_SMTP_SECURITY moet none, starttls of ssl zijn, niet '{security}'")
    port = os.environ.get("LLKO_SMTP_PORT", "").strip()
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"LLKO_SMTP_PORT moet een poortnummer zijn (1 tot 65535), niet '{port}'")
    sender = os.environ.get("LLKO_SMTP_SENDER", "").strip()
    if "@" not in sender:
        raise ValueError("LLKO_SMTP_SENDER moet het e-mailadres zijn waarvan de meldingen vertrekken "
                         f"(bv. kinderopvang@ninove.be), niet '{sender}'")
    return Smtp(host=host, port=int(port) if port else SMTP_SECURITY[security], security=security,
                user=os.environ.get("LLKO_SMTP_USER", "").strip(), password=os.environ.get("LLKO_SMTP_PASSWORD", ""),
                sender=sender)


def app_url() -> str:
    return (os.environ.get(APP_URL, "").strip() or DEFAULT_APP_URL).rstrip("/")
