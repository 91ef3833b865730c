"""``/api/analytics/exports``: an analyst queues an export, follows it to done and downloads the
file through its signed link; limits are answered at the door."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.run_due_exports import RunDueExports
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.identity.roles import Role
from tests.access_world import add_account, start_session
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client

DAY = datetime(2026, 11, 2, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_analyst_exports_events_follows_it_and_downloads_the_csv() -> None:
    clock = ManualClock(DAY + timedelta(days=10))
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        store = await container.get(InMemoryAnalyticsStore)
        await store.insert(
            [
                AnalyticsEvent(uuid=uuid4(), event="app_started", distinct_id=f"i-{i}", timestamp=DAY, received_at=DAY)
                for i in range(4)
            ]
        )
        analyst_id = await add_account(container, "numbers@example.com", Role.ANALYST, two_factor=True)
        analyst, _ = await start_session(container, analyst_id, Role.ANALYST)
        body = {"kind": "events", "format": "csv", "start": "2026-11-01T00:00:00Z", "end": "2026-11-08T00:00:00Z"}

        queued = await client.post("/api/analytics/exports", json=body, headers=bearer(analyst))

        assert queued.status_code == 202, queued.text
        assert (queued.json()["status"], queued.json()["rows"]) == ("queued", 0)
        followed = f"/api/analytics/exports/{queued.json()['id']}"
        async with container() as scope:
            await (await scope.get(RunDueExports))()
        done = (await client.get(followed, headers=bearer(analyst))).json()
        assert (done["status"], done["rows"], done["attempt"]) == ("done", 4, 1)
        url = done["url"]
        downloaded = await client.get(url[url.index("/files/") :])
        assert downloaded.status_code == 200 and downloaded.content.count(b"\n") == 5  # a header and 4 rows

        too_long = await client.post(
            "/api/analytics/exports", json=body | {"end": "2027-03-01T00:00:00Z"}, headers=bearer(analyst)
        )
        assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "end"
        too_many = await client.post(
            "/api/analytics/exports", json=body | {"events": [f"e{i}" for i in range(21)]}, headers=bearer(analyst)
        )
        assert too_many.status_code == 400
        unknown = await client.get(f"/api/analytics/exports/{uuid4()}", headers=bearer(analyst))
        assert unknown.status_code == 404
