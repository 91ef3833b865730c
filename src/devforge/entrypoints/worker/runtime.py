"""What a worker runs: the pool of event deliveries, the outbox relay and the periodic jobs,
until told to stop. Nothing but a signal stops it: a database or Redis outage is logged and
waited out (see ``JobPool`` and ``run_periodic``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import structlog
from dishka import AsyncContainer

from devforge.application.common.claim_deliveries import ClaimDueDeliveries, DeliveryJob
from devforge.application.common.deliver_event import DeliverEvent
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.bootstrap.context import Contexts
from devforge.bootstrap.contexts import CONTEXTS
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.worker.job_pool import JobPool
from devforge.entrypoints.worker.scheduler import Periodic, run_periodic

log = structlog.get_logger(__name__)


class WorkerRuntime:
    """Runs the consumers and periodic jobs of ``contexts`` (the container's: pass the same list)."""

    def __init__(self, container: AsyncContainer, contexts: Contexts = CONTEXTS) -> None:
        self._container = container
        self._consumers = contexts.consumers
        self._jobs = contexts.periodic_jobs()
        self._pool: JobPool[DeliveryJob] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Returns once ``stop`` is set and the jobs already running have finished."""
        settings = await self._container.get(Settings)
        self._pool = JobPool(
            self.claim_deliveries,
            self.deliver_event,
            concurrency=settings.delivery.worker_concurrency,
            poll_seconds=settings.delivery.outbox_poll_seconds,
            stop_timeout=settings.delivery.worker_stop_seconds,
        )
        log.info("worker_started", profile=settings.profile, concurrency=settings.delivery.worker_concurrency)
        async with asyncio.TaskGroup() as group:
            group.create_task(self._pool.run_until(stop))
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
            if self._pool is not None:
                self._pool.wake()
        return report.relayed_events >= 100

    async def claim_deliveries(self, limit: int) -> list[DeliveryJob]:
        async with self._container() as scope:
            return await (await scope.get(ClaimDueDeliveries))(limit)

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
