"""A new context is its own files plus one line in the list of contexts.

The throwaway context (``tests/integration/throwaway_context/``: one route, one permission, one
consumer, one periodic job, one table) is added with one line, and is then wired into the app,
the worker and the containers, in memory and on SQL, without a change anywhere in ``src``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.application.common.claim_deliveries import ClaimDueDeliveries
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.worker.runtime import WorkerRuntime
from tests.conftest import settings_for_tests
from tests.integration.backends import sqlite_database
from tests.integration.http.authentication_steps import bearer, log_in, register
from tests.integration.throwaway_context import context as throwaway
from tests.integration.throwaway_context.adapters import throwaway_metadata
from tests.integration.throwaway_context.application import Pings, PingTally
from tests.integration.throwaway_context.published import PingedV1

WITH_THROWAWAY = CONTEXTS.including(throwaway.CONTEXT)  # the one line


@pytest.fixture(params=["memory", "sqlite"])
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    """The in-memory container, or the embedded profile's own on a SQLite file."""
    if request.param == "memory":
        built = make_container(settings_for_tests(), base=memory_providers(WITH_THROWAWAY), contexts=WITH_THROWAWAY)
        yield built
        await built.close()
        return
    async with sqlite_database(tmp_path) as url:
        engine = create_async_engine(url)
        async with engine.begin() as connection:  # the context's own migration, in a real context
            await connection.run_sync(throwaway_metadata.create_all)
        await engine.dispose()
        settings = settings_for_tests(database_url=url, data_dir=str(tmp_path / "var"))
        built = make_container(settings, contexts=WITH_THROWAWAY)
        yield built
        await built.close()


async def test_the_route_the_consumer_and_the_periodic_job_are_wired(container: AsyncContainer) -> None:
    settings = await container.get(type(settings_for_tests()))
    worker = WorkerRuntime(container, WITH_THROWAWAY)
    await register(container, "dev@example.com", Role.DEVELOPER)
    await register(container, "buyer@example.com", Role.CUSTOMER)
    async with AsyncTestClient(app=create_app(container, settings, contexts=WITH_THROWAWAY)) as client:
        developer = bearer((await log_in(client, "dev@example.com")).json()["accessToken"])
        customer = bearer((await log_in(client, "buyer@example.com")).json()["accessToken"])
        refused = await client.post("/api/throwaway/pings", json={"source": "editor"}, headers=customer)
        assert refused.status_code == 403, refused.text  # the role table holds pings:send for developers only
        answer = await client.post("/api/throwaway/pings", json={"source": "editor"}, headers=developer)
        assert answer.status_code == 202, answer.text
        assert "/api/throwaway/pings" in (await client.get("/schema/openapi.json")).json()["paths"]

        async with container() as scope:
            await (await scope.get(RelayOutbox))()
        async with container() as scope:
            jobs = await (await scope.get(ClaimDueDeliveries))(100)
        pings = [job for job in jobs if job.consumer == "throwaway.write_ping_down"]
        assert len(pings) == 1
        await worker.deliver_event(pings[0])
        async with container() as scope:
            assert await (await scope.get(Pings)).count() == 1  # type: ignore[type-abstract]

        tally = {job.name: job for job in worker.periodic_jobs(settings)}["tally_pings"]
        await tally.run()
        assert (await container.get(PingTally)).last == 1


async def test_without_its_line_the_context_is_nowhere() -> None:
    settings = settings_for_tests()
    async with AsyncTestClient(app=create_app(make_container(settings), settings)) as client:
        assert (await client.post("/api/throwaway/pings", json={"source": "editor"})).status_code == 404
    assert "throwaway.write_ping_down" not in CONTEXTS.consumers
    assert CONTEXTS.subscriptions().consumers_of(PingedV1.NAME) == []
    assert "tally_pings" not in {job.name for job in CONTEXTS.periodic_jobs()}
    assert "pings:send" not in CONTEXTS.role_table().names
    assert WITH_THROWAWAY.subscriptions().consumers_of(PingedV1.NAME) == ["throwaway.write_ping_down"]
