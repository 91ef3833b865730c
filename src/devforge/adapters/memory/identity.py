from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.api_keys import InMemoryApiKeyRepository
from devforge.adapters.memory.store import Tables, detached
from devforge.application.identity.signed_in_state import AccountState, SessionState
from devforge.domain.identity.api_key import ApiKey
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import EmailAlreadyRegistered, SessionChangedConcurrently
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User


class InMemoryUserRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, User] = store.table("users")

    async def add(self, user: User) -> None:
        if any(row.email == user.email for row in self._rows.values()):
            raise EmailAlreadyRegistered("An account with this email already exists.", field="email")
        self._rows[user.id] = detached(user)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        row = self._rows.get(user_id)
        return detached(row) if row else None

    async def get_by_email(self, email: EmailAddress) -> User | None:
        return next((detached(row) for row in self._rows.values() if row.email == email), None)

    async def update(self, user: User) -> None:
        self._rows[user.id] = detached(user)

    async def replace_password_hash(self, user_id: UUID, new_hash: str) -> None:
        if user_id in self._rows:
            user = detached(self._rows[user_id])
            user.password_hash = new_hash
            self._rows[user_id] = user

    async def list(self, *, limit: int, offset: int, role: Role | None = None) -> list[User]:
        chosen = sorted(
            (row for row in self._rows.values() if role is None or row.role is role),
            key=lambda row: (row.created_at, row.id.int),
        )
        return [detached(row) for row in chosen[offset : offset + limit]]


class InMemorySessionRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Session] = store.table("sessions")
        self._digests: dict[str, UUID] = store.table("refresh_token_digests")

    async def add(self, session: Session) -> None:
        self._rows[session.id] = detached(session)
        self._digests[session.current_token_digest] = session.id

    async def get(self, session_id: UUID, *, for_update: bool = False) -> Session | None:
        row = self._rows.get(session_id)
        return detached(row) if row else None

    async def list_for_user(self, user_id: UUID) -> list[Session]:
        return sorted(
            (detached(row) for row in self._rows.values() if row.user_id == user_id), key=lambda s: s.created_at
        )

    async def get_by_token_digest(self, digest: str, *, for_update: bool = False) -> Session | None:
        session_id = self._digests.get(digest)
        return await self.get(session_id) if session_id else None

    async def update(self, session: Session) -> None:
        stored = self._rows.get(session.id)
        if stored is None or stored.version != session.version:
            raise SessionChangedConcurrently("The session changed meanwhile; sign in again.")
        session.version += 1
        self._rows[session.id] = detached(session)
        self._digests[session.current_token_digest] = session.id


class InMemorySignedInReader:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: Tables) -> None:
        self._users: dict[UUID, User] = store.table("users")
        self._sessions: dict[UUID, Session] = store.table("sessions")

    async def session(self, session_id: UUID) -> tuple[SessionState, AccountState] | None:
        session = self._sessions.get(session_id)
        account = await self.account(session.user_id) if session else None
        if session is None or account is None:
            return None
        return SessionState(session.id, session.user_id, session.expires_at, session.revoked_at), account

    async def account(self, user_id: UUID) -> AccountState | None:
        user = self._users.get(user_id)
        if user is None:
            return None
        return AccountState(
            user.id, user.email.value, user.role, user.status, user.email_verified, user.created_at,
            user.two_factor_enabled,
        )  # fmt: skip


class InMemoryIdentityReader:
    """Identity's pages on the store as it is (the memory store has no isolation between scopes),
    through the repositories' own reads."""

    def __init__(self, store: Tables) -> None:
        self._users, self._sessions = InMemoryUserRepository(store), InMemorySessionRepository(store)
        self._keys = InMemoryApiKeyRepository(store)

    async def user(self, user_id: UUID) -> User | None:
        return await self._users.get(user_id)

    async def users(self, *, limit: int, offset: int, role: Role | None = None) -> list[User]:
        return await self._users.list(limit=limit, offset=offset, role=role)

    async def sessions_of(self, user_id: UUID) -> list[Session]:
        return await self._sessions.list_for_user(user_id)

    async def api_keys_of(self, owner_id: UUID) -> list[ApiKey]:
        return await self._keys.list_for_owner(owner_id)

    async def api_key_by_digest(self, digest: str) -> ApiKey | None:
        return await self._keys.get_by_digest(digest)
