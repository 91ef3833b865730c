"""A counted download says which package it was: its version and its target platform (the
published ``extension_downloaded`` version 2), and the download count still reads version 1."""

from __future__ import annotations

from dataclasses import asdict

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.projections import WhenDownloadCountedRecount
from devforge.application.marketplace.published import ExtensionDownloadedV1, ExtensionDownloadedV2

from .rating_steps import download, published_extension
from .test_paid_downloads import downloads_counted
from .world import Market


async def test_a_download_is_published_with_its_target_platform(market: Market) -> None:
    extension_id = await published_extension(market)
    await download(market, extension_id)
    [counted] = await market.events(ExtensionDownloadedV2.NAME)
    fact = ExtensionDownloadedV2.decode(counted)
    assert (counted.version, fact.extension_id, fact.version, fact.target_platform) == (
        2,
        extension_id,
        "1.2.0",
        "universal",
    )


async def test_a_download_published_before_the_platform_is_still_counted(market: Market) -> None:
    extension_id = await published_extension(market)
    await download(market, extension_id)
    [counted] = await market.events(ExtensionDownloadedV2.NAME)
    said = asdict(ExtensionDownloadedV2.decode(counted))
    older = ExtensionDownloadedV1(**{key: value for key, value in said.items() if key != "target_platform"})
    async with market.container() as scope:  # a version 1 event still in the outbox when version 2 shipped
        await (await scope.get(WhenDownloadCountedRecount)).handle(older.envelope(counted.occurred_at))
        await (await scope.get(UnitOfWork)).commit()
    assert await downloads_counted(market, extension_id) == 1
