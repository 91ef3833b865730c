"""``GET /api/analytics/live``: the live counters as Server-Sent Events, for analytics readers only,
at most a few streams per caller, saying so when the counters are away, and ending as the process
starts draining (a SIGTERM's drain never waits on an open stream)."""

from __future__ import annotations

import json
from datetime import datetime

from dishka import Provider, Scope

from devforge.application.analytics.live_view import LiveView
from devforge.application.analytics.ports import LiveCounters
from devforge.application.analytics.publish_live_counts import PublishLiveCounts
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.domain.analytics.live import LiveFigures, LiveTally
from devforge.domain.identity.roles import Role
from tests.access_world import session_actor
from tests.integration.http.analytics_steps import an_event, ingestion_key, sending
from tests.integration.http.conftest import build_client

LIVE = "/api/analytics/live"


def messages(stream: str) -> list[tuple[str, dict[str, object] | str]]:
    """``(event, data)`` of each message; a comment is ``("", comment)``."""
    out: list[tuple[str, dict[str, object] | str]] = []
    for block in stream.strip().split("\r\n\r\n"):
        fields = dict(line.split(": ", 1) if ": " in line else (line, "") for line in block.splitlines())
        if "event" in fields:
            out.append((fields["event"], json.loads(fields["data"])))
        elif "" in fields:
            out.append(("", fields[""]))
    return out


async def test_an_analyst_sees_what_was_taken_within_a_publish() -> None:
    client, container, _ = build_client()
    async with client:
        key = await ingestion_key(container)
        batch = [an_event(who="install-1"), an_event(who="install-2"), an_event(who="install-1")]
        answer = await client.post("/api/analytics/events", json={"batch": batch}, headers=sending(key.secret))
        assert answer.json()["accepted"] == 3
        await (await container.get(PublishLiveCounts))()  # the API job, four times a second
        analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
        stream = await client.get(LIVE, params={"seconds": 0}, headers={"Authorization": f"Bearer {analyst.token}"})
        assert stream.status_code == 200, stream.text
        assert stream.headers["content-type"].startswith("text/event-stream")
        [(event, data)] = [each for each in messages(stream.text) if each[0]]
        assert event == "counts"
        assert isinstance(data, dict)
        counts = (data["eventsPerMinute"], data["eventsToday"], data["editorsActive"], data["downloadsToday"])
        assert counts == (3, 3, 2, 0)
        assert data["revenueToday"] == {}


class CountersAway:
    async def add(self, tally: LiveTally) -> None:
        raise ServiceUnavailable("Redis")

    async def read(self, now: datetime) -> LiveFigures:
        raise ServiceUnavailable("Redis")


async def test_while_the_counters_are_away_the_stream_says_so() -> None:
    away = Provider(scope=Scope.APP)
    away.provide(CountersAway, provides=LiveCounters)
    client, container, _ = build_client(away)
    async with client:
        admin = await session_actor(container, "admin", Role.ADMIN, two_factor=True)
        stream = await client.get(LIVE, params={"seconds": 0}, headers={"Authorization": f"Bearer {admin.token}"})
        assert stream.status_code == 200
        [(event, data)] = messages(stream.text)
        assert event == "degraded"
        assert isinstance(data, dict) and "unavailable" in str(data["detail"])


async def test_a_caller_holds_a_bounded_number_of_streams() -> None:
    client, container, _ = build_client(analytics_live_streams_per_user=2)
    async with client:
        analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
        (await container.get(LiveView)).streams[analyst.user_id] = 2  # two streams already open in this process
        refused = await client.get(LIVE, params={"seconds": 0}, headers={"Authorization": f"Bearer {analyst.token}"})
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_live_streams"
        assert int(refused.headers["retry-after"]) >= 1
        other = await session_actor(container, "other-analyst", Role.ANALYST, two_factor=True)
        assert (
            await client.get(LIVE, params={"seconds": 0}, headers={"Authorization": f"Bearer {other.token}"})
        ).status_code == 200


async def test_a_draining_process_ends_its_streams_at_once() -> None:
    client, container, _ = build_client()
    async with client:
        analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
        client.app.state.draining.active = True  # what SIGTERM sets (draining.py)
        stream = await client.get(
            LIVE, params={"seconds": 3600}, headers={"Authorization": f"Bearer {analyst.token}"}, timeout=10
        )
        assert stream.status_code == 200
        assert [event for event, _ in messages(stream.text)] == ["counts"]
        assert (await container.get(LiveView)).streams == {}  # the ended stream let go of its place
