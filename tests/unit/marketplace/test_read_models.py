"""The marketplace's read models (listings, download counts, rating summaries) are kept by
consumers of its own events, not by the write use cases, and restate from the source rows: an
event delivered again, late or out of order ends in the same state."""

from __future__ import annotations

import random
from datetime import timedelta

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.browse_extensions import BrowseExtensions, BrowseQuery
from devforge.application.marketplace.projections import (
    WhenCatalogChangedRestateListing,
    WhenDownloadCountedRecount,
    WhenRatingChangedSummarize,
)
from devforge.application.marketplace.search import SearchFilters

from .catalogue_story import build_catalogue, read_models, release
from .rating_steps import download
from .world import Market

PROJECTIONS = (WhenCatalogChangedRestateListing, WhenDownloadCountedRecount, WhenRatingChangedSummarize)


async def browsed(market: Market) -> list[tuple[str, int]]:
    found = await market.call(BrowseExtensions, BrowseQuery(SearchFilters()))
    return [(listing.name, listing.downloads) for listing in found.listings]


async def test_an_approval_and_a_download_reach_browsing_through_the_worker(market: Market) -> None:
    extension_id = await market.extension(await market.publisher())
    await release(market, extension_id, "rainbow-brackets", "1.0.0")
    assert await browsed(market) == []  # approved: the listing is its consumer's to write
    await market.settle()
    assert await browsed(market) == [("rainbow-brackets", 0)]
    await download(market, extension_id)
    assert await browsed(market) == [("rainbow-brackets", 0)]
    await market.settle()
    assert await browsed(market) == [("rainbow-brackets", 1)]


async def test_the_catalogue_as_its_consumers_restate_it(market: Market, clock: ManualClock) -> None:
    catalogue = await build_catalogue(market, clock)
    await market.settle()
    models = await read_models(market, catalogue)
    brackets, guides = catalogue.ids["rainbow-brackets"], catalogue.ids["indent-guides"]
    owl, gone = catalogue.ids["night-owl"], catalogue.ids["old-thing"]

    assert {extension_id for extension_id, listing in models.listings.items() if listing} == {brackets, guides}
    listed, deprecated = models.listings[brackets], models.listings[guides]
    assert listed is not None and deprecated is not None
    assert (listed.latest_version, listed.downloads, listed.verified) == ("1.1.0", 6, True)  # verified last
    assert (listed.rating_count, listed.rating_average) == (2, 4.5)  # alice 5, bob 4; carol's withdrawn, dave's removed
    assert deprecated.deprecated and deprecated.tags == ("indent", "guides") and deprecated.downloads == 2
    assert deprecated.updated_at == clock.now() - timedelta(days=1)  # its deprecation, not when it was restated
    assert models.downloads == {brackets: 6, guides: 2, owl: 1, gone: 0}  # the yanked one still counts
    assert models.ratings[brackets] == (2, 4.5) and models.ratings[guides] == (0, 0.0)


async def test_redelivered_and_reordered_events_end_in_the_same_state(market: Market, clock: ManualClock) -> None:
    catalogue = await build_catalogue(market, clock)
    await market.settle()
    settled = await read_models(market, catalogue)
    clock.advance(timedelta(days=40))  # restating later changes no time a listing shows
    events: list[EventEnvelope] = [
        row["event"] for row in (await market.container.get(MemoryStore)).table("outbox").values()
    ]
    for shuffle in (list(reversed(events)), random.Random(11).sample(events, len(events)), events + events):
        await redeliver(market, shuffle)
        assert await read_models(market, catalogue) == settled


async def redeliver(market: Market, events: list[EventEnvelope]) -> None:
    """Each event to each read-model consumer subscribed to it, one delivery's transaction each."""
    for event in events:
        for consumer_class in PROJECTIONS:
            if event.name in {schema.NAME for schema in consumer_class.subscribes_to}:
                async with market.container() as scope:
                    await (await scope.get(consumer_class)).handle(event)
                    await (await scope.get(UnitOfWork)).commit()
