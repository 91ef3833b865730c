"""Trade a refresh token for a new access token and a new refresh token."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAudit
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import AccessTokens, SessionRepository, UserRepository
from devforge.application.identity.publication import record_events
from devforge.application.identity.signed_in import SignedIn
from devforge.application.identity.views import TokenPair
from devforge.domain.identity.errors import RefreshTokenReused, SessionChangedConcurrently, SessionInvalid


@dataclass(frozen=True, slots=True)
class RefreshSession:
    refresh_token: str


class RefreshSessionHandler:
    """Rotation with reuse detection: the presented token must be the session's newest. An older
    one revokes the session, and that revocation is committed before the refusal is answered,
    so both the replayed token and the newest one stop working."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        sessions: SessionRepository,
        outbox: Outbox,
        access_tokens: AccessTokens,
        opaque_tokens: OpaqueTokens,
        clock: Clock,
        audit: AuthAudit,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._users, self._sessions, self._outbox = uow, users, sessions, outbox
        self._access, self._opaque, self._clock, self._audit = access_tokens, opaque_tokens, clock, audit

    async def __call__(self, command: RefreshSession) -> TokenPair:
        now = self._clock.now()
        presented = self._opaque.digest(command.refresh_token)
        session = await self._sessions.get_by_token_digest(presented, for_update=True)
        if session is None:
            raise SessionInvalid("The refresh token is not valid.")
        user = await self._users.get(session.user_id)
        if user is None:
            raise SessionInvalid("The refresh token is not valid.")
        new_token = self._opaque.new()
        try:
            session.rotate(presented_digest=presented, new_digest=self._opaque.digest(new_token), now=now)
            user.ensure_may_log_in()
        except RefreshTokenReused:
            await self._sessions.update(session)
            await record_events(self._outbox, session)
            await self._uow.commit()
            await self._reuse_detected(session.user_id, session.id)
            raise
        try:
            await self._sessions.update(session)
        except SessionChangedConcurrently:
            await self._revoke_for_reuse(presented)
            raise RefreshTokenReused("This refresh token was already used; the session is revoked.") from None
        await self._uow.commit()
        access = self._access.issue(user_id=user.id, session_id=session.id, role=user.role, now=now)
        return TokenPair(access.token, access.expires_at, new_token, session.expires_at, session.id)

    async def _revoke_for_reuse(self, presented_digest: str) -> None:
        """Lost a race with another use of the same token (SQLite has no row locks): that is
        reuse too, so the family is revoked whoever won."""
        await self._uow.rollback()
        session = await self._sessions.get_by_token_digest(presented_digest, for_update=True)
        if session is None:
            return
        session.revoke(now=self._clock.now(), reason="refresh_token_reused")
        await self._sessions.update(session)
        await record_events(self._outbox, session)
        await self._uow.commit()
        await self._reuse_detected(session.user_id, session.id)

    async def _reuse_detected(self, user_id: UUID, session_id: UUID) -> None:
        """Audited after the revocation is committed (the audit log writes on its own)."""
        await self._signed_in.forget_sessions([session_id])
        detail = f"session {session_id} revoked"
        await self._audit(AuditKind.REFRESH, AuditOutcome.REUSE_DETECTED, user_id=user_id, detail=detail)
