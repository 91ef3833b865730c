"""Identity's tables <-> the User and Session aggregates."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import dialect_of
from devforge.adapters.persistence.tables import refresh_token_digests, sessions, users
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import EmailAlreadyRegistered, SessionChangedConcurrently
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User, UserStatus


class SqlaUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        try:
            await self._session.execute(insert(users).values(_user_row(user)))
        except IntegrityError as clash:
            raise EmailAlreadyRegistered("An account with this email already exists.", field="email") from clash

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        query = select(users).where(users.c.id == user_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return user_of(row) if row else None

    async def get_by_email(self, email: EmailAddress) -> User | None:
        row = (await self._session.execute(select(users).where(users.c.email == email.value))).mappings().first()
        return user_of(row) if row else None

    async def update(self, user: User) -> None:
        await self._session.execute(update(users).where(users.c.id == user.id).values(_user_row(user)))

    async def replace_password_hash(self, user_id: UUID, new_hash: str) -> None:
        await self._session.execute(update(users).where(users.c.id == user_id).values(password_hash=new_hash))

    async def list(self, *, limit: int, offset: int, role: Role | None = None) -> list[User]:
        query = select(users).order_by(users.c.created_at, users.c.id).limit(limit).offset(offset)
        if role is not None:
            query = query.where(users.c.role == role.value)
        return [user_of(row) for row in (await self._session.execute(query)).mappings()]


class SqlaSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: Session) -> None:
        await self._session.execute(insert(sessions).values(_session_row(session)))
        await self._remember_digest(session)

    async def get(self, session_id: UUID, *, for_update: bool = False) -> Session | None:
        query = select(sessions).where(sessions.c.id == session_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return session_of(row) if row else None

    async def list_for_user(self, user_id: UUID) -> list[Session]:
        query = select(sessions).where(sessions.c.user_id == user_id).order_by(sessions.c.created_at)
        return [session_of(row) for row in (await self._session.execute(query)).mappings()]

    async def get_by_token_digest(self, digest: str, *, for_update: bool = False) -> Session | None:
        query = select(sessions).join(refresh_token_digests).where(refresh_token_digests.c.digest == digest)
        if for_update:
            query = query.with_for_update(of=sessions)
        row = (await self._session.execute(query)).mappings().first()
        return session_of(row) if row else None

    async def update(self, session: Session) -> None:
        """Optimistic check on ``version`` on top of the row lock: SQLite has no FOR UPDATE."""
        values = _session_row(session) | {"version": session.version + 1}
        result = await self._session.execute(
            update(sessions).where(sessions.c.id == session.id, sessions.c.version == session.version).values(values)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise SessionChangedConcurrently("The session changed meanwhile; sign in again.")
        session.version += 1
        await self._remember_digest(session)

    async def _remember_digest(self, session: Session) -> None:
        dialect_insert = postgresql.insert if dialect_of(self._session) == "postgresql" else sqlite.insert
        await self._session.execute(
            dialect_insert(refresh_token_digests)
            .values(digest=session.current_token_digest, session_id=session.id)
            .on_conflict_do_nothing(index_elements=["digest"])
        )


def _user_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email.value,
        "password_hash": user.password_hash,
        "role": user.role.value,
        "status": user.status.value,
        "email_verified": user.email_verified,
        "two_factor_enabled": user.two_factor_enabled,
        "password_changed_at": user.password_changed_at,
        "created_at": user.created_at,
    }


def user_of(row: Any) -> User:
    return User(
        id=row["id"],
        email=EmailAddress(row["email"]),
        password_hash=row["password_hash"],
        role=Role(row["role"]),
        created_at=row["created_at"],
        status=UserStatus(row["status"]),
        email_verified=row["email_verified"],
        two_factor_enabled=row["two_factor_enabled"],
        password_changed_at=row["password_changed_at"],
    )


def _session_row(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "user_id": s.user_id,
        "current_token_digest": s.current_token_digest,
        "created_at": s.created_at,
        "expires_at": s.expires_at,
        "last_used_at": s.last_used_at,
        "ip": s.ip,
        "device": s.device,
        "revoked_at": s.revoked_at,
        "revoke_reason": s.revoke_reason,
        "version": s.version,
    }


def session_of(row: Any) -> Session:
    return Session(**{column: row[column] for column in _SESSION_COLUMNS})


_SESSION_COLUMNS = tuple(c.name for c in sessions.columns)
