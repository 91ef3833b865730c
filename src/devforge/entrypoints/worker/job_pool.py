"""A bounded pool of running jobs, fed by claims on a queue that leases work to one worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

import structlog

log = structlog.get_logger(__name__)

Job = TypeVar("Job", bound=Hashable)


def backoff(failures: int, *, first: float = 0.5, cap: float = 5.0) -> float:
    """Seconds to wait after ``failures`` failures in a row: doubling from ``first``, at most ``cap``."""
    return float(min(cap, first * 2 ** max(0, failures - 1)))


class JobPool(Generic[Job]):
    """Runs up to ``concurrency`` jobs at once. Rules:

    - It claims only as many jobs as it has free slots and starts each at once, so it never
      holds work it is not doing (nothing to hand back when it stops or dies).
    - It claims again when woken (``wake``: new work was relayed here), when a slot frees up
      after a claim that filled every slot, or every ``poll_seconds``.
    - A failing claim (the database is down) is logged and retried with backoff; a failing job
      is logged and left to its lease. Nothing but ``stop`` ends the pool.
    - On ``stop`` it claims nothing more and lets running jobs finish, for at most
      ``stop_timeout`` seconds; jobs still running then are cancelled (their transactions roll
      back and their leases hand them to another worker).
    """

    def __init__(
        self,
        claim: Callable[[int], Awaitable[list[Job]]],
        run: Callable[[Job], Awaitable[None]],
        *,
        concurrency: int,
        poll_seconds: float,
        stop_timeout: float = 30.0,
    ) -> None:
        self._claim, self._run = claim, run
        self._concurrency, self._poll, self._stop_timeout = concurrency, poll_seconds, stop_timeout
        self._running: dict[Job, asyncio.Task[None]] = {}
        self._woken = asyncio.Event()
        self._saturated = False

    def wake(self) -> None:
        self._woken.set()

    @property
    def running(self) -> int:
        return len(self._running)

    async def run_until(self, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            delay = self._poll
            free = self._concurrency - len(self._running)
            # Cleared even with no free slot: a wake while every slot is busy must not turn the
            # wait below into a busy loop (it spun until a job finished, each turn two new tasks,
            # the embedded worker's CPU on the API's loop). Nothing is lost: every slot is busy
            # only after a claim that filled them all, so the first job to finish wakes the pool.
            self._woken.clear()
            if free > 0:
                try:
                    jobs = await self._claim(free)
                except Exception as error:
                    failures += 1
                    delay = backoff(failures)
                    log.warning("job_claim_failed", error=f"{type(error).__name__}: {error}", failures=failures,
                                retry_in=delay)  # fmt: skip
                else:
                    if failures:
                        log.info("job_claims_recovered", after_failures=failures)
                        failures = 0
                    self._saturated = len(jobs) >= free
                    for job in jobs:
                        self._start(job)
            await self._idle(stop, delay)
        await self._drain()

    def _start(self, job: Job) -> None:
        if job in self._running:  # still running here from an earlier claim whose lease ran out
            return
        task = asyncio.create_task(self._guarded(job))
        self._running[job] = task
        task.add_done_callback(lambda _: self._finished(job))

    def _finished(self, job: Job) -> None:
        self._running.pop(job, None)
        if self._saturated:
            self._woken.set()

    async def _guarded(self, job: Job) -> None:
        try:
            await self._run(job)
        except Exception as error:
            log.warning("job_failed", job=repr(job), error=f"{type(error).__name__}: {error}")

    async def _idle(self, stop: asyncio.Event, seconds: float) -> None:
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._woken.wait())]
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await waiting

    async def _drain(self) -> None:
        running = list(self._running.values())
        if not running:
            return
        log.info("draining_jobs", running=len(running))
        _, late = await asyncio.wait(running, timeout=self._stop_timeout)
        for task in late:
            task.cancel()
        if late:
            log.warning("jobs_cancelled_at_stop", jobs=len(late))
            await asyncio.wait(late)
