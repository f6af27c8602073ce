"""Signing in and signed-in sessions: the lock decided per attempt, server-side re-login tokens. No Streamlit here.

Every attempt first claims its place in the account's failure count in one transaction (a row lock on
PostgreSQL, SQLite's write lock): the fifth claim in a row locks the account at once, before any password is
checked, so a burst of parallel attempts gets at most the remaining ones checked. Every attempt costs exactly
one bcrypt check — against the account's hash, or a dummy one for unknown names, locked or disabled accounts
and over-long passwords — and every refusal reads the same, so neither the answer nor its timing tells whether
a name exists or is locked.

A session is a random token: the browser keeps it in a cookie, the database only its SHA-256. A logout, a
password change or reset, disabling an account or changing its role deletes the account's sessions, so a
copied cookie stops working at its next use.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import audit
from llko.accounts.auth import (LOCK_MINUTES, MAX_FAILED_LOGINS, MAX_PASSWORD_BYTES, UserInfo, end_sessions,
                                is_locked, normalize_username, password_bytes, token_digest, user_info)
from llko.accounts.models import LoginSession, User
from llko.db import transaction, unit_of_work
from llko.models import utcnow

SESSION_HOURS = 24  # a session (and its cookie) ends at the latest this long after the sign-in
MAX_NAME_CHARS = 60  # a tried name is audited at most this long
REFUSED = (f"Aanmelden mislukt: de gebruikersnaam of het wachtwoord klopt niet. Na {MAX_FAILED_LOGINS} mislukte "
           f"pogingen na elkaar blijft een account {LOCK_MINUTES} minuten vergrendeld; de coördinator van het "
           "loket kan het eerder vrijgeven en een nieuw wachtwoord geven.")
# A hash at bcrypt's default cost (that of every stored hash) of a password nobody knows: the check an attempt
# makes when there is no real hash to check, so that it takes as long as a real one.
_DUMMY_HASH = bcrypt.hashpw(secrets.token_hex(20).encode(), bcrypt.gensalt()).decode()


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: a token for the browser, or the refusal to show."""

    token: str | None
    message: str | None = None


def _bcrypt_matches(password: str, password_hash: str | None) -> bool:
    """One bcrypt check, always: against the hash when there is one and the password can match it."""
    data = password_bytes(password)
    if password_hash is None or len(data) > MAX_PASSWORD_BYTES:
        bcrypt.checkpw(b"-", _DUMMY_HASH.encode())
        return False
    return bcrypt.checkpw(data, password_hash.encode())


def _locked_user(session: Session, name: str) -> User | None:
    return session.execute(select(User).where(User.username == name).with_for_update()).scalars().first()


@unit_of_work
def _claim(session: Session, name: str, now: datetime) -> tuple[str, int, str | None]:
    """(kind, attempt, hash): 'check' with the attempt's number in the failure count and the hash to check,
    'locked' or 'unknown' (no such active account)."""
    user = _locked_user(session, name)
    if user is None or not user.active:
        return "unknown", 0, None
    if is_locked(user, now):
        return "locked", 0, None
    user.failed_logins += 1
    attempt = user.failed_logins
    if attempt >= MAX_FAILED_LOGINS:  # the last attempt allowed: lock now, lifted below if it is right
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
    session.add(user)
    return "check", attempt, user.password_hash


@unit_of_work
def _settle(session: Session, name: str, kind: str, attempt: int, right: bool, now: datetime) -> str | None:
    """Record the attempt's outcome; on success a new session and its token."""
    window = timedelta(minutes=LOCK_MINUTES)
    if kind == "unknown":
        audit.record_repeated(session, name or "?", "login_failed", now, window, reason="onbekende gebruiker")
        return None
    user = _locked_user(session, name)
    if kind == "locked":
        audit.record_repeated(session, user.username, "login_refused_locked", now, window, until=user.locked_until)
        return None
    if not right:
        audit.record(session, user.username, "login_failed", attempt=attempt)
        if attempt >= MAX_FAILED_LOGINS:
            audit.record(session, user.username, "account_locked", until=now + window)
        return None
    user.failed_logins = 0
    if attempt >= MAX_FAILED_LOGINS:
        user.locked_until = None  # the lock this attempt set for itself
    session.add(user)
    audit.record(session, user.username, "login")
    return _new_session(session, user.id, now)


def _new_session(session: Session, user_id: int, now: datetime) -> str:
    session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))  # the expired ones of everyone
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=token_digest(token), user_id=user_id, created_at=now,
                             expires_at=now + timedelta(hours=SESSION_HOURS)))
    return token


def start(engine: Engine, username: str, now: datetime | None = None) -> str:
    """A session for an account without its password, for tools that act as a user (tests, the benchmark)."""
    now = now or utcnow()
    with transaction(engine) as session:
        user = session.execute(select(User).where(User.username == normalize_username(username))).scalars().one()
        return _new_session(session, user.id, now)


def sign_in(engine: Engine, username: str, password: str, now: datetime | None = None) -> SignIn:
    """One login attempt, counted toward the lock before its password is checked."""
    now = now or utcnow()
    name = normalize_username(username)[:MAX_NAME_CHARS]
    kind, attempt, password_hash = _claim(engine, name, now)
    right = _bcrypt_matches(password, password_hash)
    token = _settle(engine, name, kind, attempt, right and kind == "check", now)
    return SignIn(token) if token else SignIn(None, REFUSED)


def session_user(engine: Engine, token: str | None, now: datetime | None = None) -> UserInfo | None:
    """The active account this token signs in, or None (unknown, ended or expired token; anything malformed)."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    now = now or utcnow()
    with Session(engine) as session:
        username = session.execute(
            select(User.username).join(LoginSession, LoginSession.user_id == User.id)
            .where(LoginSession.token_hash == token_digest(token), LoginSession.expires_at > now)).scalar()
    return user_info(engine, username)


def expires_at(engine: Engine, token: str) -> datetime | None:
    """When this session ends at the latest (for the cookie's lifetime)."""
    with Session(engine) as session:
        return session.execute(select(LoginSession.expires_at)
                               .where(LoginSession.token_hash == token_digest(token))).scalar()


@unit_of_work
def sign_out(session: Session, token: str | None) -> None:
    """Log out: end every session of the token's account (a copied cookie included)."""
    if not token:
        return
    row = session.get(LoginSession, token_digest(token))
    if row is None:
        return
    user = session.get(User, row.user_id)
    end_sessions(session, row.user_id)
    audit.record(session, user.username, "logout")

