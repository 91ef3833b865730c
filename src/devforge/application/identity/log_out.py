"""Sign out: end the caller's session."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAudit
from devforge.application.identity.authenticate import Principal
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import SessionRepository
from devforge.application.identity.publication import record_events
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.permissions import IdentityPermission


class LogOutHandler:
    """Revokes the session the caller's token belongs to: its refresh token and every access
    token issued for it stop working. Signing out twice is not an error."""

    def __init__(
        self,
        uow: UnitOfWork,
        sessions: SessionRepository,
        outbox: Outbox,
        clock: Clock,
        authorizer: Authorizer,
        audit: AuthAudit,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._sessions, self._outbox, self._clock = uow, sessions, outbox, clock
        self._authorize, self._audit = authorizer, audit

    async def __call__(self, principal: Principal) -> None:
        await self._authorize(principal, IdentityPermission.SESSIONS_MANAGE_OWN, resource="session")
        session = await self._sessions.get(principal.session_id, for_update=True)
        if session is None:
            return
        session.revoke(now=self._clock.now(), reason="logout")
        await self._sessions.update(session)
        await record_events(self._outbox, session)
        await self._uow.commit()
        await self._signed_in.forget_sessions([session.id])
        await self._audit(
            AuditKind.LOGOUT, AuditOutcome.SUCCESS, user_id=principal.user_id, detail=f"session {session.id}"
        )
