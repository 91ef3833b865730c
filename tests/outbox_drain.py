"""Drive the outbox the way a worker does: relay, claim what is due, deliver it, until nothing
is left that is due."""

from __future__ import annotations

from dishka import AsyncContainer

from devforge.application.common.claim_deliveries import ClaimDueDeliveries, DeliveryJob
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.entrypoints.worker.runtime import WorkerRuntime


async def relay(container: AsyncContainer) -> list[DeliveryJob]:
    """One relay tick, then every delivery due now, claimed as a worker claims them."""
    async with container() as scope:
        await (await scope.get(RelayOutbox))()
    async with container() as scope:
        return await (await scope.get(ClaimDueDeliveries))(10_000)


async def drain(container: AsyncContainer, rounds: int = 5) -> int:
    """Relay and deliver until a tick finds nothing due; the number of jobs run. Mail takes two
    rounds: the consumer posts it, then ``mail.send`` sends it. It runs on the caller's loop:
    an app whose lifespan runs jobs on ``container`` meanwhile (the API jobs at their default
    intervals) must not run on a loop of its own, as a test client's does, or the container's lock
    is taken from two loops at once (tests/integration/backup_drill.py's ``in_process``)."""
    worker, ran = WorkerRuntime(container), 0
    for _ in range(rounds):
        jobs = await relay(container)
        if not jobs:
            break
        for job in worker.batched(jobs):  # as the worker's lanes run them: a batch per batch consumer
            await worker.run_job(job)
        ran += len(jobs)
    return ran
