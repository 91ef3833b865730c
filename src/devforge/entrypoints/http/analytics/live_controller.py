"""``GET /api/analytics/live``: the live counters as Server-Sent Events (admins and analysts)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from devforge.application.analytics.watch_live_counters import LiveUpdate, WatchLiveCounters
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.entrypoints.http.analytics.schemas import LiveCountsMessage
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems

_DESCRIPTION = (
    "A `text/event-stream`. Event `counts` (data: JSON) when the figures change: `eventsPerMinute` (editor "
    "events taken in the last 60 s, every API process), `eventsToday` (since 00:00 UTC), `editorsActive` "
    "(distinct installs in the last 5 minutes, approximate in production), `downloadsToday` and "
    "`revenueToday` (per currency, minor units: paid orders and renewals less refunds since 00:00 UTC). An "
    "event shows within about a second of being taken. Event `degraded` (data: JSON `detail`) while the "
    "counters cannot be read; `counts` follow by themselves once they can. A comment (`: heartbeat`) every "
    "15 s of quiet. The stream ends after `seconds` (0: one `counts` and the end) or when the process stops; "
    "reconnect (EventSource does). At most 3 streams per caller per process "
    "(`DEVFORGE_ANALYTICS_LIVE_STREAMS_PER_USER`; 429 beyond)."
)
_ENCODER = msgspec.json.Encoder()


class AnalyticsLiveController(Controller):
    path = "/api/analytics"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.READ)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/live",
        summary="Watch the live counters",
        description=_DESCRIPTION,
        responses=problems(400, 401, 403, 429),
    )
    async def live(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        watch: FromDishka[WatchLiveCounters],
        seconds: Annotated[
            int, QueryParameter(ge=0, le=3600, description="End the stream after this many seconds (0 to 3600)")
        ] = 600,
    ) -> ServerSentEvent:
        draining = getattr(request.app.state, "draining", None)
        updates = watch(actor, seconds, stopping=lambda: draining is not None and draining.active)
        return ServerSentEvent(_messages(updates), retry_duration=2000)


async def _messages(updates: AsyncIterator[LiveUpdate]) -> AsyncIterator[ServerSentEventMessage]:
    async for update in updates:
        if update.figures is not None:
            yield ServerSentEventMessage(_ENCODER.encode(LiveCountsMessage.of(update.figures)).decode(), "counts")
        elif update.degraded:
            yield ServerSentEventMessage(_ENCODER.encode({"detail": update.degraded}).decode(), "degraded")
        else:
            yield ServerSentEventMessage(comment="heartbeat")
