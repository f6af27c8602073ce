"""Reads of the accounts, for the Gebruikers page."""

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine


def users(engine: Engine) -> pd.DataFrame:
    """Accounts with their linked provider ids (comma-separated) and last login (UTC), without password hashes."""
    stmt = text("""SELECT u.username, u.name, u.email, u.role, u.active, u.must_change_password, u.locked_until,
                          u.version, up.provider_id
                   FROM users u LEFT JOIN user_providers up ON up.user_id = u.id ORDER BY u.username""")
    logins = text("SELECT actor AS username, MAX(at) AS last_login FROM audit_log WHERE action = 'login' GROUP BY actor")
    with engine.connect() as conn:
        frame = pd.read_sql(stmt, conn)
        last = pd.read_sql(logins, conn).set_index("username")["last_login"]
    links = frame.groupby("username")["provider_id"].agg(lambda s: ",".join(sorted(s.dropna())))
    frame = frame.drop(columns="provider_id").drop_duplicates("username").set_index("username")
    frame["provider_ids"] = links
    frame["last_login"] = pd.to_datetime(last.reindex(frame.index), format="ISO8601", utc=True)
    frame["locked_until"] = pd.to_datetime(frame["locked_until"], format="ISO8601", utc=True)
    frame["active"] = frame["active"].astype(bool)
    frame["must_change_password"] = frame["must_change_password"].astype(bool)
    return frame.reset_index()



def full_names(engine: Engine) -> dict[str, str]:
    """User name -> full name of every account (for showing who decided without the user name)."""
    with engine.connect() as conn:
        return {row.username: row.name for row in conn.execute(text("SELECT username, name FROM users"))}
