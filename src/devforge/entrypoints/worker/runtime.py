"""What a worker runs: the pool of event deliveries, the outbox relay and the periodic jobs,
until told to stop. Nothing but a signal stops it: a database or Redis outage is logged and
waited out (see ``JobPool`` and ``run_periodic``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from dishka import AsyncContainer

from devforge.application.billing.reconcile_unknown_checkouts import ReconcileUnknownCheckouts
from devforge.application.billing.resolve_unknown_refunds import ResolveUnknownRefunds
from devforge.application.billing.sandbox_checkout import ProviderWebhookDispatcher
from devforge.application.common.claim_deliveries import ClaimDueDeliveries, DeliveryJob
from devforge.application.common.deliver_event import DeliverEvent
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.application.licensing.announce_license_expiry import BATCH, AnnounceLicenseExpiry
from devforge.application.licensing.cull_dead_machines import CullDeadMachines
from devforge.bootstrap.consumers import CONSUMERS_BY_NAME
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.worker.job_pool import JobPool
from devforge.entrypoints.worker.scheduler import Periodic, run_periodic

log = structlog.get_logger(__name__)


class WorkerRuntime:
    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._pool: JobPool[DeliveryJob] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Returns once ``stop`` is set and the jobs already running have finished."""
        settings = await self._container.get(Settings)
        self._pool = JobPool(
            self.claim_deliveries,
            self.deliver_event,
            concurrency=settings.worker_concurrency,
            poll_seconds=settings.outbox_poll_seconds,
            stop_timeout=settings.worker_stop_seconds,
        )
        log.info("worker_started", profile=settings.profile, concurrency=settings.worker_concurrency)
        async with asyncio.TaskGroup() as group:
            group.create_task(self._pool.run_until(stop))
            group.create_task(run_periodic(self.periodic_jobs(settings), stop))
        log.info("worker_stopped")

    def periodic_jobs(self, settings: Settings) -> list[Periodic]:
        return [
            Periodic("relay_outbox", settings.outbox_poll_seconds, self.relay),
            Periodic("cull_dead_machines", 60.0, self.cull_dead_machines),
            Periodic("announce_license_expiry", 60.0, self.announce_license_expiry),
            Periodic("dispatch_sandbox_webhooks", 1.0, self.dispatch_sandbox_webhooks),
            Periodic("reconcile_unknown_checkouts", 60.0, self.reconcile_unknown_checkouts),
            Periodic("resolve_unknown_refunds", 60.0, self.resolve_unknown_refunds),
        ]

    async def cull_dead_machines(self) -> bool:
        """Frees the seats of heartbeat machines that stopped pinging (interval + grace)."""
        async with self._container() as scope:
            report = await (await scope.get(CullDeadMachines))()
        if report.machines_culled:
            log.info("machines_culled", licenses=report.licenses_seen, machines=report.machines_culled)
        return False

    async def announce_license_expiry(self) -> bool:
        """Sends "expiring soon" and "expired" once per license term, through the outbox."""
        async with self._container() as scope:
            report = await (await scope.get(AnnounceLicenseExpiry))()
        if report.announced:
            log.info("license_expiry_announced", licenses=report.announced)
        return report.candidates >= BATCH

    async def dispatch_sandbox_webhooks(self) -> bool:
        """The embedded payment sandbox posts the signed events it owes to our own webhook
        endpoint (retrying with backoff); with a real provider there is nothing to send."""
        dispatcher = await self._container.get(ProviderWebhookDispatcher)
        sent = await dispatcher.dispatch_due()
        if sent:
            log.info("sandbox_webhooks_dispatched", events=sent)
        return False

    async def reconcile_unknown_checkouts(self) -> bool:
        """Checkouts whose provider call timed out: the provider is asked, never called again blindly."""
        async with self._container() as scope:
            report = await (await scope.get(ReconcileUnknownCheckouts))()
        if report.found or report.cancelled:
            log.info("checkouts_reconciled", found=report.found, cancelled=report.cancelled)
        return False

    async def resolve_unknown_refunds(self) -> bool:
        """Refunds whose provider call timed out: asked again with the same idempotency key."""
        async with self._container() as scope:
            resolved = await (await scope.get(ResolveUnknownRefunds))()
        if resolved:
            log.info("refunds_resolved", refunds=resolved)
        return False

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
        consumer_type = CONSUMERS_BY_NAME.get(job.consumer)
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
