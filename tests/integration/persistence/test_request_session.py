"""The request's session: what a scope did not commit is rolled back when it ends, what it
committed stays, and either way its connection is back in the pool (the session provider closes
a session that holds no connection in place, and rolls one still in a transaction back)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer
from sqlalchemy import event as sqla_event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database


@asynccontextmanager
async def sql_container(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        settings = settings_for_tests(database_url=url)
        container = make_container(settings, SqlaPersistenceProvider(), base=memory_providers())
        try:
            yield container
        finally:
            await container.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def an_event() -> EventEnvelope:
    return EventEnvelope(uuid4(), "test.happened", datetime.now(UTC), {})


async def checked_out(container: AsyncContainer) -> int:
    pool = (await container.get(AsyncEngine)).pool
    return int(pool.checkedout())  # type: ignore[attr-defined]


async def stored(container: AsyncContainer, event: EventEnvelope) -> bool:
    async with container() as scope:
        return await (await scope.get(Outbox)).get(event.event_id) is not None


async def test_what_a_scope_committed_stays_and_its_connection_is_returned(backend: str, tmp_path: Path) -> None:
    async with sql_container(backend, tmp_path) as container:
        event = an_event()
        async with container() as scope:
            await (await scope.get(Outbox)).add([event])
            await (await scope.get(UnitOfWork)).commit()
        assert await checked_out(container) == 0
        assert await stored(container, event)


async def test_what_a_scope_left_uncommitted_is_rolled_back_when_it_ends(backend: str, tmp_path: Path) -> None:
    async with sql_container(backend, tmp_path) as container:
        event = an_event()
        async with container() as scope:
            await (await scope.get(Outbox)).add([event])
        assert await checked_out(container) == 0
        assert not await stored(container, event)


async def test_a_scope_that_commits_then_reads_rolls_the_read_back(backend: str, tmp_path: Path) -> None:
    """A read after the commit begins a transaction again: the scope's end closes that one too."""
    async with sql_container(backend, tmp_path) as container:
        first, second = an_event(), an_event()
        async with container() as scope:
            outbox = await scope.get(Outbox)
            await outbox.add([first])
            await (await scope.get(UnitOfWork)).commit()
            assert await outbox.get(first.event_id) is not None
            await outbox.add([second])
        assert await checked_out(container) == 0
        assert await stored(container, first)
        assert not await stored(container, second)


async def test_a_unit_that_wrote_nothing_begins_no_transaction_to_commit(backend: str, tmp_path: Path) -> None:
    """A repeat download writes nothing: its commit must not begin an empty transaction only to
    commit it. A unit that wrote commits as before."""
    async with sql_container(backend, tmp_path) as container:
        event = an_event()
        async with container() as scope:
            session = await scope.get(AsyncSession)
            begun: list[object] = []
            sqla_event.listen(session.sync_session, "after_transaction_create", lambda *_: begun.append(1))
            await (await scope.get(UnitOfWork)).commit()
            assert begun == []
            await (await scope.get(Outbox)).add([event])
            await (await scope.get(UnitOfWork)).commit()
            assert begun != []
        assert await checked_out(container) == 0
        assert await stored(container, event)
