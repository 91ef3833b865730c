"""The worker's scheduler frees the seats of heartbeat machines that went silent."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.application.licensing.get_license import GetLicense
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.worker.runtime import WorkerRuntime
from tests.unit.licensing.use_case_steps import activate, world


async def test_the_worker_runs_the_cull_every_minute_and_it_frees_silent_machines(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    runtime = WorkerRuntime(memory_container)
    jobs = {job.name: job for job in runtime.periodic_jobs(await memory_container.get(Settings))}
    assert jobs["cull_dead_machines"].interval == 60.0

    w = await world(memory_container, heartbeat_required=True, heartbeat_interval=timedelta(minutes=10))
    await activate(memory_container, w.key, "silent")
    clock.advance(timedelta(minutes=30))
    await jobs["cull_dead_machines"].run()
    async with memory_container() as scope:
        view = await (await scope.get(GetLicense))(w.customer, key=w.key)
    assert [m.fingerprint for m in view.machines if m.status == "ACTIVE"] == []
