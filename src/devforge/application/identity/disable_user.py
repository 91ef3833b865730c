"""Admins: disable an account."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer, not_found
from devforge.application.identity.ports import SessionRepository, UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.application.identity.signed_in import SignedIn
from devforge.application.identity.views import UserView
from devforge.domain.identity.administration import ensure_not_self_lockout
from devforge.domain.identity.permissions import IdentityPermission


class DisableUserHandler:
    """A disabled account cannot sign in, and every one of its sessions is revoked in the same
    transaction, so its tokens stop working at once; its API keys are refused while it stays
    disabled. Never one's own account."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        sessions: SessionRepository,
        outbox: Outbox,
        authorizer: Authorizer,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._users, self._sessions, self._outbox = uow, users, sessions, outbox
        self._authorize, self._clock = authorizer, clock

    async def __call__(self, principal: Principal, user_id: UUID) -> UserView:
        await self._authorize(principal, IdentityPermission.USERS_ADMIN, resource="user")
        user = await self._users.get(user_id, for_update=True)
        if user is None:
            raise not_found("user")
        ensure_not_self_lockout(actor_id=principal.user_id, target_id=user.id)
        now = self._clock.now()
        user.disable(now)
        await self._users.update(user)
        sessions = await self._sessions.list_for_user(user.id)
        for session in sessions:
            if session.revoked_at is None:
                session.revoke(now=now, reason="user_disabled")
                await self._sessions.update(session)
        await record_events(self._outbox, user, *sessions)
        await self._uow.commit()
        await self._signed_in.forget_account(user.id)
        await self._signed_in.forget_sessions(session.id for session in sessions)
        return UserView.of(user)
