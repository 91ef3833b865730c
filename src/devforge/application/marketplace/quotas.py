"""Quotas per account: publishers registered per day, extensions created per day, versions
uploaded per hour. Past one, the attempt is refused for now (``TooManyAttempts``: 429 with
``Retry-After``). Every attempt counts, a refused name too, so probing names is bounded as well.
Administrators are not held to them."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.actor import Actor
from devforge.application.common.rate_limiter import RateLimiter
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.errors import TooManyAttempts

DAY, HOUR = 86_400, 3_600


@dataclass(frozen=True, slots=True)
class PublishingQuotas:
    publishers_per_day: int = 5
    extensions_per_day: int = 30
    versions_per_hour: int = 30


class QuotaGate:
    def __init__(self, limiter: RateLimiter, quotas: PublishingQuotas) -> None:
        self._limiter, self.quotas = limiter, quotas

    async def spend(self, actor: Actor, what: str, limit: int, window_seconds: int) -> None:
        if actor.may(MarketplacePermission.EXTENSIONS_REVIEW):
            return
        decision = await self._limiter.hit(
            f"marketplace-quota:{what}:{actor.user_id}", limit=limit, window_seconds=window_seconds
        )
        if not decision.allowed:
            period = "day" if window_seconds == DAY else "hour"
            raise TooManyAttempts(
                f"At most {limit} {what} per {period} for one account; try again later.",
                retry_after_seconds=decision.retry_after_seconds,
            )
