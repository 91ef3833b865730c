"""Verify an email address with the token from the verification mail."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.issue_one_time_token import locked_token_and_user
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import OneTimeTokenRepository, UserRepository
from devforge.application.identity.publication import record_events
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.one_time_token import TokenPurpose


@dataclass(frozen=True, slots=True)
class VerifyEmail:
    token: str


class VerifyEmailHandler:
    """Anyone holding a live verification token may use it, once, without signing in: having the
    mail proves the address. The token is looked up by its digest with its account locked, so
    two clicks racing each other verify once and the second is told the link was used."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: OneTimeTokenRepository,
        outbox: Outbox,
        opaque_tokens: OpaqueTokens,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._users, self._tokens, self._outbox = uow, users, tokens, outbox
        self._opaque, self._clock = opaque_tokens, clock

    async def __call__(self, command: VerifyEmail) -> None:
        now = self._clock.now()
        token, user = await locked_token_and_user(self._tokens, self._users, self._opaque.digest(command.token))
        token.redeem(purpose=TokenPurpose.VERIFY_EMAIL, now=now)
        await self._tokens.update(token)
        user.verify_email(now)
        await self._users.update(user)
        await record_events(self._outbox, user)
        await self._uow.commit()
        await self._signed_in.forget_account(user.id)
