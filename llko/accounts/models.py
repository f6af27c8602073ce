"""The tables of the accounts feature: users and the providers a provider account may see."""

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from llko.models import utcnow
import llko.providers.models  # noqa: F401  (providers.id, the target of foreign keys here, registered first)


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=60)
    name: str = Field(max_length=120)
    email: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)  # coordinator / provider / policy
    password_hash: str = Field(max_length=100)
    active: bool = True
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # optimistic locking of edits


class UserProvider(SQLModel, table=True):
    """Links a provider account to the provider(s) it may see."""

    __tablename__ = "user_providers"
    user_id: int = Field(foreign_key="users.id", primary_key=True)
    provider_id: str = Field(foreign_key="providers.id", primary_key=True, max_length=64)


class LoginSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its token is kept; the token itself lives in the browser's cookie."""

    __tablename__ = "login_sessions"
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
