from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.application.identity.signed_in_state import AccountState, SessionState
from devforge.domain.identity.api_key import ApiKey
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.one_time_token import OneTimeToken, TokenPurpose
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User


class UserRepository(Protocol):
    """Transactional (joins the unit of work)."""

    async def add(self, user: User) -> None:
        """Raises ``EmailAlreadyRegistered`` when the normalized email is taken, even by a
        concurrent transaction."""
        ...

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def get_by_email(self, email: EmailAddress) -> User | None: ...

    async def update(self, user: User) -> None: ...

    async def replace_password_hash(self, user_id: UUID, new_hash: str) -> None:
        """Writes only the hash (a rehash with stronger parameters on sign-in), so it cannot
        undo a concurrent disable, role or two-factor change made from another request."""
        ...

    async def list(self, *, limit: int, offset: int, role: Role | None = None) -> list[User]:
        """A page of accounts (of ``role`` when given), oldest first, ties broken by id."""
        ...


class SessionRepository(Protocol):
    """Transactional (joins the unit of work)."""

    async def add(self, session: Session) -> None: ...

    async def get(self, session_id: UUID, *, for_update: bool = False) -> Session | None: ...

    async def list_for_user(self, user_id: UUID) -> list[Session]:
        """Every session of the user, active or ended, oldest first."""
        ...

    async def get_by_token_digest(self, digest: str, *, for_update: bool = False) -> Session | None:
        """Finds the session for any refresh token it ever issued, the rotated ones included,
        so that reuse of an old token can be recognised."""
        ...

    async def update(self, session: Session) -> None:
        """Raises ``SessionInvalid`` when another transaction changed the session first."""
        ...


class OneTimeTokenRepository(Protocol):
    """Transactional (joins the unit of work). Holds digests only, never a raw token."""

    async def add(self, token: OneTimeToken) -> None: ...

    async def get_by_digest(self, digest: str, *, for_update: bool = False) -> OneTimeToken | None: ...

    async def list_live_for_user(self, user_id: UUID, purpose: TokenPurpose, now: datetime) -> list[OneTimeToken]:
        """The user's tokens of ``purpose`` that are neither used, superseded nor expired."""
        ...

    async def update(self, token: OneTimeToken) -> None:
        """Stores a token that was just used or superseded. Raises ``TokenAlreadyUsed`` when
        another transaction ended it first, so two racing redemptions cannot both succeed."""
        ...


class ApiKeyRepository(Protocol):
    """Transactional (joins the unit of work). Holds digests only, never a key."""

    async def add(self, key: ApiKey) -> None: ...

    async def get(self, key_id: UUID, *, for_update: bool = False) -> ApiKey | None: ...

    async def get_by_digest(self, digest: str) -> ApiKey | None: ...

    async def list_for_owner(self, owner_id: UUID) -> list[ApiKey]:
        """Every key of the owner, revoked and expired ones included, newest first."""
        ...

    async def update(self, key: ApiKey) -> None: ...

    async def record_use(self, key_id: UUID, at: datetime) -> None:
        """Writes only the last-used time, and only on an unrevoked key, so a use racing a
        revocation can never bring the key back."""
        ...


class PasswordHasher(Protocol):
    def ensure_room(self) -> None:
        """Raises ``ServiceUnavailable`` when a hash asked for now would be refused (the hashing
        queue is full), so a use case refuses before doing any other work. Depends on the load
        only, never on the account."""
        ...

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """With ``None`` (no such account) it checks against a dummy hash and returns False,
        taking as long as a real check so timing does not reveal which emails exist."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID
    role: Role
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str
    expires_at: datetime


class AccessTokens(Protocol):
    """Short-lived signed bearer tokens. ``verify`` raises ``SessionInvalid`` for anything not
    issued by us for this audience and type, expired, or signed with another algorithm."""

    def issue(self, *, user_id: UUID, session_id: UUID, role: Role, now: datetime) -> IssuedAccessToken: ...

    def verify(self, token: str, *, now: datetime) -> AccessClaims: ...


class SignedInReader(Protocol):
    """Reads outside any unit of work, on the common read path: each call is one statement on a
    connection of its own, and sees committed data only."""

    async def session(self, session_id: UUID) -> tuple[SessionState, AccountState] | None:
        """The session and its account, in one read."""
        ...

    async def account(self, user_id: UUID) -> AccountState | None: ...


class IdentityReader(Protocol):
    """Identity's plain reads for its pages and for API-key sign-in, outside any unit of work: each
    call is one statement on committed data, on a connection taken only for the call. A read a
    change rests on goes through the repositories in the unit of work instead."""

    async def user(self, user_id: UUID) -> User | None: ...

    async def users(self, *, limit: int, offset: int, role: Role | None = None) -> list[User]:
        """As ``UserRepository.list``: oldest first."""
        ...

    async def sessions_of(self, user_id: UUID) -> list[Session]:
        """Every session of the account, oldest first."""
        ...

    async def api_keys_of(self, owner_id: UUID) -> list[ApiKey]:
        """Every key of the owner, revoked and expired ones included, newest first."""
        ...

    async def api_key_by_digest(self, digest: str) -> ApiKey | None: ...
