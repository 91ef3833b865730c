"""Sign out everywhere else: end every session of mine but the one I am using."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.record_events import record_events
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer, Permission
from devforge.application.identity.ports import SessionRepository
from devforge.application.identity.principal import Principal


async def revoke_sessions_except(
    sessions: SessionRepository, outbox: Outbox, *, user_id: UUID, keep: UUID, now: datetime, reason: str
) -> int:
    """Revokes the user's active sessions other than ``keep`` in the caller's unit of work
    (which the caller commits); answers how many ended."""
    ended = 0
    for session in await sessions.list_for_user(user_id):
        if session.id != keep and session.is_active(now):
            session.revoke(now=now, reason=reason)
            await sessions.update(session)
            await record_events(outbox, session)
            ended += 1
    return ended


class RevokeOtherSessionsHandler:
    """The current session stays signed in; every other active one ends at once."""

    def __init__(
        self, uow: UnitOfWork, sessions: SessionRepository, outbox: Outbox, authorizer: Authorizer, clock: Clock
    ) -> None:
        self._uow, self._sessions, self._outbox, self._authorize, self._clock = uow, sessions, outbox, authorizer, clock

    async def __call__(self, principal: Principal) -> int:
        await self._authorize(principal, Permission.SESSIONS_MANAGE_OWN, resource="session")
        ended = await revoke_sessions_except(
            self._sessions,
            self._outbox,
            user_id=principal.user_id,
            keep=principal.session_id,
            now=self._clock.now(),
            reason="revoked_by_user",
        )
        await self._uow.commit()
        return ended
