"""Per-route-group rate limits, keyed by client address, through the RateLimiter port.

A route names its group in ``opt={"rate_limit": "auth"}``; routes without one (and paths that
match no route) are in "api"; the group "none" (health probes) is never limited, so load
balancers are never throttled. The limiter is the ``RouteRateLimiter``: leased in production (one
Redis round trip serves a whole burst of a group's hits, see ``RedisLeasedRateLimiter``), and it
never fails a request for a Redis outage (it counts in the process meanwhile). A refusal is a 429
problem+json with ``Retry-After``. A step of the one pipeline (``pipeline.py``): every request
counts once, whichever endpoint answers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request
from litestar.types import ASGIApp, Scope

from devforge.application.common.rate_limiter import RouteRateLimiter
from devforge.entrypoints.http.app_container import ContainerOf, Taken
from devforge.entrypoints.http.problems import problem
from devforge.entrypoints.http.steps import Check, Route


@dataclass(frozen=True, slots=True)
class Limit:
    requests: int
    window_seconds: int


class RateLimit(Check):
    """The step of the pipeline (``pipeline.py``): a route's group and its limit are looked up
    once per route; a route of no limited group (health probes) skips the step."""

    awaits = True

    def __init__(self, container_of: ContainerOf, limits: dict[str, Limit]) -> None:
        self._container_of, self._limits = container_of, limits
        self._limiter = Taken[RouteRateLimiter](RouteRateLimiter)

    def for_route(self, method: str, route: Route) -> _Group | None:
        name = "api" if route is None else route.opt.get("rate_limit", "api")
        limit = self._limits.get(name)
        return None if limit is None else _Group(f"{name}:", limit.requests, limit.window_seconds)

    async def refusal(self, scope: Scope, group: _Group) -> ASGIApp | None:
        client = scope.get("client") or ("unknown", 0)
        limiter = await self._limiter.of(self._container_of())
        key = group.prefix + client[0]
        decision = await limiter.hit(key, limit=group.requests, window_seconds=group.window_seconds)
        if decision.allowed:
            return None
        detail = f"Too many requests; retry in {decision.retry_after_seconds} s."
        answer = problem(429, detail, headers={"Retry-After": str(decision.retry_after_seconds)})
        return answer.to_asgi_response(app=None, request=Request(scope))


@dataclass(frozen=True, slots=True)
class _Group:
    prefix: str
    requests: int
    window_seconds: int
