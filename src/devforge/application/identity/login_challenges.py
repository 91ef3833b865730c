"""The login challenge: proof that the password was right, waiting for the second factor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.common.cache import Cache
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.domain.identity.errors import TwoFactorChallengeInvalid

CHALLENGE_LIFETIME = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class TwoFactorChallenge:
    challenge_token: str
    expires_at: datetime


class LoginChallenges:
    """A challenge is 256 random bits, valid 5 minutes, kept in the cache under its digest only.
    A wrong code leaves it usable (typos happen; guesses are throttled per account), but it
    becomes a session at most once. Losing the cache only means signing in again."""

    def __init__(self, cache: Cache, opaque_tokens: OpaqueTokens) -> None:
        self._cache, self._opaque = cache, opaque_tokens

    async def issue(self, user_id: UUID, now: datetime) -> TwoFactorChallenge:
        token = self._opaque.new()
        expires_at = now + CHALLENGE_LIFETIME
        value = json.dumps({"user_id": str(user_id), "expires_at": expires_at.isoformat()}).encode()
        await self._cache.set(self._key(token), value, int(CHALLENGE_LIFETIME.total_seconds()))
        return TwoFactorChallenge(token, expires_at)

    async def holder(self, token: str, now: datetime) -> UUID:
        """Whose password this challenge proves; refused when unknown, expired or spent."""
        raw = await self._cache.get(self._key(token))
        if raw is None:
            raise _invalid()
        stored = json.loads(raw)
        if datetime.fromisoformat(stored["expires_at"]) <= now:
            raise _invalid()
        return UUID(stored["user_id"])

    async def spend(self, token: str) -> None:
        """The one-time claim: of two racing redemptions, only the first passes."""
        key = self._key(token)
        if not await self._cache.add(f"{key}:spent", b"1", int(CHALLENGE_LIFETIME.total_seconds())):
            raise _invalid()
        await self._cache.delete(key)

    def _key(self, token: str) -> str:
        return f"login-challenge:{self._opaque.digest(token)}"


def _invalid() -> TwoFactorChallengeInvalid:
    return TwoFactorChallengeInvalid("The sign-in challenge is not valid or has expired; sign in again.")
