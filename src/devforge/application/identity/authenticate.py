"""Turn a bearer access token into the caller's identity."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.identity.ports import AccessTokens, SessionRepository
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.roles import Role


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: UUID
    session_id: UUID
    role: Role


class Authenticate:
    """A token is honoured only while its session is active: signing out or revoking a session
    ends its access tokens at once, not when they expire."""

    def __init__(self, access_tokens: AccessTokens, sessions: SessionRepository, clock: Clock) -> None:
        self._access, self._sessions, self._clock = access_tokens, sessions, clock

    async def __call__(self, token: str) -> Principal:
        now = self._clock.now()
        claims = self._access.verify(token, now=now)
        session = await self._sessions.get(claims.session_id)
        if session is None or session.user_id != claims.user_id or not session.is_active(now):
            raise SessionInvalid("The session has ended; sign in again.")
        return Principal(claims.user_id, claims.session_id, claims.role)
