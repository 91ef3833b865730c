"""Consumers of the marketplace's own events that keep its read models (``read_models.py``).

Each restates from the source rows, so a redelivered or reordered event changes nothing more.
They run in the worker, after the write committed: browsing sees a change a moment later, while
everything that decides (the extension page, downloads, entitlements, who may rate, the reviews
page and its summary) reads the source rows at once (architecture.md, "Read models").
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, cast
from uuid import UUID

from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.marketplace.ports import ExtensionRepository
from devforge.application.marketplace.published import (
    ExtensionDeletedV1,
    ExtensionDeprecatedV1,
    ExtensionDownloadedV1,
    ExtensionDownloadedV2,
    ExtensionUpdatedV1,
    PublisherVerifiedV1,
    RatingRemovedV1,
    RatingWithdrawnV1,
    RatingWrittenV1,
    VersionReviewedV1,
    VersionUnpublishedV1,
    VersionYankedV1,
)
from devforge.application.marketplace.read_models import MarketplaceReadModels

_ABOUT_AN_EXTENSION = (
    VersionReviewedV1,
    VersionYankedV1,
    VersionUnpublishedV1,
    ExtensionUpdatedV1,
    ExtensionDeprecatedV1,
    ExtensionDeletedV1,
)


class _AboutAnExtension(Protocol):
    @property
    def extension_id(self) -> UUID: ...


class WhenCatalogChangedRestateListing:
    """An approval (or any review decision), a yank, an unpublishing, an edit, a deprecation or a
    deletion restates the extension's listing; a publisher's verification restates every one of
    its extensions' (their ``verified`` mark and ranking)."""

    name = "marketplace.restate_listing"
    subscribes_to = (*_ABOUT_AN_EXTENSION, PublisherVerifiedV1)

    def __init__(self, read_models: MarketplaceReadModels, extensions: ExtensionRepository) -> None:
        self._read_models, self._extensions = read_models, extensions

    async def handle(self, event: EventEnvelope) -> None:
        if event.name == PublisherVerifiedV1.NAME:
            verified = PublisherVerifiedV1.decode(event)
            theirs = await self._extensions.list_for_publishers([verified.publisher_id])
            ids = sorted((extension.id for extension in theirs), key=lambda extension_id: extension_id.int)
        else:
            ids = [cast("_AboutAnExtension", decode(event, *_ABOUT_AN_EXTENSION)).extension_id]
        for extension_id in ids:  # in id order, as a rebuild locks them
            await self._read_models.listing(extension_id)


class WhenDownloadCountedRecount:
    """A counted download recounts its extension's day from the download ledger, and the total
    on the listing."""

    name = "marketplace.count_downloads"
    subscribes_to = (ExtensionDownloadedV1, ExtensionDownloadedV2)

    def __init__(self, read_models: MarketplaceReadModels) -> None:
        self._read_models = read_models

    async def handle(self, event: EventEnvelope) -> None:
        downloaded = decode(event, ExtensionDownloadedV1, ExtensionDownloadedV2)
        await self._read_models.downloads(downloaded.extension_id, date.fromisoformat(downloaded.day))


class WhenRatingChangedSummarize:
    """A rating written, edited, withdrawn or removed by an administrator restates the extension's
    count and average from its ratings, on the extension and on its listing."""

    name = "marketplace.summarize_ratings"
    subscribes_to = (RatingWrittenV1, RatingWithdrawnV1, RatingRemovedV1)

    def __init__(self, read_models: MarketplaceReadModels) -> None:
        self._read_models = read_models

    async def handle(self, event: EventEnvelope) -> None:
        rated = decode(event, RatingWrittenV1, RatingWithdrawnV1, RatingRemovedV1)
        await self._read_models.ratings(rated.extension_id)
