"""Identity's plain reads on the common read path (``read_path.py``): what a request needs to
know of its caller, one statement each."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import bindparam, select

from devforge.adapters.persistence.read_path import ReadPath, Row
from devforge.adapters.persistence.tables.identity import sessions, users
from devforge.adapters.persistence.types import as_utc
from devforge.application.identity.signed_in_state import AccountState, SessionState
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus

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
