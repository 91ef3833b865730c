"""Who am I: the caller's own account."""

from __future__ import annotations

from devforge.application.identity.authenticate import Principal
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.signed_in import SignedIn
from devforge.application.identity.views import UserView
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.permissions import IdentityPermission


class GetCurrentUser:
    """The account as ``SignedIn`` holds it (the request's authentication just read it: no
    further I/O when warm)."""

    def __init__(self, signed_in: SignedIn, authorizer: Authorizer) -> None:
        self._signed_in, self._authorize = signed_in, authorizer

    async def __call__(self, principal: Principal) -> UserView:
        await self._authorize(principal, IdentityPermission.USERS_READ_SELF, resource="me")
        account = await self._signed_in.account(principal.user_id)
        if account is None:
            raise SessionInvalid("The session has ended; sign in again.")
        return account.view()
