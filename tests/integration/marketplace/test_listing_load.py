"""A full load in a child process (``ListingsInChild``, what served profiles use) gives the index
the listings as committed: a spawned child reads a SQLite file and this process's restored index
answers what one loaded in the process answers; in-memory SQLite gets no child."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.persistence.listing_index import ListingIndex
from devforge.adapters.persistence.listing_load import ListingsInChild
from devforge.adapters.persistence.marketplace_search import _row
from devforge.adapters.persistence.tables.marketplace import marketplace_listings
from devforge.application.marketplace.search import SearchFilters
from devforge.domain.marketplace.listing import SortOrder
from tests.unit.marketplace.test_listing_index_pages import NOW, catalogue


def test_a_child_reads_and_indexes_the_listings(tmp_path: Path) -> None:
    listings = catalogue(random.Random(3), 150)
    url = f"sqlite+aiosqlite:///{tmp_path / 'listings.db'}"

    async def load() -> bytes:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(marketplace_listings.create)
            await connection.execute(insert(marketplace_listings), [_row(item) for item in listings])
        loader = ListingsInChild.of(engine)
        await engine.dispose()
        assert loader is not None
        return await loader()

    restored = ListingIndex()
    restored.restore(asyncio.run(load()))
    built = ListingIndex()
    built.replace_all(listings)
    for filters in (SearchFilters(), SearchFilters("py"), SearchFilters("lint", platform="linux-x64", paid=False)):
        for order in SortOrder:
            assert restored.page(filters, order, NOW, 500, None) == built.page(filters, order, NOW, 500, None)


def test_in_memory_sqlite_is_read_in_the_process() -> None:
    assert ListingsInChild.of(create_async_engine("sqlite+aiosqlite:///:memory:")) is None
