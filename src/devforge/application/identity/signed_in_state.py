"""What a request needs to know of the caller's session and account, and its cached form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.identity.views import UserView
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus


@dataclass(frozen=True, slots=True)
class SessionState:
    id: UUID
    user_id: UUID
    expires_at: datetime
    revoked_at: datetime | None

    def is_active(self, now: datetime) -> bool:
        """As ``Session.is_active``: not revoked and not expired."""
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class AccountState:
    id: UUID
    email: str
    role: Role
    status: UserStatus
    email_verified: bool
    created_at: datetime
    two_factor_enabled: bool

    def view(self) -> UserView:
        return UserView(
            self.id,
            self.email,
            self.role.value,
            self.status.value,
            self.email_verified,
            self.created_at,
            self.two_factor_enabled,
        )


def session_to_bytes(state: SessionState) -> bytes:
    revoked = state.revoked_at.isoformat() if state.revoked_at else None
    return json.dumps([str(state.id), str(state.user_id), state.expires_at.isoformat(), revoked]).encode()


def session_from_bytes(raw: bytes) -> SessionState:
    id_, user_id, expires_at, revoked_at = json.loads(raw)
    revoked = datetime.fromisoformat(revoked_at) if revoked_at else None
    return SessionState(UUID(id_), UUID(user_id), datetime.fromisoformat(expires_at), revoked)


def account_to_bytes(state: AccountState) -> bytes:
    values = [str(state.id), state.email, state.role.value, state.status.value, state.email_verified]
    values += [state.created_at.isoformat(), state.two_factor_enabled]
    return json.dumps(values).encode()


def account_from_bytes(raw: bytes) -> AccountState:
    id_, email, role, status, verified, created_at, two_factor = json.loads(raw)
    return AccountState(
        UUID(id_), email, Role(role), UserStatus(status), verified, datetime.fromisoformat(created_at), two_factor
    )
