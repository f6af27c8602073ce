"""Accounts: bcrypt passwords, roles, provider links, failure counts and locks. No Streamlit here.

Signing in and sessions: llko.accounts.sessions."""

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from llko import audit
from llko.accounts.models import LoginSession, User, UserProvider
from llko.clock import LOCAL_TZ
from llko.db import retry_when_busy, transaction, unit_of_work
from llko.models import utcnow
from llko.providers.models import Provider
from llko.roles import ROLES

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_BYTES = 72  # bcrypt refuses longer passwords
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15


@dataclass(frozen=True)
class UserInfo:
    """What a page needs to know about the signed-in user."""

    username: str
    name: str
    role: str
    provider_ids: tuple[str, ...]
    must_change_password: bool
    email: str = ""


def password_bytes(password: str) -> bytes:
    """The one normalisation of a password, wherever it is set or checked: Unicode NFC (an é typed on any
    keyboard is the same é), UTF-8. Nothing is stripped: spaces are part of the password."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def password_problem(password: str) -> str | None:
    """Dutch reason why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"Het wachtwoord moet minstens {MIN_PASSWORD_CHARS} tekens lang zijn."
    if len(password_bytes(password)) > MAX_PASSWORD_BYTES:
        return f"Het wachtwoord mag hoogstens {MAX_PASSWORD_BYTES} bytes lang zijn (minder bij tekens met accenten)."
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return bcrypt.hashpw(password_bytes(password), bcrypt.gensalt()).decode()


def check_password(password: str, password_hash: str) -> bool:
    data = password_bytes(password)
    return len(data) <= MAX_PASSWORD_BYTES and bcrypt.checkpw(data, password_hash.encode())


