"""The marketplace's read models, restated from their source rows.

Three read models serve browsing and ranking: the listings (``ExtensionSearch``), the download
counts per extension and day, and each extension's rating summary. No write use case touches
them: consumers of the marketplace's own published events restate them (``projections.py``),
and ``devforge read-models rebuild`` restates every extension's from scratch with the same code.

Restating never adds to what is there: it reads the source rows (the extension, its publisher
and versions, the download ledger, the ratings) and writes what follows from them, so an event
delivered twice, late or out of order ends in the same state. Every restatement first locks the
extension's row, then reads: two of them for one extension (two workers, or a worker and a
rebuild) run one after the other, and the second reads what the first committed, so none
overwrites a newer figure with an older one.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from devforge.application.marketplace.listings import listing_of
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.rating_ports import RatingRepository
from devforge.application.marketplace.search import ExtensionSearch
from devforge.domain.marketplace.rating import RatingSummary


class DownloadCounts(Protocol):
    """Counted downloads per extension and day. The download ledger is the source: one row per
    counted (version, client, day). Transactional."""

    async def recount(self, extension_id: UUID, day: date | None = None) -> None:
        """The extension's count for ``day`` (for every day when None) as the ledger now has it."""
        ...

    async def total(self, extension_id: UUID) -> int: ...


class RatingSummaries(Protocol):
    """Each extension's rating count and average, kept on its row (``Extension.rating_count``
    and ``rating_average`` read them; saving an extension never writes them). Transactional."""

    async def restate(self, extension_id: UUID, summary: RatingSummary) -> None: ...


class MarketplaceReadModels:
    """Restates one extension's read models from the source rows, each under the extension's
    row lock. Nothing happens for an extension that does not exist."""

    def __init__(
        self,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        ratings: RatingRepository,
        counts: DownloadCounts,
        summaries: RatingSummaries,
        search: ExtensionSearch,
    ) -> None:
        self._publishers, self._extensions, self._versions = publishers, extensions, versions
        self._ratings, self._counts, self._summaries, self._search = ratings, counts, summaries, search

    async def listing(self, extension_id: UUID) -> None:
        """Listed while it has a published, non-yanked version (see ``listing_of``), carrying its
        download total and rating summary; removed otherwise."""
        extension = await self._extensions.get(extension_id, for_update=True)
        if extension is None:
            return
        publisher = await self._publishers.get(extension.publisher_id)
        versions = await self._versions.list_for_extension(extension_id)
        listing = None
        if publisher is not None:
            listing = listing_of(extension, publisher, versions, await self._counts.total(extension_id))
        if listing is None:
            await self._search.remove(extension_id)
        else:
            await self._search.upsert(listing)

    async def downloads(self, extension_id: UUID, day: date | None = None) -> None:
        """The day's count (every day's when None), and the listing's total."""
        if await self._extensions.get(extension_id, for_update=True) is None:
            return
        await self._counts.recount(extension_id, day)
        await self._search.set_downloads(extension_id, await self._counts.total(extension_id))

    async def ratings(self, extension_id: UUID) -> None:
        """The count and average of the ratings as they stand, on the extension and its listing."""
        if await self._extensions.get(extension_id, for_update=True) is None:
            return
        summary = await self._ratings.summary(extension_id)
        await self._summaries.restate(extension_id, summary)
        await self._search.set_rating(extension_id, summary.count, summary.average)
