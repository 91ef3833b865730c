"""The list of contexts is the one place the system is wired from: every table, consumer and
periodic job belongs to exactly one context, and each profile's container provides every
consumer it lists."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.persistence.tables import metadata
from devforge.application.common.send_queued_mail import WhenMailQueuedSendIt
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.context import Context, PeriodicJob
from devforge.bootstrap.contexts import CONTEXTS
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests


def test_every_table_belongs_to_exactly_one_context() -> None:
    owners: dict[str, list[str]] = {}
    for context in CONTEXTS:
        for table in context.table_names():
            owners.setdefault(table, []).append(context.name)
    assert {table: names for table, names in owners.items() if len(names) > 1} == {}
    assert set(metadata.tables) == set(owners)


def test_context_names_and_periodic_job_names_are_unique() -> None:
    names = [context.name for context in CONTEXTS]
    jobs = [job.name for job in CONTEXTS.periodic_jobs()]
    assert len(names) == len(set(names))
    assert len(jobs) == len(set(jobs))


def test_two_consumers_with_one_name_are_refused() -> None:
    """Deliveries are recorded by consumer name: two consumers of one name would share them."""

    class SendsMailToo(WhenMailQueuedSendIt):
        pass

    with pytest.raises(ValueError, match=r"two consumers are named 'mail\.send'"):
        CONTEXTS.including(Context(name="copycat", consumers=(SendsMailToo,)))


@pytest.mark.parametrize("profile", ["memory", "embedded"])
async def test_each_container_provides_every_consumer_its_contexts_list(profile: str, tmp_path: Path) -> None:
    settings = settings_for_tests(data_dir=str(tmp_path), database_url=f"sqlite+aiosqlite:///{tmp_path / 'db'}")
    container = make_container(settings, base=memory_providers() if profile == "memory" else None)
    try:
        async with container() as scope:
            for name, consumer in CONTEXTS.consumers.items():
                assert (await scope.get(consumer)).name == name
    finally:
        await container.close()


async def test_every_api_process_runs_the_contexts_api_jobs_and_once_more_as_it_stops() -> None:
    """What a process counts in memory (licensing's validations) is written on a timer and on
    the way out, so a process that stops loses nothing it counted."""
    runs: list[str] = []

    async def count(_: AsyncContainer) -> bool:
        runs.append("run")
        return False

    counting = CONTEXTS.including(Context(name="counting", api_jobs=(PeriodicJob("count", 3600, count),)))
    settings = settings_for_tests()
    container = make_container(settings, base=memory_providers(counting), contexts=counting)
    async with AsyncTestClient(app=create_app(container, settings, contexts=counting)):
        for _ in range(100):
            if runs:
                break
            await asyncio.sleep(0.01)
        assert runs == ["run"]  # at start; the next would be an hour later
    assert runs == ["run", "run"]  # and once more as the process stops
