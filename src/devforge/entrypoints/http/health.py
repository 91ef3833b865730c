"""Liveness (the process answers) and readiness (its dependencies answer too)."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, get

from devforge.application.common.health import HealthProbes


class HealthStatus(msgspec.Struct):
    status: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)


class HealthController(Controller):
    path = "/health"
    tags = ["health"]
    opt = {"rate_limit": "none"}

    @get("/live", summary="Liveness: the process is up")
    async def live(self) -> HealthStatus:
        return HealthStatus("ok")

    @get(
        "/ready",
        summary="Readiness: the database (and Redis in production) answer",
        description=(
            "200 when every dependency answers within 2 s, else 503 with the failing ones; 503 "
            '"draining" from the moment the process is told to stop (SIGTERM) until it closes.'
        ),
    )
    async def ready(self, request: Request[Any, Any, Any], probes: FromDishka[HealthProbes]) -> Response[HealthStatus]:
        draining = getattr(request.app.state, "draining", None)
        if draining is not None and draining.active:
            return Response(HealthStatus("draining"), status_code=503)
        checks: dict[str, str] = {}
        for probe in probes:
            try:
                await asyncio.wait_for(probe.check(), timeout=2)
                checks[probe.name] = "ok"
            except Exception as error:
                checks[probe.name] = f"failing: {type(error).__name__}"
        ok = all(value == "ok" for value in checks.values())
        return Response(HealthStatus("ok" if ok else "unavailable", checks), status_code=200 if ok else 503)
