"""Issue 10's PostgreSQL drill, worker side. A production worker is sending 40 welcome mails
(the SMTP relay holds each for 3 s, so all 40 are in flight) when its PostgreSQL stops (an
immediate shutdown, as a crash or a failover) and comes back a few seconds later. The worker
never exits, and every mail arrives exactly once, its link working: the sends went through while
the database was gone, so the worker records them when it is back instead of sending them again.
Before issue 10 all 40 were sent twice, the first copies with dead links. A worker also starts
while PostgreSQL is down, waits, and works once it is up."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from devforge.adapters.persistence.migrate import upgrade
from tests.fakes.servers import PrivatePostgres, PrivateRedis, private_postgres, private_redis
from tests.integration.outages.worker_drill import (
    Relay,
    all_delivered,
    eventually,
    redeem_links,
    register,
    worker,
)

pytestmark = pytest.mark.xdist_group("postgres-outage-worker")
ACCOUNTS = [f"pg{n:02}@example.com" for n in range(40)]


@pytest.fixture
def servers() -> Iterator[tuple[PrivatePostgres, PrivateRedis]]:
    with private_postgres() as postgres, private_redis() as redis:
        upgrade(postgres.url)
        yield postgres, redis


async def test_a_postgres_stop_with_40_mails_in_flight_sends_each_once_and_the_worker_lives(
    servers: tuple[PrivatePostgres, PrivateRedis], tmp_path: Path
) -> None:
    postgres, redis = servers
    await register(postgres.url, ACCOUNTS)
    with Relay(delay=3.0).running() as relay:
        # 40 at once: each running delivery holds a pooled connection, and so does each batch
        # consumer's lane (analytics' facts wait there for chDB's first start): 40 would leave
        # one mail without a connection until another is sent (README, DEVFORGE_WORKER_CONCURRENCY)
        settings = {"worker_concurrency": "40", "database_pool_size": "44"}
        with worker(postgres.url, redis.url, relay, tmp_path, "worker", **settings) as running:
            await eventually(lambda: relay.in_flight == len(ACCOUNTS), 120, "40 mails in flight at the relay")
            await asyncio.to_thread(postgres.stop)
            await eventually(lambda: relay.in_flight == 0, 30, "the relay to accept them all")
            await asyncio.sleep(2)  # the database stays away a little longer
            assert running.alive()
            await asyncio.to_thread(postgres.start)

            await eventually(lambda: all_delivered(postgres.url, len(ACCOUNTS)), 120, "every delivery done")
            assert running.alive()
            assert running.logged("job_failed") > 0  # the worker did see the outage
        assert running.process.returncode == 0  # it ended on the SIGTERM, cleanly, and not before

    assert len(relay.copies) == len(ACCOUNTS)  # not one mail sent twice: no duplicate to drop
    assert relay.recipients() == ACCOUNTS
    await redeem_links(postgres.url, list(relay.unique().values()))


async def test_a_worker_started_while_postgres_is_down_waits_and_then_works(
    servers: tuple[PrivatePostgres, PrivateRedis], tmp_path: Path
) -> None:
    postgres, redis = servers
    await register(postgres.url, ACCOUNTS[:3])
    await asyncio.to_thread(postgres.stop)
    with Relay().running() as relay, worker(postgres.url, redis.url, relay, tmp_path, "early") as early:
        await eventually(lambda: early.logged("job_claim_failed") >= 3, 120, "claims failing")
        assert early.alive() and relay.copies == []
        await asyncio.to_thread(postgres.start)
        await eventually(lambda: all_delivered(postgres.url, 3), 120, "every delivery done")
        assert early.alive() and early.logged("job_claims_recovered") >= 1
    assert relay.recipients() == ACCOUNTS[:3] and len(relay.copies) == 3
