"""My sessions: where I am signed in, and where I was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import IdentityReader
from devforge.application.identity.principal import Principal
from devforge.domain.identity.permissions import IdentityPermission


@dataclass(frozen=True, slots=True)
class SessionView:
    id: UUID
    device: str
    ip: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool
    active: bool


class ListMySessions:
    """Only the caller's own sessions, newest first; ``current`` marks the one asking. A plain read
    (no unit of work)."""

    def __init__(self, sessions: IdentityReader, authorizer: Authorizer, clock: Clock) -> None:
        self._sessions, self._authorize, self._clock = sessions, authorizer, clock

    async def __call__(self, principal: Principal) -> list[SessionView]:
        await self._authorize(principal, IdentityPermission.SESSIONS_MANAGE_OWN, resource="session")
        now = self._clock.now()
        return [
            SessionView(
                s.id,
                s.device,
                s.ip,
                s.created_at,
                s.last_used_at,
                s.expires_at,
                current=s.id == principal.session_id,
                active=s.is_active(now),
            )
            for s in reversed(await self._sessions.sessions_of(principal.user_id))
        ]
