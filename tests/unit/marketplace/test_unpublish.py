"""Unpublishing: within 72 hours of publication, never out from under a dependent extension
(unless another live version stays), soft (the slot stays taken), idempotent, and the listing,
dist-tags and CDN follow. Deleting a whole extension others depend on is refused too."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from devforge.adapters.cdn.no_op_cdn import NoOpCdn
from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.actor import Actor
from devforge.application.marketplace.download_extension import DownloadExtension, DownloadRequest
from devforge.application.marketplace.manage_dist_tags import SetDistTagHandler, ShowDistTags
from devforge.application.marketplace.manage_extensions import DeleteExtensionHandler, GetExtension
from devforge.application.marketplace.published import VersionUnpublishedV1
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.search import ExtensionSearch
from devforge.application.marketplace.unpublish_version import UnpublishVersionHandler
from devforge.application.marketplace.withdraw import WhenArchiveWithdrawnPurgeCdn, YankVersionHandler
from devforge.domain.marketplace.errors import (
    ExtensionHasDependents,
    ExtensionNotFound,
    ReviewTransitionInvalid,
    UnpublishRefused,
    VersionNotFound,
    VersionSlotTaken,
)

from .corpus import clean_package
from .releases import package, publish
from .world import Market

DEPENDENT = "colour-picker"


async def unpublish(market: Market, extension_id: UUID, version: str, platform: str = "universal") -> object:
    return await market.call(UnpublishVersionHandler, market.developer, VersionSlot(extension_id, version, platform))


@pytest.fixture
async def extension_id(market: Market) -> UUID:
    return await market.extension(await market.publisher())


async def dependent_on(market: Market, extension_id: UUID) -> UUID:
    """acme.colour-picker, whose published 1.0.0 declares acme.rainbow-brackets."""
    view = await market.call(GetExtension, market.developer, extension_id)
    dependent = await market.extension(view.extension.publisher_id, DEPENDENT)
    await publish(market, dependent, "1.0.0", name=DEPENDENT, extensionDependencies=["acme.rainbow-brackets"])
    return dependent


async def test_unpublishing_is_open_for_exactly_72_hours_after_approval(
    market: Market, clock: ManualClock, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0")
    published_at = clock.now()
    clock.advance(timedelta(hours=72))
    await unpublish(market, extension_id, "1.3.0")  # the last moment still counts

    clock.advance(timedelta(seconds=1))
    with pytest.raises(UnpublishRefused) as late:
        await unpublish(market, extension_id, "1.2.0")
    assert late.value.field == "version" and "72 hours" in late.value.message
    assert (published_at + timedelta(hours=72)).isoformat() in late.value.message


async def test_the_last_version_is_not_unpublished_while_another_extension_depends_on_it(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0")
    dependent = await dependent_on(market, extension_id)

    await unpublish(market, extension_id, "1.3.0")  # 1.2.0 still satisfies acme.colour-picker
    with pytest.raises(UnpublishRefused) as refused:
        await unpublish(market, extension_id, "1.2.0")
    assert refused.value.dependents == ("acme.colour-picker",)
    assert "acme.colour-picker depends on this extension" in refused.value.message

    await market.call(DeleteExtensionHandler, market.developer, dependent)  # a deleted dependent no longer holds it
    await unpublish(market, extension_id, "1.2.0")


async def test_a_yanked_version_does_not_count_as_the_one_that_remains(market: Market, extension_id: UUID) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0")
    await dependent_on(market, extension_id)
    await market.call(YankVersionHandler, market.developer, VersionSlot(extension_id, "1.2.0"), "Broken.")
    with pytest.raises(UnpublishRefused):
        await unpublish(market, extension_id, "1.3.0")


async def test_an_extension_others_depend_on_is_not_deleted(market: Market, extension_id: UUID) -> None:
    await publish(market, extension_id, "1.2.0")
    dependent = await dependent_on(market, extension_id)
    with pytest.raises(ExtensionHasDependents) as refused:
        await market.call(DeleteExtensionHandler, market.developer, extension_id)
    assert "acme.colour-picker depends on this extension" in refused.value.message
    await market.call(DeleteExtensionHandler, market.developer, dependent)
    await market.call(DeleteExtensionHandler, market.developer, extension_id)


async def test_unpublishing_keeps_the_slot_moves_the_tags_and_purges_the_cdn_once(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await publish(market, extension_id, "1.3.0")
    await market.call(SetDistTagHandler, market.developer, extension_id, "next", "1.3.0")
    await market.call(SetDistTagHandler, market.developer, extension_id, "old", "1.2.0")

    first = await unpublish(market, extension_id, "1.3.0")
    again = await unpublish(market, extension_id, "1.3.0")  # a retry: nothing more happens
    assert first.deleted_at == again.deleted_at  # type: ignore[attr-defined]
    assert await market.call(ShowDistTags, extension_id) == {"latest": "1.2.0", "old": "1.2.0"}
    events = await market.events("marketplace.version_unpublished")
    assert len(events) == 1 and events[0].payload["version"] == "1.3.0"

    cdn = NoOpCdn()
    assert VersionUnpublishedV1 in WhenArchiveWithdrawnPurgeCdn.subscribes_to
    await WhenArchiveWithdrawnPurgeCdn(cdn).handle(events[0])
    assert cdn.purged == [events[0].payload["archive_key"]]

    with pytest.raises(VersionNotFound):
        await market.call(DownloadExtension, DownloadRequest(extension_id, "c", version="1.3.0"))
    with pytest.raises(VersionSlotTaken):
        await market.upload(extension_id, package("1.3.0"), version="1.3.0")
    shown = await market.call(GetExtension, None, extension_id)
    assert [v.version for v in shown.versions] == ["1.2.0"]


async def test_unpublishing_the_last_version_takes_the_extension_off_the_listing(
    market: Market, extension_id: UUID
) -> None:
    await publish(market, extension_id, "1.2.0")
    await unpublish(market, extension_id, "1.2.0")
    async with market.container() as scope:
        assert await (await scope.get(ExtensionSearch)).get(extension_id) is None
    with pytest.raises(ExtensionNotFound):
        await market.call(GetExtension, None, extension_id)


async def test_only_a_published_version_is_unpublished_and_only_by_its_publisher(
    market: Market, extension_id: UUID
) -> None:
    await market.upload(extension_id, clean_package())
    with pytest.raises(ReviewTransitionInvalid):
        await unpublish(market, extension_id, "1.2.0")
    with pytest.raises(VersionNotFound):
        await unpublish(market, extension_id, "4.0.0")
    stranger = Actor(UUID(int=7))
    with pytest.raises(ExtensionNotFound):
        await market.call(UnpublishVersionHandler, stranger, VersionSlot(extension_id, "1.2.0"))
