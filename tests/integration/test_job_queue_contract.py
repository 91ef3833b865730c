"""The job queue contract, on taskiq's in-memory broker and on the Redis stream broker: every
enqueued job reaches its handler with its payload, and a stopping worker lets the job it is
running finish before it returns. On Redis the producer and the worker are separate brokers,
as they are separate processes in production."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from redis.asyncio import Redis
from taskiq import AsyncBroker
from taskiq_redis import RedisStreamBroker

from devforge.adapters.queue.taskiq_job_queue import (
    TaskiqJobQueue,
    TaskiqJobWorker,
    make_in_process_broker,
    make_redis_broker,
)
from devforge.application.common.job_queue import JobHandler
from tests.services import REDIS_URL, require_redis


@dataclass
class Brokers:
    producer: AsyncBroker
    consumer: AsyncBroker


@asynccontextmanager
async def open_brokers(kind: str) -> AsyncIterator[Brokers]:
    if kind == "memory":
        broker = make_in_process_broker()
        pair = Brokers(broker, broker)
    else:
        require_redis()
        queue_name = f"devforge:test:{uuid.uuid4().hex}"
        pair = Brokers(make_redis_broker(REDIS_URL, queue_name), make_redis_broker(REDIS_URL, queue_name))
    distinct = list({id(b): b for b in (pair.producer, pair.consumer)}.values())
    for each in distinct:
        await each.startup()
    try:
        yield pair
    finally:
        for each in distinct:
            await each.shutdown()
        if kind == "redis":
            async with Redis.from_url(REDIS_URL) as client:
                await client.delete(queue_name, f"autoclaim:devforge-workers:{queue_name}")


@pytest.fixture(params=["memory", "redis"])
async def brokers(request: pytest.FixtureRequest) -> AsyncIterator[Brokers]:
    async with open_brokers(request.param) as pair:
        yield pair


@asynccontextmanager
async def running_worker(
    broker: AsyncBroker, handlers: dict[str, JobHandler]
) -> AsyncIterator[tuple[asyncio.Event, asyncio.Task[None]]]:
    """A worker consuming ``broker`` in the background: its stop event and its ``run_until`` task."""
    worker = TaskiqJobWorker(broker)
    for job, handler in handlers.items():
        worker.register(job, handler)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run_until(stop))
    try:
        yield stop, running
    finally:
        stop.set()
        await returned(running)


async def returned(running: asyncio.Task[None], timeout: float = 10) -> None:
    done, _ = await asyncio.wait({running}, timeout=timeout)
    assert done, "run_until did not return after stop was set"
    running.result()


def recorder(into: list[dict[str, Any]]) -> JobHandler:
    async def handle(payload: dict[str, Any]) -> None:
        into.append(payload)

    return handle


async def eventually(condition: Callable[[], bool], timeout: float = 10) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_a_handler_receives_exactly_the_payload_enqueued(brokers: Brokers) -> None:
    received: list[dict[str, Any]] = []
    payload = {"event_id": str(uuid.uuid4()), "consumer": "identity.send_welcome_mail", "tries": [1, 2]}
    async with running_worker(brokers.consumer, {"deliver": recorder(received)}):
        await TaskiqJobQueue(brokers.producer).enqueue("deliver", payload)
        await eventually(lambda: len(received) == 1)
    assert received == [payload]


async def test_every_job_reaches_the_handler_of_its_name(brokers: Brokers) -> None:
    greetings: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    handlers = {"greet": recorder(greetings), "report": recorder(reports)}
    async with running_worker(brokers.consumer, handlers):
        queue = TaskiqJobQueue(brokers.producer)
        for n in range(10):
            await queue.enqueue("greet", {"n": n})
        for n in range(3):
            await queue.enqueue("report", {"n": n})
        await eventually(lambda: len(greetings) + len(reports) >= 13)
        await asyncio.sleep(0.1)  # nothing more, nothing twice
    assert sorted(p["n"] for p in greetings) == list(range(10))
    assert sorted(p["n"] for p in reports) == list(range(3))


async def test_stopping_lets_the_job_in_flight_finish_before_returning(brokers: Brokers) -> None:
    started = asyncio.Event()
    finished: list[dict[str, Any]] = []

    async def slow(payload: dict[str, Any]) -> None:
        started.set()
        await asyncio.sleep(0.5)
        finished.append(payload)

    async with running_worker(brokers.consumer, {"slow": slow}) as (stop, running):
        await TaskiqJobQueue(brokers.producer).enqueue("slow", {"job": "slow"})
        await asyncio.wait_for(started.wait(), timeout=10)
        stop.set()
        await asyncio.sleep(0.1)
        assert not running.done(), "run_until returned while a job was still running"
        await returned(running)
        assert finished == [{"job": "slow"}]


async def test_redis_jobs_wait_for_a_worker_and_are_acknowledged_once_handled() -> None:
    received: list[dict[str, Any]] = []
    async with open_brokers("redis") as brokers:
        await TaskiqJobQueue(brokers.producer).enqueue("deliver", {"queued": "before the worker started"})
        async with running_worker(brokers.consumer, {"deliver": recorder(received)}):
            await eventually(lambda: len(received) == 1)
        consumer = brokers.consumer
        assert isinstance(consumer, RedisStreamBroker)
        async with Redis.from_url(REDIS_URL) as client:
            pending = await client.xpending(consumer.queue_name, consumer.consumer_group_name)
    assert received == [{"queued": "before the worker started"}]
    assert pending["pending"] == 0
