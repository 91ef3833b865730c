"""Drive the outbox the way a worker does: relay, then deliver every job, until nothing is left
that is due."""

from __future__ import annotations

from dishka import AsyncContainer

from devforge.adapters.memory.job_queue import InMemoryJobQueue
from devforge.application.common.relay_outbox import DELIVER_EVENT_JOB, RelayOutbox
from devforge.entrypoints.worker.runtime import WorkerRuntime


async def relay(container: AsyncContainer) -> list[dict[str, str]]:
    """One relay tick: the deliver-event jobs it enqueued."""
    queue = await container.get(InMemoryJobQueue)
    queue.jobs.clear()
    async with container() as scope:
        await (await scope.get(RelayOutbox))()
    return [payload for job, payload in queue.jobs if job == DELIVER_EVENT_JOB]


async def drain(container: AsyncContainer, rounds: int = 5) -> int:
    """Relay and deliver until a tick enqueues nothing; the number of jobs run."""
    worker, ran = WorkerRuntime(container), 0
    for _ in range(rounds):
        jobs = await relay(container)
        if not jobs:
            break
        for job in jobs:
            await worker.deliver_event(job)
        ran += len(jobs)
    return ran
