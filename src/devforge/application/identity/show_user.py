"""Admins: one account."""

from __future__ import annotations

from uuid import UUID

from devforge.application.identity.permissions import Authorizer, not_found
from devforge.application.identity.ports import IdentityReader
from devforge.application.identity.principal import Principal
from devforge.application.identity.views import UserView
from devforge.domain.identity.permissions import IdentityPermission


class ShowUser:
    """A plain read (no unit of work)."""

    def __init__(self, users: IdentityReader, authorizer: Authorizer) -> None:
        self._users, self._authorize = users, authorizer

    async def __call__(self, principal: Principal, user_id: UUID) -> UserView:
        await self._authorize(principal, IdentityPermission.USERS_ADMIN, resource="user")
        user = await self._users.user(user_id)
        if user is None:
            raise not_found("user")
        return UserView.of(user)
