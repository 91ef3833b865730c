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

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from devforge.application.common.rate_limiter import RouteRateLimiter
from devforge.entrypoints.http.app_container import ContainerOf, Taken
from devforge.entrypoints.http.problems import send_problem
from devforge.entrypoints.http.route_table import RouteTable


@dataclass(frozen=True, slots=True)
class Limit:
    requests: int
    window_seconds: int


def rate_limited(app: ASGIApp, container_of: ContainerOf, routes: RouteTable, limits: dict[str, Limit]) -> ASGIApp:
    limiter = Taken[RouteRateLimiter](RouteRateLimiter)

    async def step(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        group = routes.opt(scope, "rate_limit", "api")
        limit = limits.get(group)
        if limit is None:
            await app(scope, receive, send)
            return
        client = scope.get("client") or ("unknown", 0)
        key, window = f"{group}:{client[0]}", limit.window_seconds
        decision = await (await limiter.of(container_of())).hit(key, limit=limit.requests, window_seconds=window)
        if not decision.allowed:
            retry = str(decision.retry_after_seconds)
            detail = f"Too many requests; retry in {decision.retry_after_seconds} s."
            await send_problem(scope, receive, send, 429, detail, headers={"Retry-After": retry})
            return
        await app(scope, receive, send)

    return step
