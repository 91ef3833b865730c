"""``GET /api/analytics/metrics``, ``/metrics/definitions`` and ``/dashboard``: who sees what. An
analyst reads every figure; a developer their own extensions' (another developer's extension is
404, as if it did not exist); a customer nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.ports import LiveCounters
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.marketplace.published import ExtensionDownloadedV1
from devforge.domain.identity.roles import Role
from tests.access_world import Actor, session_actor
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client


def bearer(actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {actor.token}"}


async def extension_of(client: AsyncTestClient, developer: Actor, namespace: str) -> UUID:
    publisher = await client.post(
        "/api/publishers", json={"namespace": namespace, "displayName": namespace.title()}, headers=bearer(developer)
    )
    assert publisher.status_code == 201, publisher.text
    extension = await client.post(
        "/api/extensions",
        json={"publisherId": publisher.json()["id"], "name": f"{namespace}-ext", "displayName": f"{namespace} kit"},
        headers=bearer(developer),
    )
    assert extension.status_code == 201, extension.text
    return UUID(extension.json()["id"])


async def downloaded(container: AsyncContainer, clock: ManualClock, extension: UUID, times: int) -> None:
    consumer = WhenFactPublishedRecordIt(await container.get(InMemoryAnalyticsStore), await container.get(LiveCounters))
    for n in range(times):
        fact = ExtensionDownloadedV1(
            extension_id=extension, version_id=uuid4(), version="1.0.0", kind="install", day=""
        )
        await consumer.handle(fact.envelope(clock.now() - timedelta(hours=n + 1)))


def downloads_of(clock: ManualClock, *filters: str, **more: str) -> dict[str, Any]:
    start = (clock.now() - timedelta(days=3)).isoformat()
    return {
        "metric": "extensions.downloads",
        "from": start,
        "to": clock.now().isoformat(),
        "filter": list(filters),
        **more,
    }


def total(answer: Any) -> int:
    return sum(point["value"] for point in answer.json()["points"])


async def test_each_role_sees_its_own_figures_and_another_developers_extension_is_404() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        ada = await session_actor(container, "ada", Role.DEVELOPER)
        bob = await session_actor(container, "bob", Role.DEVELOPER)
        analyst = await session_actor(container, "ana", Role.ANALYST, two_factor=True)
        customer = await session_actor(container, "cy", Role.CUSTOMER)
        adas, bobs = await extension_of(client, ada, "ada-tools"), await extension_of(client, bob, "bob-tools")
        await downloaded(container, clock, adas, 3)
        await downloaded(container, clock, bobs, 5)
        url = "/api/analytics/metrics"

        everything = await client.get(url, params=downloads_of(clock), headers=bearer(analyst))
        assert (everything.status_code, total(everything)) == (200, 8), everything.text
        own = await client.get(url, params=downloads_of(clock), headers=bearer(ada))
        assert (own.status_code, total(own)) == (200, 3)
        named = await client.get(
            url, params=downloads_of(clock, f"properties.extension_id={adas}"), headers=bearer(ada)
        )
        assert total(named) == 3

        theirs = await client.get(
            url, params=downloads_of(clock, f"properties.extension_id={bobs}"), headers=bearer(ada)
        )
        assert (theirs.status_code, theirs.json()["code"]) == (404, "metric_not_found")
        business = await client.get(url, params={**downloads_of(clock), "metric": "users.new"}, headers=bearer(ada))
        assert business.status_code == 404
        assert (await client.get(url, params=downloads_of(clock), headers=bearer(customer))).status_code == 403
        assert (await client.get("/api/analytics/dashboard", headers=bearer(customer))).status_code == 403

        definitions = await client.get("/api/analytics/metrics/definitions", headers=bearer(ada))
        keys = {each["key"] for each in definitions.json()}
        assert "extensions.downloads" in keys and "users.daily_active" not in keys
        every = await client.get("/api/analytics/metrics/definitions", headers=bearer(analyst))
        assert "users.daily_active" in {each["key"] for each in every.json()}

        tiles = (await client.get("/api/analytics/dashboard", headers=bearer(ada))).json()["tiles"]
        downloads = next(tile for tile in tiles if tile["metric"] == "extensions.downloads")
        assert sum(point["value"] for point in downloads["points"]) == 3
        assert not any(tile["metric"].startswith("users.") for tile in tiles)
        business_tiles = (await client.get("/api/analytics/dashboard", headers=bearer(analyst))).json()["tiles"]
        assert any(tile["metric"] == "users.daily_active" for tile in business_tiles)


async def test_a_request_the_metric_does_not_take_is_a_422_naming_the_field() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        analyst = await session_actor(container, "ana", Role.ANALYST, two_factor=True)
        url = "/api/analytics/metrics"
        cases = {
            "range": downloads_of(clock, **{"from": (clock.now() - timedelta(days=2000)).isoformat()}),
            "interval": {**downloads_of(clock), "metric": "users.daily_active", "interval": "hour"},
            "filter": downloads_of(clock, "nonsense"),
            "breakdown": downloads_of(clock, breakdown="properties.email"),
        }
        for field, params in cases.items():
            answer = await client.get(url, params=params, headers=bearer(analyst))
            assert answer.status_code == 422, (field, answer.text)
            assert answer.json()["errors"][0]["field"] == field


async def test_cached_figures_are_never_served_to_another_developer() -> None:
    """The same request, within the cache's TTL, by two developers: each gets their own figures
    (the scope they may see is part of the cache's key), and the dashboard says how old they are."""
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        ada = await session_actor(container, "ada", Role.DEVELOPER)
        bob = await session_actor(container, "bob", Role.DEVELOPER)
        adas, bobs = await extension_of(client, ada, "ada-tools"), await extension_of(client, bob, "bob-tools")
        await downloaded(container, clock, adas, 3)
        await downloaded(container, clock, bobs, 5)
        url, asked = "/api/analytics/metrics", downloads_of(clock)

        assert total(await client.get(url, params=asked, headers=bearer(ada))) == 3
        assert total(await client.get(url, params=asked, headers=bearer(bob))) == 5
        await downloaded(container, clock, adas, 1)  # within the TTL: ada's figure is the cached one
        again = await client.get(url, params=asked, headers=bearer(ada))
        assert (total(again), again.json()["computedAt"]) == (3, clock.now().isoformat().replace("+00:00", "Z"))

        tiles = {}
        for developer in (ada, bob):
            dashboard = (await client.get("/api/analytics/dashboard", headers=bearer(developer))).json()
            assert dashboard["maxAgeSeconds"] == 60
            tiles[developer.name] = next(t for t in dashboard["tiles"] if t["metric"] == "extensions.downloads")
        assert [sum(p["value"] for p in tiles[name]["points"]) for name in ("ada", "bob")] == [4, 5]

        clock.advance(timedelta(seconds=61))  # past the TTL: asked again
        assert total(await client.get(url, params=asked, headers=bearer(ada))) == 4
