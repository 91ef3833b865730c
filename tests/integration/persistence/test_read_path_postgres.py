"""The common read path on PostgreSQL hands every connection back to the pool, after a read that
answered and after one that failed, so reads never run the pool dry (it returns the connection
in place, not through ``async with``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
from sqlalchemy import bindparam, exc, select
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.persistence.engine import make_engine
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables import outbox
from tests.integration.backends import postgres_database

POOL = 2
_BY_ID = select(outbox.c.event_id, outbox.c.name).where(outbox.c.event_id == bindparam("event_id"))


@pytest.fixture
async def engine() -> AsyncIterator[AsyncEngine]:
    async with postgres_database() as url:
        built = make_engine(url, pool_size=POOL)
        try:
            yield built
        finally:
            await built.dispose()


def checked_out(engine: AsyncEngine) -> int:
    return int(engine.pool.checkedout())  # type: ignore[attr-defined]


async def test_reads_past_the_pool_size_each_give_their_connection_back(engine: AsyncEngine) -> None:
    read = ReadPath(engine).prepare(_BY_ID)
    for _ in range(3 * POOL):
        assert await read.row(event_id=uuid4()) is None
    answers = await asyncio.gather(*(read.row(event_id=uuid4()) for _ in range(4 * POOL)))
    assert answers == [None] * (4 * POOL)
    assert checked_out(engine) == 0


async def test_a_read_that_fails_gives_its_connection_back(engine: AsyncEngine) -> None:
    read = ReadPath(engine).prepare(_BY_ID)
    for _ in range(POOL + 1):
        with pytest.raises((exc.DBAPIError, asyncpg.DataError)):
            await read.row(event_id="not a uuid")
    assert checked_out(engine) == 0
    assert await read.row(event_id=uuid4()) is None
