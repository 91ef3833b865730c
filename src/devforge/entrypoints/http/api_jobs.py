"""The jobs every API process runs beside its requests (``api_jobs`` of each context): every
few seconds, and once more on the way out, so a process that stops loses nothing it counted."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from functools import partial

import structlog
from dishka import AsyncContainer

from devforge.bootstrap.context import PeriodicJob
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.worker.scheduler import Periodic, run_periodic

log = structlog.get_logger(__name__)


@contextlib.asynccontextmanager
async def running_api_jobs(
    container: AsyncContainer, settings: Settings, jobs: Sequence[PeriodicJob]
) -> AsyncIterator[None]:
    stop = asyncio.Event()
    periodic = [Periodic(job.name, job.every(settings), partial(job.run, container)) for job in jobs]
    task = asyncio.create_task(run_periodic(periodic, stop))
    try:
        yield
    finally:
        stop.set()
        await task
        for job in jobs:
            try:
                await job.run(container)
            except Exception:
                log.exception("api_job_failed_on_shutdown", job=job.name)
