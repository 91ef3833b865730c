"""Who am I: the caller's own account."""

from __future__ import annotations

from devforge.application.identity.authenticate import Principal
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.views import UserView
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.permissions import IdentityPermission


class GetCurrentUser:
    def __init__(self, users: UserRepository, authorizer: Authorizer) -> None:
        self._users, self._authorize = users, authorizer

    async def __call__(self, principal: Principal) -> UserView:
        await self._authorize(principal, IdentityPermission.USERS_READ_SELF, resource="me")
        user = await self._users.get(principal.user_id)
        if user is None:
            raise SessionInvalid("The session has ended; sign in again.")
        return UserView.of(user)
