"""A full load of the ``ListingIndex`` read and built in a short-lived child process.

Reading 20,000 listings in the API process left ~25 MiB of its heap behind for good: the rows,
their dicts and the words split for the postings are small objects made between the index's
long-lived ones, and CPython's allocator gives an arena back only once nothing in it lives (no
``del``, collection or ``malloc_trim`` frees them; bench/README.md, "Memory after the sweep").
Here a child (``spawn``: a fresh interpreter, as ``pdf_typesetting.py``'s) reads the rows, builds
the index as the API process would, and answers one msgpack blob (``ListingIndex.exported``); the
parent decodes it straight into its final lists and arrays (``ListingIndex.restore``), so what the
load leaves in the parent is the index and nothing else; the blob itself is one large buffer, given
back to the system when freed. The child ends with the load: full loads are rare (a process's
first read, a rebuild of many listings), and it costs a process start (about a second).

In-memory SQLite cannot be read by another process: such an engine gets no ``FullLoad`` (the
rows are then read in the process, as with ``DEVFORGE_MARKETPLACE_LISTINGS_PROCESS=false``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from devforge.adapters.persistence.listing_index import ListingIndex
from devforge.adapters.persistence.marketplace_search import LISTING_COLUMNS, _listing
from devforge.domain.marketplace.listing import Listing

NICENESS = 5  # added to the child's: requests go first when cores are short


class ListingsInChild:
    """A ``FullLoad``: each call reads every listing in a fresh child process and answers the blob."""

    def __init__(self, url: str) -> None:
        self._url = url

    @classmethod
    def of(cls, engine: AsyncEngine) -> ListingsInChild | None:
        """None when another process cannot open the engine's database (in-memory SQLite)."""
        url = engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return None
        return cls(url.render_as_string(hide_password=False))

    async def __call__(self) -> bytes:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(1, mp_context=context, initializer=os.nice, initargs=(NICENESS,))
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, exported, self._url)
        finally:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


def exported(url: str) -> bytes:
    """In the child: every listing, indexed as the API process would, as ``restore``'s blob."""
    index = ListingIndex()
    index.replace_all(asyncio.run(_listings(url)))
    return index.exported()


async def _listings(url: str) -> list[Listing]:
    engine = create_async_engine(make_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(*LISTING_COLUMNS))).mappings().all()
    finally:
        await engine.dispose()
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    return [_listing(row, shared) for row in rows]
