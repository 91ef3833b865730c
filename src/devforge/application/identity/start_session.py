"""Start a session for a user who proved who they are (password, and second factor if on)."""

from __future__ import annotations

from uuid import uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import AccessTokens, SessionRepository
from devforge.application.identity.publication import record_events
from devforge.application.identity.session_policy import SessionPolicy
from devforge.application.identity.views import TokenPair
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User


class StartSession:
    """Every sign-in path ends here, so a session is started one way: a new refresh-token family
    (its token stored as a digest), ``SessionStarted`` in the outbox, one commit (which also
    keeps whatever the caller changed in the same unit of work), then a short-lived access token."""

    def __init__(
        self,
        uow: UnitOfWork,
        sessions: SessionRepository,
        outbox: Outbox,
        access_tokens: AccessTokens,
        opaque_tokens: OpaqueTokens,
        policy: SessionPolicy,
        clock: Clock,
    ) -> None:
        self._uow, self._sessions, self._outbox = uow, sessions, outbox
        self._access, self._opaque, self._policy, self._clock = access_tokens, opaque_tokens, policy, clock

    async def __call__(self, user: User, *, ip: str, device: str) -> TokenPair:
        user.ensure_may_log_in()
        now = self._clock.now()
        refresh_token = self._opaque.new()
        session = Session.start(
            session_id=uuid4(),
            user_id=user.id,
            token_digest=self._opaque.digest(refresh_token),
            now=now,
            lifetime=self._policy.lifetime,
            ip=ip,
            device=device,
        )
        await self._sessions.add(session)
        await record_events(self._outbox, session)
        await self._uow.commit()
        access = self._access.issue(user_id=user.id, session_id=session.id, role=user.role, now=now)
        return TokenPair(access.token, access.expires_at, refresh_token, session.expires_at, session.id)
