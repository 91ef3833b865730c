"""A periodic scheduler: each job runs every ``interval`` seconds, one run at a time, and a
failing run is logged and tried again at the next tick rather than stopping the worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Periodic:
    name: str
    interval: float
    run: Callable[[], Awaitable[bool]]
    """Returns True when there may be more work right away (a full batch), to skip the wait."""


async def run_periodic(jobs: list[Periodic], stop: asyncio.Event) -> None:
    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(_loop(job, stop))


async def _loop(job: Periodic, stop: asyncio.Event) -> None:
    while not stop.is_set():
        more = False
        try:
            more = await job.run()
        except Exception:
            log.exception("periodic_job_failed", job=job.name)
        if not more:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=job.interval)
