"""What a worker runs: the lanes of event deliveries, the outbox relay and the periodic jobs,
until told to stop. Nothing but a signal stops it: a database or Redis outage is logged and
waited out (see ``JobPool`` and ``run_periodic``)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from uuid import UUID

import structlog
from dishka import AsyncContainer

from devforge.application.common.claim_deliveries import ClaimDueDeliveries, DeliveryBatch, DeliveryJob
from devforge.application.common.consumers import handles_batches
from devforge.application.common.deliver_event import DeliverEvent
from devforge.application.common.deliver_event_batch import DeliverEventBatch
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.bootstrap.context import Contexts
from devforge.bootstrap.contexts import CONTEXTS
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.worker.job_pool import JobPool
from devforge.entrypoints.worker.scheduler import Periodic, run_periodic

log = structlog.get_logger(__name__)


BATCH_SIZE = 100
"""The most deliveries a batch consumer's lane claims and runs as one batch."""


class WorkerRuntime:
    """Runs the consumers and periodic jobs of ``contexts`` (the container's: pass the same list).

    Deliveries run in lanes, each a ``JobPool`` claiming for itself: one for every consumer that
    handles events one at a time (up to ``worker_concurrency`` deliveries at once, one job each),
    and one for each consumer that handles batches (``BatchConsumer``), which claims up to
    ``BATCH_SIZE`` of that consumer's due deliveries and runs them as one job, one batch at a
    time. A batch never takes a slot of the other consumers, so mail, webhooks and the rest
    run exactly as they would with no batch consumer at all."""

    def __init__(self, container: AsyncContainer, contexts: Contexts = CONTEXTS) -> None:
        self._container = container
        self._consumers = contexts.consumers
        self._jobs = contexts.periodic_jobs()
        self._batching = tuple(sorted(name for name, kind in self._consumers.items() if handles_batches(kind)))
        self._pools: list[JobPool[DeliveryJob] | JobPool[DeliveryJob | DeliveryBatch]] = []

    async def run(self, stop: asyncio.Event) -> None:
        """Returns once ``stop`` is set and the jobs already running have finished."""
        settings = await self._container.get(Settings)
        delivery = settings.delivery
        timing = {"poll_seconds": delivery.outbox_poll_seconds, "stop_timeout": delivery.worker_stop_seconds}
        self._pools = [
            JobPool(self.claim_deliveries, self.deliver_event, concurrency=delivery.worker_concurrency, **timing),
            *(
                JobPool(partial(self.claim_batch, name), self.run_job, concurrency=1, **timing)
                for name in self._batching
            ),
        ]
        log.info(
            "worker_started", profile=settings.profile, concurrency=delivery.worker_concurrency, batches=self._batching
        )
        async with asyncio.TaskGroup() as group:
            for pool in self._pools:
                group.create_task(pool.run_until(stop))
            group.create_task(run_periodic(self.periodic_jobs(settings), stop))
        log.info("worker_stopped")

    def periodic_jobs(self, settings: Settings) -> list[Periodic]:
        """The outbox relay, then every context's periodic jobs."""
        return [
            Periodic("relay_outbox", settings.delivery.outbox_poll_seconds, self.relay),
            *(Periodic(job.name, job.every(settings), partial(job.run, self._container)) for job in self._jobs),
        ]

    async def relay(self) -> bool:
        async with self._container() as scope:
            relay = await scope.get(RelayOutbox)
            report = await relay()
        if report.opened_deliveries:
            log.info("outbox_relayed", events=report.relayed_events, deliveries=report.opened_deliveries)
            for pool in self._pools:
                pool.wake()
        return report.relayed_events >= 100

    async def claim_deliveries(self, limit: int) -> list[DeliveryJob]:
        """Due deliveries of the consumers that take one event at a time, one job each."""
        async with self._container() as scope:
            return await (await scope.get(ClaimDueDeliveries))(limit, skipping=self._batching)

    async def claim_batch(self, consumer: str, slots: int) -> list[DeliveryJob | DeliveryBatch]:
        """Up to ``BATCH_SIZE`` due deliveries of one batch consumer per free slot, as one job."""
        async with self._container() as scope:
            jobs = await (await scope.get(ClaimDueDeliveries))(slots * BATCH_SIZE, only=(consumer,))
        return self.batched(jobs)

    def batched(self, jobs: list[DeliveryJob]) -> list[DeliveryJob | DeliveryBatch]:
        """The deliveries of one claim, a batch per consumer that handles batches (an analytics
        fact per activation is one insert of many rows, bench/README.md), one job each for the
        others."""
        single: list[DeliveryJob | DeliveryBatch] = []
        grouped: dict[str, list[UUID]] = {}
        for job in jobs:
            if job.consumer in self._batching:
                grouped.setdefault(job.consumer, []).append(job.event_id)
            else:
                single.append(job)
        for consumer_name, ids in grouped.items():
            single.append(
                DeliveryJob(ids[0], consumer_name) if len(ids) == 1 else DeliveryBatch(consumer_name, tuple(ids))
            )
        return single

    async def run_job(self, job: DeliveryJob | DeliveryBatch) -> None:
        if isinstance(job, DeliveryBatch):
            await self.deliver_batch(job)
        else:
            await self.deliver_event(job)

    async def deliver_batch(self, batch: DeliveryBatch) -> None:
        consumer_type = self._consumers[batch.consumer]
        async with self._container() as scope:
            deliver = await scope.get(DeliverEventBatch)
            outcomes = await deliver(await scope.get(consumer_type), batch.event_ids)
        counts = Counter(outcome.value for outcome in outcomes.values())
        log.info("events_delivered", consumer=batch.consumer, events=len(outcomes), **counts)

    async def deliver_event(self, job: DeliveryJob) -> None:
        consumer_type = self._consumers.get(job.consumer)
        async with self._container() as scope:
            deliver = await scope.get(DeliverEvent)
            if consumer_type is None:
                log.error("unknown_consumer", consumer=job.consumer, event_id=str(job.event_id))
                outcome = await deliver.give_up(job.consumer, job.event_id, f"no consumer named {job.consumer!r}")
            else:
                outcome = await deliver(await scope.get(consumer_type), job.event_id)
        log.info("event_delivered", consumer=job.consumer, event_id=str(job.event_id), outcome=outcome.value)


@asynccontextmanager
async def in_process_worker(container: AsyncContainer) -> AsyncIterator[None]:
    """The embedded profile's worker, living as long as the API process."""
    stop = asyncio.Event()
    task = asyncio.create_task(WorkerRuntime(container).run(stop))
    try:
        yield
    finally:
        stop.set()
        await task
