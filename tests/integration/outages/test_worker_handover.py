"""Issue 10's deploy drill: two production workers share a queue of 60 welcome mails (the relay
takes 0.3 s for each, five at a time per worker). One is stopped with SIGTERM halfway: it
finishes the mails it is sending and exits cleanly, and the other carries on at once, with no
pause in the flow at the relay (before issue 10 the stopped worker's prefetched jobs stalled for
60 s). Then one of two workers is killed: its mails are taken within seconds. No job stream
exists in Redis to grow or to hold dead consumers."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.fakes.servers import private_redis
from tests.integration.backends import postgres_database
from tests.integration.outages.worker_drill import (
    Relay,
    all_delivered,
    eventually,
    redeem_links,
    register,
    worker,
)

pytestmark = pytest.mark.xdist_group("worker-handover")
ACCOUNTS = [f"deploy{n:02}@example.com" for n in range(60)]
SLOTS = {"worker_concurrency": "5"}


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


class Arrivals:
    """When the relay accepted each distinct mail, by the test's clock."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.times: list[float] = []

    def poll(self) -> int:
        while len(self.times) < len(self.relay.unique()):
            self.times.append(time.monotonic())
        return len(self.times)

    def longest_pause_after(self, moment: float) -> float:
        later = [t for t in self.times if t >= moment]
        return max((b - a for a, b in zip([moment, *later], later, strict=False)), default=0.0)


async def test_a_sigterm_hands_the_queue_to_the_other_worker_at_once(database: str, tmp_path: Path) -> None:
    await register(database, ACCOUNTS)
    with private_redis() as redis, Relay(delay=0.3).running() as relay:
        arrivals = Arrivals(relay)
        with (
            worker(database, redis.url, relay, tmp_path, "a", **SLOTS) as a,
            worker(database, redis.url, relay, tmp_path, "b", **SLOTS) as b,
        ):
            await eventually(lambda: arrivals.poll() >= 15 and a.logged("event_delivered") > 0, 120, "both at work")
            a.process.terminate()
            stopped_at = time.monotonic()
            await eventually(lambda: arrivals.poll() and all_delivered(database, len(ACCOUNTS)), 60, "all mail")
            arrivals.poll()
            assert a.process.wait(timeout=30) == 0 and b.alive()
            assert time.monotonic() - stopped_at < 30  # not the old 60 s stall, and a far cry from it
            pause = arrivals.longest_pause_after(stopped_at)
            assert pause < 3, f"the mail stopped for {pause:.1f} s at the handover"
        async with Redis.from_url(redis.url) as client:
            assert await client.exists("devforge:jobs") == 0  # no job stream to trim

    assert relay.recipients() == ACCOUNTS and len(relay.copies) == len(ACCOUNTS)
    assert [e for e in a.events() if e["event"] == "worker_stopped"]  # it drained and stopped
    await redeem_links(database, list(relay.unique().values()))


async def test_a_killed_workers_mails_are_taken_by_the_other_within_seconds(database: str, tmp_path: Path) -> None:
    with (
        private_redis() as redis,
        Relay(delay=2.0).running() as relay,
        worker(database, redis.url, relay, tmp_path, "a", **SLOTS) as a,
        worker(database, redis.url, relay, tmp_path, "b", **SLOTS) as b,
    ):
        # Both at work before the mail is queued: on a loaded machine one worker can take a few
        # seconds longer to start, and the first up would otherwise claim every event alone.
        await eventually(lambda: a.logged("worker_started") and b.logged("worker_started"), 60, "both started")
        await register(database, ACCOUNTS[:20])
        await eventually(lambda: relay.in_flight >= 8 and a.logged("event_delivered") > 0, 120, "both sending")
        a.process.kill()
        a.process.wait()
        killed_at = time.monotonic()
        await eventually(lambda: all_delivered(database, 20), 60, "all mail")
        assert time.monotonic() - killed_at < 25, "the dead worker's mails waited too long"
        assert b.alive()
    assert relay.recipients() == ACCOUNTS[:20]  # one Message-ID each (a copy the dead one sent is a duplicate)
    await redeem_links(database, list(relay.unique().values()))
