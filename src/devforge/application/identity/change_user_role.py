"""Admins: give an account another role."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer, not_found
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.application.identity.signed_in import SignedIn
from devforge.application.identity.views import UserView
from devforge.domain.identity.administration import ensure_not_self_lockout
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role


class ChangeUserRoleHandler:
    """Any role, admin included, but never one's own demotion. The new role applies from the
    account's next request, in every API process (``SignedIn``: the cached account is forgotten
    right after the commit); access tokens carry it from their next refresh."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        outbox: Outbox,
        authorizer: Authorizer,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._users, self._outbox, self._authorize, self._clock = uow, users, outbox, authorizer, clock

    async def __call__(self, principal: Principal, user_id: UUID, role: Role) -> UserView:
        await self._authorize(principal, IdentityPermission.USERS_ADMIN, resource="user")
        user = await self._users.get(user_id, for_update=True)
        if user is None:
            raise not_found("user")
        ensure_not_self_lockout(actor_id=principal.user_id, target_id=user.id, new_role=role)
        user.change_role(role, self._clock.now())
        await self._users.update(user)
        await record_events(self._outbox, user)
        await self._uow.commit()
        await self._signed_in.forget_account(user.id)
        return UserView.of(user)
