"""Sign one of my sessions out (a lost laptop, an old phone)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer, ensure_owner, not_found
from devforge.application.identity.ports import SessionRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.permissions import IdentityPermission


class RevokeMySessionHandler:
    """Someone else's session answers exactly like a missing one, so ids cannot be probed.
    Revoking an ended session changes nothing; revoking the current one signs me out."""

    def __init__(
        self,
        uow: UnitOfWork,
        sessions: SessionRepository,
        outbox: Outbox,
        authorizer: Authorizer,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._sessions, self._outbox, self._authorize, self._clock = uow, sessions, outbox, authorizer, clock

    async def __call__(self, principal: Principal, session_id: UUID) -> None:
        await self._authorize(principal, IdentityPermission.SESSIONS_MANAGE_OWN, resource="session")
        session = await self._sessions.get(session_id, for_update=True)
        if session is None:
            raise not_found("session")
        ensure_owner(principal, session.user_id, resource="session")
        session.revoke(now=self._clock.now(), reason="revoked_by_user")
        await self._sessions.update(session)
        await record_events(self._outbox, session)
        await self._uow.commit()
        await self._signed_in.forget_sessions([session.id])
