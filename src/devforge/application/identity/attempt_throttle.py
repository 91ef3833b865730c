"""Per-account throttling of password and second-factor guesses."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from devforge.application.common.rate_limiter import RateLimiter
from devforge.domain.shared.errors import TooManyAttempts


@dataclass(frozen=True, slots=True)
class AttemptLimit:
    """At most ``failures`` failed attempts per key in any ``window_seconds``; for sign-in the
    key is (account, client address). ``account_failures`` in any ``account_window_seconds`` is
    the ceiling for one account across every address."""

    failures: int = 5
    window_seconds: int = 300
    account_failures: int = 100
    account_window_seconds: int = 3600


class AttemptThrottle:
    """Counts failures only, so an owner who types the right password is never charged. Once a
    key's window is full, every attempt under it (the right password too, so the answer is no
    oracle) is refused with a retry delay until the oldest failure leaves the window: slowed,
    never locked for good. Keys are digests, so unknown and known emails are throttled alike.
    ``ceiling=True`` uses the per-account ceiling instead of the per-key limit."""

    def __init__(self, limiter: RateLimiter, limit: AttemptLimit) -> None:
        self._limiter, self._limit = limiter, limit

    async def ensure_allowed(self, key: str, *, ceiling: bool = False) -> None:
        decision = await self._limiter.peek(key, **self._window(ceiling))
        if not decision.allowed:
            raise TooManyAttempts(
                f"Too many failed attempts; retry in {decision.retry_after_seconds} s.",
                retry_after_seconds=decision.retry_after_seconds,
            )

    async def failed(self, key: str, *, ceiling: bool = False) -> None:
        await self._limiter.hit(key, **self._window(ceiling))

    def _window(self, ceiling: bool) -> dict[str, int]:
        if ceiling:
            return {"limit": self._limit.account_failures, "window_seconds": self._limit.account_window_seconds}
        return {"limit": self._limit.failures, "window_seconds": self._limit.window_seconds}


def address_key(ip: str) -> str:
    """One client for throttling: an IPv4 address, or an IPv6 /64 (one host's usual share)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
