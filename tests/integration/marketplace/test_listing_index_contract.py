"""Search pages follow the listings as committed, on memory, SQLite and PostgreSQL (where the SQL
adapters answer from the process's ListingIndex): a write shows at the next search once committed
and never when rolled back, rankings cached for one instant do not outlive a recency bonus, and
a change committed in another process reaches this one's index (PostgreSQL's NOTIFY)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from devforge.adapters.persistence import marketplace_search
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.search import ExtensionSearch, SearchFilters
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.marketplace import SqlaMarketplaceProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.marketplace.listing import SortOrder
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database
from tests.integration.marketplace.test_marketplace_repositories_contract import (
    NOW,
    container,
    found,
    listing,
    ranked,
    stored_listings,
)

__all__ = ["container"]


async def test_a_write_shows_at_the_next_search_once_committed_and_never_when_rolled_back(
    container,
) -> None:
    first = listing("rainbow-brackets", downloads=5)
    await stored_listings(container, first, listing("night-owl", downloads=9))
    assert await ranked(container, SearchFilters(), SortOrder.DOWNLOADS, 5) == ["night-owl", "rainbow-brackets"]
    async with container() as scope:  # rolled back: the scope ends without a commit
        search = await scope.get(ExtensionSearch)
        await search.upsert(listing("rainbow-brackets", extension_id=first.extension_id, description="Now blue."))
        await search.set_downloads(first.extension_id, 50)
    assert await found(container, SearchFilters("blue")) == {}
    assert await ranked(container, SearchFilters(), SortOrder.DOWNLOADS, 5) == ["night-owl", "rainbow-brackets"]
    async with container() as scope:
        search = await scope.get(ExtensionSearch)
        await search.set_downloads(first.extension_id, 50)
        await search.upsert(
            listing("rainbow-brackets", extension_id=first.extension_id, description="Now blue.", downloads=50)
        )
        await (await scope.get(UnitOfWork)).commit()
    assert set(await found(container, SearchFilters("blu"))) == {"rainbow-brackets"}
    assert await ranked(container, SearchFilters(), SortOrder.DOWNLOADS, 5) == ["rainbow-brackets", "night-owl"]
    assert await ranked(container, SearchFilters("rain"), SortOrder.NAME, 5) == ["rainbow-brackets"]


async def test_a_cached_ranking_does_not_outlive_a_recency_bonus(container) -> None:
    fresh = listing("fresh-brackets", updated_at=NOW - timedelta(days=29, hours=23))
    old = listing("old-brackets", updated_at=NOW - timedelta(days=300), downloads=2)
    await stored_listings(container, fresh, old)
    text = SearchFilters("brackets")
    assert await ranked(container, text, SortOrder.RELEVANCE, 5, now=NOW) == ["fresh-brackets", "old-brackets"]
    later = NOW + timedelta(hours=2)  # the fresh one's bonus is gone: downloads decide
    assert await ranked(container, text, SortOrder.RELEVANCE, 5, now=later) == ["old-brackets", "fresh-brackets"]
    assert await ranked(container, text, SortOrder.RELEVANCE, 5, now=NOW) == ["fresh-brackets", "old-brackets"]


async def test_a_full_load_read_in_several_batches_holds_every_listing_as_stored(
    container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(marketplace_search, "LOAD_BATCH", 2)  # five listings: three batches
    stored = [listing(f"theme-{n}", downloads=n, tags=("dark", f"tag{n % 2}")) for n in range(5)]
    await stored_listings(container, *stored)
    assert await ranked(container, SearchFilters(), SortOrder.DOWNLOADS, 2) == [f"theme-{n}" for n in range(4, -1, -1)]
    async with container() as scope:
        search = await scope.get(ExtensionSearch)
        assert [await search.get(item.extension_id) for item in stored] == stored


async def test_a_change_committed_in_another_process_reaches_this_ones_searches() -> None:
    """Two containers on one PostgreSQL database stand for two API processes."""
    async with postgres_database() as url:
        settings = settings_for_tests(database_url=url)
        processes = [
            make_container(settings, SqlaPersistenceProvider(), SqlaMarketplaceProvider(), base=memory_providers())
            for _ in range(2)
        ]
        writer, reader = processes
        try:
            original = listing("rainbow-brackets")
            await stored_listings(writer, original)
            assert set(await found(reader, SearchFilters("rainbow"))) == {"rainbow-brackets"}
            async with writer() as scope:
                search = await scope.get(ExtensionSearch)
                await search.upsert(
                    listing("rainbow-brackets", extension_id=original.extension_id, description="Now pastel.")
                )
                await (await scope.get(UnitOfWork)).commit()
            for _ in range(100):  # the NOTIFY arrives after the commit, within milliseconds
                if await found(reader, SearchFilters("pastel")):
                    break
                await asyncio.sleep(0.05)
            assert set(await found(reader, SearchFilters("pastel"))) == {"rainbow-brackets"}
            async with writer() as scope:
                await (await scope.get(ExtensionSearch)).remove(original.extension_id)
                await (await scope.get(UnitOfWork)).commit()
            for _ in range(100):
                if not await found(reader, SearchFilters("rainbow")):
                    break
                await asyncio.sleep(0.05)
            assert await found(reader, SearchFilters()) == {}
        finally:
            for process in processes:
                await process.close()
