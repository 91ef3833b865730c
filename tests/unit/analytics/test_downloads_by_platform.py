"""``extensions.downloads`` version 2: downloads by version and by target platform, from the
marketplace's ``extension_downloaded`` (version 2 says the platform; version 1 did not, and its
downloads count as ``unknown``). A developer reads their own extensions' only."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore, InMemoryLiveCounters
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.marketplace.published import ExtensionDownloadedV1, ExtensionDownloadedV2
from devforge.domain.analytics.errors import MetricNotFound, MetricRequestRefused
from devforge.domain.analytics.metrics import EXTENSION_DIMENSION
from devforge.domain.analytics.queries import Filter

from .test_metric_catalogue import AT, DEVELOPER, MINE, THEIRS, asking, evaluator

PLATFORM, VERSION = "properties.target_platform", "properties.version"


async def downloaded(store: InMemoryAnalyticsStore, extension: UUID, version: str, platform: str | None) -> None:
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    said = {"extension_id": extension, "version_id": uuid4(), "version": version, "kind": "install", "day": ""}
    if platform is None:
        await consumer.handle(ExtensionDownloadedV1(**said).envelope(AT))  # type: ignore[arg-type]
    else:
        await consumer.handle(ExtensionDownloadedV2(**said, target_platform=platform).envelope(AT))  # type: ignore[arg-type]


async def seeded() -> InMemoryAnalyticsStore:
    store = InMemoryAnalyticsStore()
    for version, platform in [
        ("1.0.0", None),  # counted before the marketplace said the platform
        ("1.1.0", "linux-x64"),
        ("1.1.0", "linux-x64"),
        ("1.1.0", "win32-x64"),
        ("1.2.0", "linux-x64"),
        ("1.2.0", "universal"),
    ]:
        await downloaded(store, MINE, version, platform)
    await downloaded(store, THEIRS, "9.0.0", "darwin-arm64")
    return store


async def test_downloads_break_down_by_platform_older_ones_unknown() -> None:
    store = await seeded()
    series = await evaluator(store)(DEVELOPER, asking("extensions.downloads", breakdown=PLATFORM))
    assert sorted((p.breakdown, p.value) for p in series.points) == [
        ("linux-x64", 3),
        ("universal", 1),
        ("unknown", 1),
        ("win32-x64", 1),
    ]  # their darwin-arm64 download is not the developer's


async def test_one_versions_downloads_by_platform() -> None:
    store = await seeded()
    one_version = asking("extensions.downloads", breakdown=PLATFORM, filters=(Filter(VERSION, ("1.1.0",)),))
    series = await evaluator(store)(DEVELOPER, one_version)
    assert sorted((p.breakdown, p.value) for p in series.points) == [("linux-x64", 2), ("win32-x64", 1)]
    on_linux = asking("extensions.downloads", breakdown=VERSION, filters=(Filter(PLATFORM, ("linux-x64",)),))
    series = await evaluator(store)(DEVELOPER, on_linux)
    assert sorted((p.breakdown, p.value) for p in series.points) == [("1.1.0", 2), ("1.2.0", 1)]


async def test_version_1_of_the_metric_stays_as_it_was() -> None:
    store = await seeded()
    with pytest.raises(MetricRequestRefused) as refused:
        await evaluator(store)(DEVELOPER, asking("extensions.downloads", breakdown=PLATFORM, version=1))
    assert refused.value.field == "breakdown"
    total = await evaluator(store)(DEVELOPER, asking("extensions.downloads", version=1))
    assert [p.value for p in total.points] == [6]


async def test_another_developers_platforms_are_not_found() -> None:
    theirs = (Filter(EXTENSION_DIMENSION, (str(THEIRS),)),)
    with pytest.raises(MetricNotFound):
        await evaluator(await seeded())(DEVELOPER, asking("extensions.downloads", breakdown=PLATFORM, filters=theirs))
