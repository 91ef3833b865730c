"""The catalogue's developer figures through ``GET /api/analytics/metrics``: downloads by target
platform, time to verdict and earnings. A developer reads their own; another's is 404."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.ports import LiveCounters
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.billing.published import SellerEarningsPostedV1
from devforge.application.common.integration_events import IntegrationEvent
from devforge.application.marketplace.published import (
    ExtensionDownloadedV1,
    ExtensionDownloadedV2,
    VersionReviewedV1,
    VersionUploadedV1,
)
from devforge.domain.identity.roles import Role
from tests.access_world import Actor, session_actor
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client
from tests.integration.http.test_analytics_metrics_api import bearer, extension_of

URL = "/api/analytics/metrics"


async def recorded(container: AsyncContainer, *facts: tuple[IntegrationEvent, object]) -> None:
    consumer = WhenFactPublishedRecordIt(await container.get(InMemoryAnalyticsStore), await container.get(LiveCounters))
    for fact, at in facts:
        await consumer.handle(fact.envelope(at))  # type: ignore[arg-type]


def download(extension: UUID, platform: str | None) -> IntegrationEvent:
    said = {"extension_id": extension, "version_id": uuid4(), "version": "1.0.0", "kind": "install", "day": ""}
    if platform is None:
        return ExtensionDownloadedV1(**said)  # type: ignore[arg-type]
    return ExtensionDownloadedV2(**said, target_platform=platform)  # type: ignore[arg-type]


async def test_a_developer_reads_their_downloads_by_platform_and_not_anothers() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        ada = await session_actor(container, "ada", Role.DEVELOPER)
        bob = await session_actor(container, "bob", Role.DEVELOPER)
        adas, bobs = await extension_of(client, ada, "ada-tools"), await extension_of(client, bob, "bob-tools")
        hour_ago = clock.now() - timedelta(hours=1)
        platforms = ("linux-x64", "linux-x64", "win32-x64", None)
        await recorded(container, *((download(adas, each), hour_ago) for each in platforms))
        await recorded(container, (download(bobs, "darwin-arm64"), hour_ago))
        window = {
            "metric": "extensions.downloads",
            "from": (clock.now() - timedelta(days=1)).isoformat(),
            "to": clock.now().isoformat(),
            "breakdown": "properties.target_platform",
        }

        answer = await client.get(URL, params=window, headers=bearer(ada))
        assert answer.status_code == 200, answer.text
        assert answer.json()["version"] == 2
        by_platform = sorted((p["breakdown"], p["value"]) for p in answer.json()["points"])
        assert by_platform == [("linux-x64", 2), ("unknown", 1), ("win32-x64", 1)]
        theirs = {**window, "filter": [f"properties.extension_id={bobs}"]}
        refused = await client.get(URL, params=theirs, headers=bearer(ada))
        assert (refused.status_code, refused.json()["code"]) == (404, "metric_not_found")


async def publisher_of(client: AsyncTestClient[Litestar], developer: Actor, namespace: str) -> UUID:
    publisher = await client.post(
        "/api/publishers", json={"namespace": namespace, "displayName": namespace.title()}, headers=bearer(developer)
    )
    assert publisher.status_code == 201, publisher.text
    return UUID(publisher.json()["id"])


def earned(publisher: UUID, amount: int, currency: str) -> SellerEarningsPostedV1:
    return SellerEarningsPostedV1(
        transaction_id=uuid4(), publisher_id=publisher, movement="sale" if amount > 0 else "refund", amount=amount,
        currency=currency,
    )  # fmt: skip


async def test_a_developer_reads_their_earnings_per_currency_and_not_anothers() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        ada = await session_actor(container, "ada", Role.DEVELOPER)
        bob = await session_actor(container, "bob", Role.DEVELOPER)
        adas, bobs = await publisher_of(client, ada, "ada-tools"), await publisher_of(client, bob, "bob-tools")
        hour_ago = clock.now() - timedelta(hours=1)
        sales = [
            earned(adas, 1399, "EUR"),
            earned(adas, -467, "EUR"),
            earned(adas, 700, "USD"),
            earned(bobs, 875, "EUR"),
        ]
        await recorded(container, *((each, hour_ago) for each in sales))
        window = {
            "metric": "developers.earnings",
            "from": (clock.now() - timedelta(days=1)).isoformat(),
            "to": clock.now().isoformat(),
        }

        answer = await client.get(URL, params=window, headers=bearer(ada))
        assert (answer.status_code, answer.json()["unit"]) == (200, "minor_units"), answer.text
        assert sorted((p["breakdown"], p["value"]) for p in answer.json()["points"]) == [("EUR", 932), ("USD", 700)]
        theirs = {**window, "filter": [f"properties.publisher_id={bobs}"]}
        refused = await client.get(URL, params=theirs, headers=bearer(ada))
        assert (refused.status_code, refused.json()["code"]) == (404, "metric_not_found")


def review(publisher: UUID, took: timedelta, at: datetime) -> list[tuple[IntegrationEvent, datetime]]:
    version, extension = uuid4(), uuid4()
    verdict = VersionReviewedV1(
        version_id=version,
        extension_id=extension,
        publisher_id=publisher,
        version="1.0.0",
        state="approved",
        reasons=(),
    )
    return [(VersionUploadedV1(version_id=version, extension_id=extension, review_round=1), at - took), (verdict, at)]


async def test_a_developer_reads_their_time_to_verdict_and_not_anothers() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        ada = await session_actor(container, "ada", Role.DEVELOPER)
        bob = await session_actor(container, "bob", Role.DEVELOPER)
        adas, bobs = await publisher_of(client, ada, "ada-tools"), await publisher_of(client, bob, "bob-tools")
        at = clock.now() - timedelta(hours=1)
        for publisher, hours in ((adas, 2), (adas, 5), (adas, 30), (bobs, 90)):
            await recorded(container, *review(publisher, timedelta(hours=hours), at))
        window = {"from": (clock.now() - timedelta(days=1)).isoformat(), "to": clock.now().isoformat()}

        median = await client.get(URL, params={**window, "metric": "developers.time_to_verdict"}, headers=bearer(ada))
        assert median.status_code == 200, median.text
        assert ([p["value"] for p in median.json()["points"]], median.json()["unit"]) == ([5 * 3600], "seconds")
        p90 = await client.get(URL, params={**window, "metric": "developers.time_to_verdict_p90"}, headers=bearer(ada))
        assert [p["value"] for p in p90.json()["points"]] == [30 * 3600]
        theirs = {**window, "metric": "developers.time_to_verdict", "filter": [f"properties.publisher_id={bobs}"]}
        refused = await client.get(URL, params=theirs, headers=bearer(ada))
        assert (refused.status_code, refused.json()["code"]) == (404, "metric_not_found")
