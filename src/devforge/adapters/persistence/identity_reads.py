"""Identity's plain reads on the common read path (``read_path.py``): what a request needs to
know of its caller, and identity's pages, one statement each."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, select

from devforge.adapters.persistence.api_keys import api_key_of
from devforge.adapters.persistence.identity import session_of, user_of
from devforge.adapters.persistence.read_path import ReadPath, Row
from devforge.adapters.persistence.tables import api_keys
from devforge.adapters.persistence.tables.identity import sessions, users
from devforge.adapters.persistence.types import as_utc
from devforge.application.identity.signed_in_state import AccountState, SessionState
from devforge.domain.identity.api_key import ApiKey
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User, UserStatus

_ACCOUNT_COLUMNS = (
    users.c.id,
    users.c.email,
    users.c.role,
    users.c.status,
    users.c.email_verified,
    users.c.created_at,
    users.c.two_factor_enabled,
)
_SESSION = select(
    sessions.c.user_id.label("s_user_id"),
    sessions.c.expires_at.label("s_expires_at"),
    sessions.c.revoked_at.label("s_revoked_at"),
    *_ACCOUNT_COLUMNS,
).select_from(sessions.join(users, users.c.id == sessions.c.user_id))
_BY_SESSION = _SESSION.where(sessions.c.id == bindparam("session_id"))
_BY_USER = select(*_ACCOUNT_COLUMNS).where(users.c.id == bindparam("user_id"))


class SqlaSignedInReader:
    def __init__(self, reads: ReadPath) -> None:
        self._by_session, self._by_user = reads.prepare(_BY_SESSION), reads.prepare(_BY_USER)

    async def session(self, session_id: UUID) -> tuple[SessionState, AccountState] | None:
        row = await self._by_session.row(session_id=session_id)
        if row is None:
            return None
        revoked = row["s_revoked_at"]
        state = SessionState(
            session_id, row["s_user_id"], as_utc(row["s_expires_at"]), as_utc(revoked) if revoked else None
        )
        return state, _account(row)

    async def account(self, user_id: UUID) -> AccountState | None:
        row = await self._by_user.row(user_id=user_id)
        return None if row is None else _account(row)


def _account(row: Row) -> AccountState:
    return AccountState(
        id=row["id"],
        email=row["email"],
        role=Role(row["role"]),
        status=UserStatus(row["status"]),
        email_verified=bool(row["email_verified"]),
        created_at=as_utc(row["created_at"]),
        two_factor_enabled=bool(row["two_factor_enabled"]),
    )


_USER = select(users).where(users.c.id == bindparam("user_id"))
_SESSIONS = select(sessions).where(sessions.c.user_id == bindparam("user_id")).order_by(sessions.c.created_at)
_KEYS = (
    select(api_keys)
    .where(api_keys.c.owner_id == bindparam("owner_id"))
    .order_by(api_keys.c.created_at.desc(), api_keys.c.id.desc())
)
_KEY_BY_DIGEST = select(api_keys).where(api_keys.c.digest == bindparam("digest"))


def _users_page(*, by_role: bool) -> Select[Any]:
    query = select(users).order_by(users.c.created_at, users.c.id).limit(bindparam("limit")).offset(bindparam("offset"))
    return query.where(users.c.role == bindparam("role")) if by_role else query


class SqlaIdentityReader:
    """Identity's pages and API-key sign-in on the common read path, with the repositories' own
    mapping functions (they take asyncpg's values as they come)."""

    def __init__(self, reads: ReadPath) -> None:
        self._user, self._sessions = reads.prepare(_USER), reads.prepare(_SESSIONS)
        self._keys, self._key_by_digest = reads.prepare(_KEYS), reads.prepare(_KEY_BY_DIGEST)
        self._pages = {by_role: reads.prepare(_users_page(by_role=by_role)) for by_role in (False, True)}

    async def user(self, user_id: UUID) -> User | None:
        row = await self._user.row(user_id=user_id)
        return None if row is None else user_of(row)

    async def users(self, *, limit: int, offset: int, role: Role | None = None) -> list[User]:
        params: dict[str, Any] = {"limit": limit, "offset": offset} | ({"role": role.value} if role else {})
        return [user_of(row) for row in await self._pages[role is not None].rows(**params)]

    async def sessions_of(self, user_id: UUID) -> list[Session]:
        return [session_of(row) for row in await self._sessions.rows(user_id=user_id)]

    async def api_keys_of(self, owner_id: UUID) -> list[ApiKey]:
        return [api_key_of(row) for row in await self._keys.rows(owner_id=owner_id)]

    async def api_key_by_digest(self, digest: str) -> ApiKey | None:
        row = await self._key_by_digest.row(digest=digest)
        return None if row is None else api_key_of(row)
