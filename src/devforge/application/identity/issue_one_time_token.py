"""Mint the secret for a verification or reset link, inside a mail consumer's transaction."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from devforge.application.common.clock import Clock
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import OneTimeTokenRepository, UserRepository
from devforge.domain.identity.errors import TokenInvalid
from devforge.domain.identity.one_time_token import OneTimeToken, TokenPurpose
from devforge.domain.identity.user import User


class IssueOneTimeToken:
    """Only mail consumers mint tokens, in the transaction that marks their delivery done: the
    raw secret goes into the mail and nowhere else (the row keeps its HMAC digest, the outbox
    event that asked for the mail carries no token). A failed send rolls the row back, and the
    delivery ledger runs the consumer once per event, so a redelivered event mints nothing twice.
    Every live token of the same purpose is superseded: only the newest link works. The caller
    holds the account's row lock, so links for one account are minted one after the other."""

    def __init__(self, tokens: OneTimeTokenRepository, opaque_tokens: OpaqueTokens, clock: Clock) -> None:
        self._tokens, self._opaque, self._clock = tokens, opaque_tokens, clock

    async def __call__(self, *, user_id: UUID, purpose: TokenPurpose, issued_at: datetime | None = None) -> str:
        """``issued_at`` defaults to now. A reset link passes the moment it was asked for (the
        event's time), so a mail delayed by an outage does not stretch its hour, and a password
        changed since the request already kills it."""
        now = self._clock.now()
        issued_at = issued_at or now
        for older in await self._tokens.list_live_for_user(user_id, purpose, now):
            older.supersede(now)
            await self._tokens.update(older)
        raw = self._opaque.new()
        token = OneTimeToken.issue(
            token_id=uuid4(), user_id=user_id, purpose=purpose, digest=self._opaque.digest(raw), issued_at=issued_at
        )
        await self._tokens.add(token)
        return raw


async def locked_token_and_user(
    tokens: OneTimeTokenRepository, users: UserRepository, digest: str
) -> tuple[OneTimeToken, User]:
    """The token with that digest and its account, the account locked first (the order mail
    consumers lock in, so a click racing a new link waits instead of deadlocking) and the token
    read again under that lock. ``TokenInvalid`` when either is missing."""
    found = await tokens.get_by_digest(digest)
    user = await users.get(found.user_id, for_update=True) if found else None
    token = await tokens.get_by_digest(digest, for_update=True) if user else None
    if token is None or user is None:
        raise TokenInvalid("This link is not valid.", field="token")
    return token, user
