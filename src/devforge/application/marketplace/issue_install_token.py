"""An editor installation asks once for its install token: downloads that carry it count for the
installation, once per (install, version, day), instead of for the caller's address.

Tokens are issued, not chosen: an id the caller makes up (a header, a User-Agent) counts for
nothing, and ``InstallTokens`` recognises only what this server signed. Each address gets at most
``per_day`` tokens in a day (429 with ``Retry-After`` beyond), so one address can add at most that
many counts per version and day by minting installs.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.rate_limiter import RouteRateLimiter
from devforge.application.marketplace.ports import InstallTokens
from devforge.domain.shared.errors import TooManyAttempts

DAY_SECONDS = 86_400


@dataclass(frozen=True)
class IssuedInstall:
    install_id: UUID
    token: str


@dataclass(frozen=True)
class InstallTokenLimit:
    limiter: RouteRateLimiter
    per_day: int = 5


class IssueInstallToken:
    def __init__(self, tokens: InstallTokens, limit: InstallTokenLimit, clock: Clock) -> None:
        self._tokens, self._limit, self._clock = tokens, limit, clock

    async def __call__(self, address: str) -> IssuedInstall:
        """``address``: a digest of the caller's address (the HTTP route always names one)."""
        per_day = self._limit.per_day
        decision = await self._limit.limiter.hit(
            f"marketplace-installs:{address}", limit=per_day, window_seconds=DAY_SECONDS
        )
        if not decision.allowed:
            raise TooManyAttempts(
                f"At most {per_day} install tokens a day from one address; keep the one you have.",
                retry_after_seconds=decision.retry_after_seconds,
            )
        install_id = uuid4()
        return IssuedInstall(install_id, self._tokens.issue(install_id, self._clock.now()))
