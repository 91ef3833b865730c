"""The request path's Redis circuit breaker with a background probe: once open, no call waits on
Redis until a probe has seen it answer; a failed probe keeps it open for another window."""

from __future__ import annotations

import asyncio

import pytest
import redis.exceptions

from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.application.common.unavailable import ServiceUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Probe:
    """Redis's PING as the breaker sees it: hangs until the test answers it."""

    def __init__(self) -> None:
        self.calls = 0
        self.answer: asyncio.Future[None] | None = None

    async def __call__(self) -> None:
        self.calls += 1
        self.answer = asyncio.get_running_loop().create_future()
        await self.answer


async def fail_once(breaker: RedisCircuitBreaker) -> None:
    with pytest.raises(ServiceUnavailable):
        async with breaker.guard():
            raise redis.exceptions.ConnectionError("refused")


async def calls_through(breaker: RedisCircuitBreaker) -> bool:
    try:
        async with breaker.guard():
            return True
    except ServiceUnavailable:
        return False


async def test_after_the_window_calls_are_refused_at_once_while_the_probe_asks_redis() -> None:
    clock, probe = Clock(), Probe()
    breaker = RedisCircuitBreaker(5.0, clock, probe=probe)
    await fail_once(breaker)
    assert not await calls_through(breaker) and probe.calls == 0  # open: nobody asks

    clock.now += 5.1
    assert not await calls_through(breaker)  # starts the probe, is not itself the probe
    await asyncio.sleep(0)
    assert probe.calls == 1 and breaker.is_open
    assert [await calls_through(breaker) for _ in range(3)] == [False, False, False]
    assert probe.calls == 1  # one probe at a time

    assert probe.answer is not None
    probe.answer.set_result(None)  # Redis answers
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert not breaker.is_open
    assert await calls_through(breaker)


@pytest.mark.parametrize(
    "failure",
    [redis.exceptions.TimeoutError("hung"), redis.exceptions.BusyLoadingError("loading"), RuntimeError("other")],
)
async def test_a_failed_probe_opens_the_circuit_for_another_window(failure: Exception) -> None:
    clock, probe = Clock(), Probe()
    breaker = RedisCircuitBreaker(5.0, clock, probe=probe)
    await fail_once(breaker)
    clock.now += 5.1
    assert not await calls_through(breaker)
    await asyncio.sleep(0)
    assert probe.answer is not None
    probe.answer.set_exception(failure)
    await asyncio.sleep(0)
    await asyncio.sleep(0)

    assert breaker.is_open
    clock.now += 4.9
    assert not await calls_through(breaker) and probe.calls == 1  # still within the new window
    clock.now += 0.2
    assert not await calls_through(breaker)
    await asyncio.sleep(0)
    assert probe.calls == 2


async def test_without_a_probe_the_first_call_after_the_window_is_the_probe() -> None:
    clock = Clock()
    breaker = RedisCircuitBreaker(5.0, clock)
    await fail_once(breaker)
    clock.now += 5.1
    assert await calls_through(breaker)
    assert not breaker.is_open
