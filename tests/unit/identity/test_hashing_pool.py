"""The password-hashing pool: at most ``workers`` hashes at once, the rest queued in arrival
order, a queued hash whose caller went away never runs. Counted with real threads blocked on
gates the test opens, never timed."""

from __future__ import annotations

import asyncio
import threading

import pytest

from devforge.adapters.security.argon2_password_hasher import Argon2PasswordHasher
from devforge.adapters.security.hashing_pool import HashingPool
from devforge.application.common.unavailable import ServiceUnavailable

WAIT = 30.0  # only a ceiling for a broken pool to fail instead of hanging; nothing is timed


class GatedWork:
    """Jobs that say when they start and then hold their thread until the test opens their gate."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0
        self.most_at_once = 0
        self.started: list[int] = []
        self.gates: dict[int, threading.Event] = {}
        self._start = threading.Condition(self._lock)

    def job(self, number: int) -> int:
        gate = self.gates.setdefault(number, threading.Event())
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.started.append(number)
            self._start.notify_all()
        gate.wait(WAIT)
        with self._lock:
            self.running -= 1
        return number

    def release(self, number: int) -> None:
        self.gates.setdefault(number, threading.Event()).set()

    async def until_started(self, count: int) -> None:
        def wait() -> None:
            with self._start:
                assert self._start.wait_for(lambda: len(self.started) >= count, WAIT)

        await asyncio.to_thread(wait)


async def test_at_most_workers_hashes_run_at_once_and_the_rest_start_in_arrival_order() -> None:
    pool, work = HashingPool(workers=2), GatedWork()
    for number in range(8):
        work.gates[number] = threading.Event()
    jobs = [asyncio.ensure_future(pool.run(work.job, number)) for number in range(8)]
    await work.until_started(2)
    for number in range(8):  # each finishing job lets exactly one queued job start
        work.release(number)
        assert await jobs[number] == number
    assert work.most_at_once == 2
    assert work.started == list(range(8))
    pool.close()


async def test_a_queued_hash_whose_caller_went_away_never_runs() -> None:
    pool, work = HashingPool(workers=1), GatedWork()
    first = asyncio.ensure_future(pool.run(work.job, 1))
    await work.until_started(1)
    abandoned = asyncio.ensure_future(pool.run(work.job, 2))
    await asyncio.sleep(0)  # it is queued behind the first
    abandoned.cancel()
    with pytest.raises(asyncio.CancelledError):
        await abandoned
    work.release(1)
    work.release(3)
    assert await first == 1
    assert await pool.run(work.job, 3) == 3  # queued after the abandoned one: it would have run first
    assert work.started == [1, 3]
    pool.close()


async def test_past_the_queue_bound_a_hash_is_refused_at_once_and_a_freed_place_admits_again() -> None:
    pool, work = HashingPool(workers=1, max_waiting=2), GatedWork()
    running = asyncio.ensure_future(pool.run(work.job, 1))
    await work.until_started(1)
    waiting = [asyncio.ensure_future(pool.run(work.job, number)) for number in (2, 3)]
    await asyncio.sleep(0)
    assert pool.in_flight == 3
    with pytest.raises(ServiceUnavailable) as refused:
        await pool.run(work.job, 4)
    assert refused.value.retry_after_seconds == 1
    with pytest.raises(ServiceUnavailable):
        pool.ensure_room()  # what a use case asks before any other work
    assert 4 not in work.gates  # refused before it was queued: it never ran
    work.release(1)
    assert await running == 1
    work.release(5)
    pool.ensure_room()
    admitted = asyncio.ensure_future(pool.run(work.job, 5))  # the place the first one left
    for number in (2, 3):
        work.release(number)
    assert [await job for job in waiting] == [2, 3]
    assert await admitted == 5
    assert pool.in_flight == 0
    pool.close()


async def test_a_cancelled_waiting_hash_gives_its_place_back() -> None:
    pool, work = HashingPool(workers=1, max_waiting=1), GatedWork()
    running = asyncio.ensure_future(pool.run(work.job, 1))
    await work.until_started(1)
    abandoned = asyncio.ensure_future(pool.run(work.job, 2))
    await asyncio.sleep(0)
    abandoned.cancel()
    with pytest.raises(asyncio.CancelledError):
        await abandoned
    assert pool.in_flight == 1
    work.release(1)
    work.release(3)
    next_one = asyncio.ensure_future(pool.run(work.job, 3))
    assert await running == 1
    assert await next_one == 3
    assert work.started == [1, 3]
    pool.close()


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        HashingPool(workers=0)


async def test_the_argon2_hasher_hashes_on_the_pool_it_is_given() -> None:
    pool = HashingPool(workers=1)
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost_kib=1024, pool=pool)
    threads: list[str] = []

    def where(password: str) -> str:
        threads.append(threading.current_thread().name)
        return password

    stored = await hasher.hash("correct horse battery staple")
    assert await hasher.verify(stored, "correct horse battery staple") is True
    await pool.run(where, "x")
    assert threads[0].startswith("password-hashing")
    pool.close()