def token_digest(token: str) -> str:
    """What the database keeps of a session token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def end_sessions(session: Session, user_id: int, keep: str | None = None) -> None:
    """End every session of an account, except the one of token keep (the browser that made the change)."""
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep:
        query = query.where(LoginSession.token_hash != token_digest(keep))
    session.execute(query)


def normalize_username(username: str) -> str:
    return username.strip().lower()


def _check_providers_exist(session: Session, provider_ids: tuple[str, ...]) -> None:
    if not provider_ids:
        return
    known = set(session.execute(select(Provider.id).where(Provider.id.in_(provider_ids))).scalars())
    unknown = [p for p in provider_ids if p not in known]
    if unknown:
        raise ValueError(f"Onbekende opvang: {', '.join(unknown)}. Importeer eerst een export waarin ze voorkomt.")


def _get(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == normalize_username(username))).scalars().first()


@unit_of_work
def create_user(session: Session, actor: str, username: str, name: str, role: str, password: str,
                provider_ids: tuple[str, ...] = (), email: str = "", must_change_password: bool = False) -> None:
    """Create an account; raises ValueError with a Dutch message when the input is not acceptable."""
    username = normalize_username(username)
    if not username:
        raise ValueError("Vul een gebruikersnaam in (letters, cijfers, punt, streepje of liggend streepje).")
    if not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ValueError("De gebruikersnaam mag alleen letters, cijfers, punt, streepje en liggend streepje bevatten.")
    if not role:
        raise ValueError("Kies een rol.")
    if role not in ROLES:
        raise ValueError(f"Onbekende rol '{role}'; kies uit {', '.join(ROLES)}.")
    if not name.strip():
        raise ValueError("Vul een naam in.")
    if role == "provider" and not provider_ids:
        raise ValueError("Koppel een account van een opvanginitiatief aan minstens één opvang.")
    password_hash = hash_password(password)
    if _get(session, username):
        raise ValueError(f"De gebruikersnaam '{username}' bestaat al.")
    _check_providers_exist(session, tuple(provider_ids) if role == "provider" else ())
    user = User(username=username, name=name.strip(), email=email.strip(), role=role,
                password_hash=password_hash, must_change_password=must_change_password)
    session.add(user)
    session.flush()
    for provider_id in provider_ids if role == "provider" else ():
        session.add(UserProvider(user_id=user.id, provider_id=provider_id))
    audit.record(session, actor, "user_created", username=username, role=role, providers=list(provider_ids))


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def locked_until(engine: Engine, username: str, now: datetime | None = None) -> datetime | None:
    now = now or utcnow()
    with Session(engine) as session:
        user = _get(session, username)
        return user.locked_until if user is not None and is_locked(user, now) else None


def _count_failure(session: Session, user: User, action: str, now: datetime) -> None:
    """One more wrong password for this account, audited as action; the MAX_FAILED_LOGINS-th in a row locks it
    for LOCK_MINUTES (and starts the count again)."""
    user.failed_logins += 1
    audit.record(session, user.username, action, attempt=user.failed_logins)
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        audit.record(session, user.username, "account_locked", until=user.locked_until)
    session.add(user)


def user_info(engine: Engine, username: str | None) -> UserInfo | None:
    """The active account behind a username, with its provider links; None when absent or disabled."""
    if not username:
        return None
    with Session(engine) as session:
        user = _get(session, username)
        if user is None or not user.active:
            return None
        links = session.execute(select(UserProvider.provider_id).where(UserProvider.user_id == user.id)).scalars().all()
        return UserInfo(user.username, user.name, user.role, tuple(sorted(links)), user.must_change_password,
                        user.email or "")


@retry_when_busy
def change_password(engine: Engine, username: str, old: str, new: str, now: datetime | None = None,
                    keep: str | None = None) -> None:
    """The user's own password change; raises ValueError (Dutch) when refused. Ends every other session of
    the account (all but the one of token keep).

    A wrong current password counts as a failed login (audited; the fifth in a row locks the account, as at the
    login), so this form cannot be used to guess a password without limit. Its own transaction (not a unit of work
    in a caller's): the counted failure is committed before the refusal is raised.
    """
    now = now or utcnow()
    if new == old:
        raise ValueError("Het nieuwe wachtwoord moet verschillen van het huidige.")
    new_hash = hash_password(new)
    refusal = None
    with transaction(engine) as session:
        user = session.execute(select(User).where(User.username == normalize_username(username))
                               .with_for_update()).scalars().first()
        if user is None:
            raise ValueError("Het huidige wachtwoord klopt niet.")
        if is_locked(user, now):
            refusal = (f"Uw account is vergrendeld na {MAX_FAILED_LOGINS} foute wachtwoorden; probeer opnieuw na "
                       f"{user.locked_until.astimezone(LOCAL_TZ):%H:%M}.")
        elif not check_password(old, user.password_hash):
            _count_failure(session, user, "password_change_refused", now)
            refusal = "Het huidige wachtwoord klopt niet."
        else:
            user.password_hash = new_hash
            user.must_change_password = False
            user.failed_logins = 0
            session.add(user)
            end_sessions(session, user.id, keep=keep)
            audit.record(session, user.username, "password_changed")
    if refusal:  # raised after the commit, so the counted failure stays
        raise ValueError(refusal)


def new_one_time_password() -> str:
    return secrets.token_urlsafe(12)


@unit_of_work
def reset_password(session: Session, actor: str, username: str) -> str:
    """Give an account a one-time password that must be changed at the next login; returns it."""
    one_time = new_one_time_password()
    user = _get(session, username)
    if user is None:
        raise ValueError(f"Geen gebruiker '{username}'.")
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    end_sessions(session, user.id)
    audit.record(session, actor, "password_reset", username=user.username)
    return one_time


class EditConflict(ValueError):
    """The record was changed by someone else since it was shown."""


@unit_of_work
def update_user(session: Session, actor: str, username: str, *, name: str, email: str, role: str,
                active: bool, provider_ids: tuple[str, ...], version: int | None = None) -> None:
    """Edit an account (name, e-mail, role, active, provider links) in one transaction.

    version: the version the editor saw; when the account changed since, EditConflict and nothing is written.
    """
    if role not in ROLES:
        raise ValueError(f"Onbekende rol '{role}'.")
    if role == "provider" and not provider_ids:
        raise ValueError("Koppel een account van een opvanginitiatief aan minstens één opvang.")
    if not name.strip():
        raise ValueError("Vul een naam in.")
    coordinators: list[int] = []
    if role != "coordinator" or not active:
        # This edit may remove a coordinator: lock the active ones first, always in the same order, so
        # that two coordinators demoting each other at once cannot both pass the last-coordinator check.
        coordinators = list(session.execute(
            select(User.id).where(User.role == "coordinator", User.active == True)  # noqa: E712
            .order_by(User.id).with_for_update()).scalars())
    user = session.execute(select(User).where(User.username == normalize_username(username))
                           .with_for_update()).scalars().first()
    if user is None:
        raise ValueError(f"Geen gebruiker '{username}'.")
    if version is not None and user.version != version:
        raise EditConflict(f"Het account '{user.username}' werd intussen door iemand anders gewijzigd. "
                           "Er is niets bewaard; bekijk de nieuwe gegevens en probeer opnieuw.")
    if user.username == normalize_username(actor) and (not active or role != user.role):
        raise ValueError("U kunt uw eigen account niet uitschakelen of uw eigen rol wijzigen.")
    if user.id in coordinators and not [c for c in coordinators if c != user.id]:
        raise ValueError(f"'{user.username}' is de laatste actieve coördinator en kan niet uitgeschakeld worden "
                         "of een andere rol krijgen. Maak eerst een ander account coördinator.")
    _check_providers_exist(session, tuple(provider_ids) if role == "provider" else ())
    if role != user.role or active != user.active:
        end_sessions(session, user.id)  # what this account may do changed: it signs in afresh
    user.name, user.email, user.role, user.active = name.strip(), email.strip(), role, active
    user.version += 1
    session.add(user)
    session.execute(delete(UserProvider).where(UserProvider.user_id == user.id))
    for provider_id in provider_ids if role == "provider" else ():
        session.add(UserProvider(user_id=user.id, provider_id=provider_id))
    audit.record(session, actor, "user_updated", username=user.username, role=role, active=active,
                 providers=list(provider_ids))


def state(active: bool, locked_until, must_change_password: bool, now: datetime) -> str:
    """What an account can do right now, in words (a lock in Belgian time)."""
    if not active:
        return "Uitgeschakeld"
    if locked_until is not None and not pd.isna(locked_until) and locked_until > now:
        return f"Vergrendeld tot {pd.Timestamp(locked_until).tz_convert(LOCAL_TZ):%d/%m/%Y %H:%M}"
    if must_change_password:
        return "Moet wachtwoord wijzigen"
    return "Actief"
