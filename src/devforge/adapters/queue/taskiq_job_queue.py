from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog
from taskiq import AckableMessage, AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker
from taskiq.receiver import Receiver
from taskiq_redis import RedisStreamBroker

from devforge.application.common.job_queue import JobHandler

log = structlog.get_logger(__name__)


def make_in_process_broker() -> InMemoryBroker:
    return InMemoryBroker(max_async_tasks=20)


def make_redis_broker(url: str, queue_name: str = "devforge:jobs") -> RedisStreamBroker:
    """Unacknowledged jobs of a worker that died are claimed by another after ``idle_timeout``."""
    return _StoppableRedisStreamBroker(
        url, queue_name=queue_name, consumer_group_name="devforge-workers", idle_timeout=60_000
    )


class _StoppableRedisStreamBroker(RedisStreamBroker):
    """A stopping worker cancels its read in flight and waits for it to end. redis-py wraps socket
    writes in ``asyncio.wait_for``, which on Python 3.11 can swallow that cancellation (CPython
    gh-86296): the read then loops forever and the worker never stops. So each read runs in its own
    task, cancelled again until it has ended."""

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        messages = super().listen()
        try:
            while True:
                read = asyncio.ensure_future(anext(messages))
                try:
                    await asyncio.wait({read})
                except asyncio.CancelledError:
                    while not read.done():
                        read.cancel()
                        await asyncio.wait({read}, timeout=0.1)
                    if read.cancelled():
                        raise
                    # The read ended with a message as we stopped: hand it over (taskiq still runs it).
                try:
                    message = read.result()
                except StopAsyncIteration:
                    return
                yield message
        finally:
            await messages.aclose()


class TaskiqJobQueue:
    """Producer side: enqueue by job name; any process can enqueue, only workers consume."""

    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue(self, job: str, payload: dict[str, Any]) -> None:
        kicker: AsyncKicker[[dict[str, Any]], None] = AsyncKicker(task_name=job, broker=self._broker, labels={})
        await kicker.kiq(payload)


class TaskiqJobWorker:
    """Consumer side. With the in-memory broker a job runs in this process as soon as it is
    enqueued; with Redis it is read from the stream and acknowledged once handled."""

    def __init__(self, broker: AsyncBroker, concurrency: int = 20) -> None:
        self._broker, self._concurrency = broker, concurrency

    def register(self, job: str, handler: JobHandler) -> None:
        async def run(payload: dict[str, Any]) -> None:
            structlog.contextvars.bind_contextvars(job=job)
            try:
                await handler(payload)
            finally:
                structlog.contextvars.unbind_contextvars("job")

        self._broker.register_task(run, task_name=job)

    async def run_until(self, stop: asyncio.Event) -> None:
        if isinstance(self._broker, InMemoryBroker):
            await stop.wait()
            await self._broker.wait_all()
            return
        self._broker.is_worker_process = True
        with ThreadPoolExecutor(max_workers=2) as executor:
            receiver = Receiver(
                broker=self._broker, executor=executor, validate_params=False, max_async_tasks=self._concurrency
            )
            # Setting ``stop`` stops the prefetcher; the receiver then waits for running jobs.
            await receiver.listen(stop)
        log.info("worker_drained")
