"""The job queue contract: the delivery ledger is the queue (``ClaimDueDeliveries`` leases due
deliveries) and a ``JobPool`` runs what it claims. The same rules hold on the ledger's in-memory,
SQLite and PostgreSQL adapters: every due delivery reaches a handler; a stopping pool lets the
jobs it runs finish and holds nothing else; a dead worker's jobs are claimed again once their
short lease ends; a failing claim never stops the pool. On PostgreSQL, two pools on two engines
(two worker processes) never run the same delivery at once, and a running delivery is skipped by
other claims even after its lease has run out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Literal
from uuid import uuid4

import pytest
from dishka import AsyncContainer
from structlog.testing import capture_logs

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.claim_deliveries import ClaimDueDeliveries, DeliveryJob
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.entrypoints.worker.job_pool import JobPool
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database

LEASE = timedelta(seconds=5)


@asynccontextmanager
async def ledger_containers(backend: str, folder: Path, clock: ManualClock, count: int = 1) -> AsyncIterator[
    list[AsyncContainer]
]:  # fmt: skip
    """``count`` containers on one ledger: on SQL each has its own engine, as separate workers do."""
    if backend == "memory":
        container = make_container(settings_for_tests(), manual_clock_provider(clock), base=memory_providers())
        yield [container] * count
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        settings = settings_for_tests(database_url=url, delivery_lease_seconds=LEASE.total_seconds())
        containers = [
            make_container(settings, SqlaPersistenceProvider(), manual_clock_provider(clock), base=memory_providers())
            for _ in range(count)
        ]
        try:
            yield containers
        finally:
            for container in containers:
                await container.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def open_deliveries(container: AsyncContainer, clock: ManualClock, count: int) -> list[DeliveryJob]:
    event = EventEnvelope(uuid4(), "test.happened", clock.now(), {})
    opened = [
        Delivery(event.event_id, f"consumer-{n:03}", DeliveryStatus.PENDING, 0, clock.now()) for n in range(count)
    ]
    async with container() as scope:
        await (await scope.get(Outbox)).add([event])
        await (await scope.get(DeliveryLedger)).open(opened)
        await (await scope.get(UnitOfWork)).commit()
    return [DeliveryJob(d.event_id, d.consumer) for d in opened]


def claimer(container: AsyncContainer) -> Callable[[int], Awaitable[list[DeliveryJob]]]:
    async def claim(limit: int) -> list[DeliveryJob]:
        async with container() as scope:
            return await (await scope.get(ClaimDueDeliveries))(limit)

    return claim


async def finish(container: AsyncContainer, job: DeliveryJob) -> None:
    """What ``DeliverEvent`` does around a consumer: lock the row, mark it DONE, commit."""
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        delivery = await ledger.get(job.event_id, job.consumer, for_update=True)
        assert delivery is not None
        delivery.succeed(delivery.next_attempt_at)
        await ledger.save(delivery)
        await (await scope.get(UnitOfWork)).commit()


async def statuses(container: AsyncContainer, jobs: list[DeliveryJob]) -> list[DeliveryStatus]:
    async with container() as scope:
        ledger = await scope.get(DeliveryLedger)
        found = [await ledger.get(job.event_id, job.consumer) for job in jobs]
    return [d.status for d in found if d is not None]


async def eventually(condition: Callable[[], bool], timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


@asynccontextmanager
async def running(pool: JobPool[DeliveryJob]) -> AsyncIterator[tuple[asyncio.Event, asyncio.Task[None]]]:
    stop = asyncio.Event()
    task = asyncio.create_task(pool.run_until(stop))
    try:
        yield stop, task
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)


async def test_every_due_delivery_reaches_a_handler_exactly_once(backend: str, tmp_path: Path) -> None:
    clock, ran = ManualClock(), list[DeliveryJob]()
    async with ledger_containers(backend, tmp_path, clock) as [container]:
        jobs = await open_deliveries(container, clock, 30)

        async def handle(job: DeliveryJob) -> None:
            ran.append(job)
            await finish(container, job)

        pool = JobPool(claimer(container), handle, concurrency=4, poll_seconds=0.05)
        async with running(pool):
            await eventually(lambda: len(ran) >= len(jobs))
            await asyncio.sleep(0.2)  # nothing more, nothing twice
        assert sorted(ran, key=lambda j: j.consumer) == jobs
        assert await statuses(container, jobs) == [DeliveryStatus.DONE] * len(jobs)


async def test_a_stopping_pool_lets_its_jobs_finish_and_leaves_the_rest_due_for_others(
    backend: str, tmp_path: Path
) -> None:
    clock, started, finished = ManualClock(), asyncio.Event(), list[DeliveryJob]()
    async with ledger_containers(backend, tmp_path, clock) as [container]:
        jobs = await open_deliveries(container, clock, 10)

        async def slow(job: DeliveryJob) -> None:
            started.set()
            await asyncio.sleep(0.5)
            await finish(container, job)
            finished.append(job)

        pool = JobPool(claimer(container), slow, concurrency=2, poll_seconds=0.05)
        async with running(pool) as (stop, task):
            await asyncio.wait_for(started.wait(), timeout=10)
            stop.set()
            await asyncio.sleep(0.1)
            assert not task.done(), "the pool returned while its jobs were still running"
            await asyncio.wait_for(task, timeout=10)
        assert len(finished) == 2
        # it held nothing it was not running: the rest are due at once for any other worker
        async with container() as scope:
            rest = await (await scope.get(ClaimDueDeliveries))(100)
        assert len(rest) == len(jobs) - 2


async def test_a_dead_workers_jobs_are_claimed_again_once_their_lease_ends(backend: str, tmp_path: Path) -> None:
    clock, ran = ManualClock(), list[DeliveryJob]()
    async with ledger_containers(backend, tmp_path, clock) as [container]:
        jobs = await open_deliveries(container, clock, 3)
        assert sorted(await claimer(container)(10), key=lambda j: j.consumer) == jobs  # a worker claims, then dies

        async def handle(job: DeliveryJob) -> None:
            ran.append(job)
            await finish(container, job)

        pool = JobPool(claimer(container), handle, concurrency=4, poll_seconds=0.05)
        async with running(pool):
            await asyncio.sleep(0.3)
            assert ran == []  # still leased to the dead worker
            clock.advance(LEASE)
            await eventually(lambda: len(ran) == len(jobs))
        assert await statuses(container, jobs) == [DeliveryStatus.DONE] * len(jobs)


async def test_a_failing_claim_is_logged_and_retried_and_never_stops_the_pool() -> None:
    outage, ran = {"left": 3}, list[str]()

    async def claim(limit: int) -> list[str]:
        if outage["left"]:
            outage["left"] -= 1
            raise ConnectionRefusedError("the database is down")
        return [] if ran else ["job"]

    async def handle(job: str) -> None:
        ran.append(job)

    pool: JobPool[str] = JobPool(claim, handle, concurrency=2, poll_seconds=0.05)
    with capture_logs() as logs:
        stop = asyncio.Event()
        task = asyncio.create_task(pool.run_until(stop))
        await eventually(lambda: ran == ["job"], timeout=15)
        assert not task.done()
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    events = [entry["event"] for entry in logs]
    assert events.count("job_claim_failed") == 3 and "job_claims_recovered" in events


class CountedStop(asyncio.Event):
    """The pool's stop event, counting the pool's turns: it waits on it once a turn."""

    def __init__(self) -> None:
        super().__init__()
        self.waits = 0

    async def wait(self) -> Literal[True]:
        self.waits += 1
        return await super().wait()


async def test_a_wake_while_every_slot_is_busy_waits_for_a_slot_and_then_claims() -> None:
    """Relayed work wakes the pool whatever it runs; with every slot busy it must sleep until a
    job finishes (it spun instead, two new tasks a turn, the embedded API's loop), then claim."""
    queue, ran, release = ["first", "second"], list[str](), asyncio.Event()

    async def claim(limit: int) -> list[str]:
        taken = queue[:limit]
        del queue[:limit]
        return taken

    async def handle(job: str) -> None:
        ran.append(job)
        if job == "first":
            await release.wait()

    pool: JobPool[str] = JobPool(claim, handle, concurrency=1, poll_seconds=30)
    stop = CountedStop()
    task = asyncio.create_task(pool.run_until(stop))
    await eventually(lambda: ran == ["first"])
    turns = stop.waits
    for _ in range(5):
        pool.wake()
        await asyncio.sleep(0.02)
    assert stop.waits - turns <= 5, f"{stop.waits - turns} turns while its one slot was busy"
    release.set()
    await eventually(lambda: ran == ["first", "second"])  # the wake was not lost: claimed once free
    stop.set()
    await asyncio.wait_for(task, timeout=5)


async def test_two_workers_on_postgres_never_run_the_same_delivery(tmp_path: Path) -> None:
    clock, ran = ManualClock(), list[tuple[int, DeliveryJob]]()
    async with ledger_containers("postgres", tmp_path, clock, count=2) as containers:
        jobs = await open_deliveries(containers[0], clock, 60)

        def handler(worker: int) -> Callable[[DeliveryJob], Awaitable[None]]:
            async def handle(job: DeliveryJob) -> None:
                ran.append((worker, job))
                await asyncio.sleep(0.01)
                await finish(containers[worker], job)

            return handle

        pools = [JobPool(claimer(c), handler(n), concurrency=5, poll_seconds=0.02) for n, c in enumerate(containers)]
        async with running(pools[0]), running(pools[1]):
            await eventually(lambda: len(ran) >= len(jobs))
            await asyncio.sleep(0.2)
    assert sorted((job for _, job in ran), key=lambda j: j.consumer) == jobs
    assert {worker for worker, _ in ran} == {0, 1}  # both took a share


async def test_a_running_delivery_is_skipped_by_other_claims_even_past_its_lease(tmp_path: Path) -> None:
    clock = ManualClock()
    async with ledger_containers("postgres", tmp_path, clock, count=2) as (first, second):
        [job] = await open_deliveries(first, clock, 1)
        assert await claimer(first)(1) == [job]
        async with first() as scope:  # the delivery runs: its row is locked until it commits
            ledger = await scope.get(DeliveryLedger)
            assert await ledger.get(job.event_id, job.consumer, for_update=True) is not None
            clock.advance(LEASE * 3)
            began = time.monotonic()
            assert await claimer(second)(10) == []  # skipped, not waited for
            assert time.monotonic() - began < 2
        assert await claimer(second)(10) == [job]  # its transaction ended without DONE: taken again
