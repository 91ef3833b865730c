"""Ask for a new email-verification link."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.rate_limiter import RateLimiter
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.shared.errors import TooManyAttempts

MAILS_PER_HOUR = 3


class ResendVerificationHandler:
    """For the signed-in owner of an unverified address (``users:manage_self``; a verified
    address is a ``Conflict``). The link is minted and mailed from the queue; the newest link
    supersedes older ones. At most ``MAILS_PER_HOUR`` links go to one account in an hour
    (``TooManyAttempts`` beyond), so a runaway client cannot flood the mailbox."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        outbox: Outbox,
        limiter: RateLimiter,
        authorizer: Authorizer,
        clock: Clock,
    ) -> None:
        self._uow, self._users, self._outbox, self._limiter = uow, users, outbox, limiter
        self._authorize, self._clock = authorizer, clock

    async def __call__(self, principal: Principal) -> None:
        await self._authorize(principal, IdentityPermission.USERS_MANAGE_SELF, resource="email_verification")
        user = await self._users.get(principal.user_id)
        if user is None:
            raise SessionInvalid("The session has ended; sign in again.")
        user.request_email_verification(self._clock.now())
        decision = await self._limiter.hit(f"verification-mail:{user.id}", limit=MAILS_PER_HOUR, window_seconds=3600)
        if not decision.allowed:
            raise TooManyAttempts(
                "Too many verification mails were sent; try again later.",
                retry_after_seconds=decision.retry_after_seconds,
            )
        await record_events(self._outbox, user)
        await self._uow.commit()
