"""Ask for a password-reset link by email address."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.rate_limiter import RateLimiter
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.publication import record_events
from devforge.domain.identity.email import EmailAddress

MAILS_PER_HOUR = 3


@dataclass(frozen=True, slots=True)
class RequestPasswordReset:
    email: str


class RequestPasswordResetHandler:
    """Answers nothing, whether or not the account exists, and does the same work either way:
    the lookup, an HMAC digest (of the account id, or of the unknown address), a per-account
    limit hit and a commit. Only an existing, enabled account within its limit of
    ``MAILS_PER_HOUR`` reset mails an hour gets a ``PasswordResetRequested`` event, which carries
    no token: the mail consumer mints it. A malformed address is refused (that reveals nothing
    about accounts)."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        outbox: Outbox,
        opaque_tokens: OpaqueTokens,
        limiter: RateLimiter,
        clock: Clock,
    ) -> None:
        self._uow, self._users, self._outbox, self._opaque = uow, users, outbox, opaque_tokens
        self._limiter, self._clock = limiter, clock

    async def __call__(self, command: RequestPasswordReset) -> None:
        email = EmailAddress.parse(command.email)
        user = await self._users.get_by_email(email)
        # Limits are keyed by digests, so the limiter never holds an address typed by a stranger.
        account_key = self._opaque.digest(str(user.id) if user else f"unknown:{email.value}")
        decision = await self._limiter.hit(
            f"password-reset-mail:{account_key}", limit=MAILS_PER_HOUR, window_seconds=3600
        )
        if user is not None and decision.allowed:
            user.request_password_reset(self._clock.now())
        await record_events(self._outbox, user)
        await self._uow.commit()
