"""A periodic scheduler: each job runs every ``interval`` seconds, one run at a time. A failing
run (the database or Redis is down) never stops the worker: it is logged and tried again with
backoff (doubling from half a second, at most ``interval`` or 5 s, whichever is longer), and its
recovery is logged too."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from devforge.entrypoints.worker.job_pool import backoff

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
    failures = 0
    while not stop.is_set():
        more, wait = False, job.interval
        try:
            more = await job.run()
        except Exception as error:
            failures += 1
            wait = max(job.interval, backoff(failures))
            if failures == 1:
                log.exception("periodic_job_failed", job=job.name, retry_in=wait)
            else:
                log.warning("periodic_job_failed", job=job.name, failures=failures, retry_in=wait,
                            error=f"{type(error).__name__}: {error}")  # fmt: skip
        else:
            if failures:
                log.info("periodic_job_recovered", job=job.name, after_failures=failures)
                failures = 0
        if not more:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
