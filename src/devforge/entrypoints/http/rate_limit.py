"""Per-route-group rate limits, keyed by client address, through the RateLimiter port.

A route names its group in ``opt={"rate_limit": "auth"}``; routes without one are in "api";
the group "none" (health probes) is never limited, so load balancers are never throttled.
The limiter is the ``RouteRateLimiter``: it never fails a request for a Redis outage (it counts
in the process meanwhile). A refusal is a 429 problem+json with ``Retry-After``, answered through
the app's error handlers, so it carries the request id like every other answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, Scope, Send

from devforge.application.common.rate_limiter import RateDecision, RouteRateLimiter
from devforge.entrypoints.http.app_container import Taken

ALREADY_COUNTED = "devforge.rate_limit_decision"
"""Scope key under which a layer in front (the validation fast path) leaves the decision of the
hit it already made for this request, so it is not counted twice."""


@dataclass(frozen=True, slots=True)
class Limit:
    requests: int
    window_seconds: int


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: dict[str, Limit]) -> None:
        self._app, self._limits = app, limits
        self._limiter = Taken[RouteRateLimiter](RouteRateLimiter)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        limit = self._limits.get(handler.opt.get("rate_limit", "api") if handler else "api")
        if scope["type"] != ScopeType.HTTP or limit is None:
            await self._app(scope, receive, send)
            return
        group = handler.opt.get("rate_limit", "api") if handler else "api"
        client = scope.get("client") or ("unknown", 0)
        counted: RateDecision | None = scope.get(ALREADY_COUNTED)  # type: ignore[assignment]
        decision = counted or await (await self._limiter.of(scope["app"].state.dishka_container)).hit(
            f"{group}:{client[0]}", limit=limit.requests, window_seconds=limit.window_seconds
        )
        if not decision.allowed:
            raise HTTPException(
                status_code=429,
                detail=f"Too many requests; retry in {decision.retry_after_seconds} s.",
                headers={"Retry-After": str(decision.retry_after_seconds)},
            )
        await self._app(scope, receive, send)
