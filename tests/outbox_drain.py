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
    rounds: the consumer posts it, then ``mail.send`` sends it."""
    worker, ran = WorkerRuntime(container), 0
    for _ in range(rounds):
        jobs = await relay(container)
        if not jobs:
            break
        for job in jobs:
            await worker.deliver_event(job)
        ran += len(jobs)
    return ran
