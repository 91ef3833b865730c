"""Issue 10's crash drill: ``kill -9`` of a production worker while 20 welcome mails are in
flight (the SMTP relay holds each for 3 s before accepting it). A second worker finishes the job:
each account gets exactly one mail, counted by distinct recipients and Message-IDs at the relay
(the dead worker's copies were accepted too, and carry the same Message-ID, which an idempotent
relay drops), and every link in them works. Before issue 10 the second worker minted a new token
and sent a second, different mail, and the first copy's link was dead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

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

pytestmark = pytest.mark.xdist_group("worker-crash-drill")
ACCOUNTS = [f"crash{n:02}@example.com" for n in range(20)]


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


async def test_kill_9_with_20_mails_in_flight_then_another_worker_sends_each_once_with_a_working_link(
    database: str, tmp_path: Path
) -> None:
    await register(database, ACCOUNTS)
    with private_redis() as redis, Relay(delay=3.0).running() as relay:
        with worker(database, redis.url, relay, tmp_path, "first") as first:
            await eventually(lambda: relay.in_flight == len(ACCOUNTS), 60, "20 mails in flight at the relay")
            first.process.kill()  # SIGKILL: no chance to record anything
            first.process.wait()
        assert await all_delivered(database, len(ACCOUNTS)) is False  # nothing was recorded as sent

        with worker(database, redis.url, relay, tmp_path, "second") as second:
            await eventually(lambda: all_delivered(database, len(ACCOUNTS)), 120, "every delivery done")
            assert second.alive()
        await eventually(lambda: relay.in_flight == 0, 10, "the relay to settle")

    unique = relay.unique()
    assert relay.recipients() == ACCOUNTS  # one Message-ID per account: exactly one mail each
    assert len(unique) == len(ACCOUNTS)
    for copy in relay.copies:  # every copy the relay accepted is that same mail, link included
        assert copy == unique[copy.message_id]
    await redeem_links(database, list(unique.values()))
    # the dead worker's claims were taken within the 5 s lease, then 3 s at the relay each
    took = second.seconds_between("worker_started", "event_delivered")
    assert took < 20, f"the second worker took {took:.1f} s after it started"
