"""Getting a database ready: migrate, fill the demo town on the embedded default."""

from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Engine

from llko import audit
from llko.db import get_setting, set_setting, transaction, upgrade_schema
from llko.accounts.models import User, UserProvider

DEMO_PASSWORD = "demo-llko-ninove"


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema (a quick no-op when already there); after an upgrade, rebuild the derived
    summary against the schema as it now is, in the same transaction."""
    from llko.requests.sql_rules import refresh_summary

    upgrade_schema(engine, then=refresh_summary)


def is_demo(engine: Engine) -> bool:
    return get_setting(engine, "demo") == "1"


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM providers")).scalar() == 0


def prepare(engine: Engine, fill_demo: bool, today: date) -> None:
    """Create or upgrade the schema; fill the demo town when asked and the database is still empty."""
    migrate(engine)
    if fill_demo and is_empty(engine):
        build_demo(engine, today)


def build_demo(engine: Engine, today: date) -> dict:
    """The demo town plus one demo account per role and per demo provider (all with DEMO_PASSWORD)."""
    from llko import demo
    from llko.accounts.auth import hash_password
    from llko.compliance import demo as demo_follow_up
    from llko.notify import demo as demo_notify
    from llko.registers import demo as demo_registers

    counts = demo.build_demo_town(engine, today)
    demo_registers.build(engine, today)
    demo_follow_up.build(engine, today, {
        "lets_lie": demo.LETS_LIE_PROVIDER, "late_answerer": demo.LATE_ANSWERER, "canceller": demo.CANCELLER,
        "never_reports": demo_registers.NEVER_REPORTS[0], "below_plus": demo.BELOW_PLUS_SHARE,
        "unsigned": demo_registers.UNSIGNED[1]})
    password_hash = hash_password(DEMO_PASSWORD)
    with transaction(engine) as session:
        session.add(User(username="coordinator", name="Demo coördinator", role="coordinator", password_hash=password_hash,
                         email="kinderopvang@demo-llko.be"))  # R13: the digest goes to the demo coordinator
        session.add(User(username="beleid", name="Demo beleid", role="policy", password_hash=password_hash))
        provider_rows = session.execute(text("SELECT id, name FROM providers ORDER BY id")).all()
        usernames = ["coordinator", "beleid"]
        for i, (provider_id, name) in enumerate(provider_rows, start=1):
            user = User(username=f"opvang{i:02d}", name=f"Demo {name}"[:120], role="provider", password_hash=password_hash)
            session.add(user)
            session.flush()
            session.add(UserProvider(user_id=user.id, provider_id=provider_id))
            usernames.append(user.username)
        set_setting(session, "demo_accounts", ",".join(usernames))
        audit.record(session, "systeem", "demo_accounts_created", accounts=len(provider_rows) + 2)
    demo_notify.build(engine, today)  # after the accounts: the digest goes to the demo coordinator
    return counts


def demo_accounts(engine: Engine) -> list[tuple[str, str, str]]:
    """(username, role, name) of the active demo accounts, to list on the login page of a demo database.

    Only the accounts the demo created: an account made later in a demo database is never shown.
    """
    demo_users = set((get_setting(engine, "demo_accounts") or "").split(","))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT username, role, name FROM users WHERE active = :t ORDER BY role, username"),
                            {"t": True}).all()
    return [tuple(r) for r in rows if r[0] in demo_users]


