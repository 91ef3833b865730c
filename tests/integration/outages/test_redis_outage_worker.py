"""Issue 10's Redis outage drill, worker side (the API side is ``test_redis_outage_api.py``).
Production workers run on a Redis of their own, which is stopped for 30 s and restarted, then
paused (SIGSTOP: connections hang instead of being refused) and resumed. Meanwhile accounts
register (a welcome mail each) and a license changes (its consumer drops the cached copy, in
Redis), and a third worker starts while Redis is down.

The workers never exit. Mail does not wait for Redis at all (the queue is the delivery ledger in
PostgreSQL); the license consumer waits the outage out without using up its attempts. Once Redis
is back, without a restart, every delivery is done, each mail arrived exactly once and every link
works. Before issue 10 every worker exited on the first read error and stayed dead."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from devforge.application.licensing.reinstate_license import ReinstateLicenseHandler
from devforge.application.licensing.suspend_license import SuspendLicenseHandler
from tests.fakes.servers import private_redis
from tests.integration.backends import postgres_database
from tests.integration.outages.worker_drill import (
    Relay,
    Worker,
    deliveries,
    eventually,
    redeem_links,
    register,
    sql_container,
    worker,
)
from tests.unit.licensing.use_case_steps import World, world

pytestmark = pytest.mark.xdist_group("redis-outage-worker")
FORGET = "licensing.forget_cached_license"


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


def accounts(batch: str, count: int) -> list[str]:
    return [f"{batch}{n:02}@example.com" for n in range(count)]


async def settled(database: str) -> bool:
    """Every event relayed and every delivery done."""
    counts = await deliveries(database)
    return counts.pop("unrelayed") == 0 and set(counts) == {"done"}


async def change_license(database: str, licensed: World, *, suspend: bool) -> None:
    container = sql_container(database)
    try:
        async with container() as scope:
            if suspend:
                await (await scope.get(SuspendLicenseHandler))(licensed.developer, licensed.issued.license.id, "drill")
            else:
                await (await scope.get(ReinstateLicenseHandler))(licensed.developer, licensed.issued.license.id)
    finally:
        await container.close()


async def forget_errors(database: str) -> list[str]:
    engine = create_async_engine(database, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            query = text("SELECT status, attempts, coalesce(last_error, '') FROM deliveries WHERE consumer = :c")
            rows = (await connection.execute(query, {"c": FORGET})).all()
    finally:
        await engine.dispose()
    assert rows and all(status == "done" and attempts == 0 for status, attempts, _ in rows), rows
    return [error for _, _, error in rows if error]


async def stay_up(workers: list[Worker], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert all(w.alive() for w in workers), [w.log.read_text()[-2000:] for w in workers if not w.alive()]
        await asyncio.sleep(0.5)


async def test_workers_live_through_a_redis_stop_and_a_pause_and_deliver_everything_once(
    database: str, tmp_path: Path
) -> None:
    seeding = sql_container(database)
    try:
        licensed = await world(seeding)  # licensing.license_created: its consumer writes to Redis
    finally:
        await seeding.close()
    before, during_stop, during_pause = accounts("before", 8), accounts("stopped", 8), accounts("paused", 4)
    await register(database, before)

    with private_redis() as redis, Relay().running() as relay:
        with (
            worker(database, redis.url, relay, tmp_path, "w1") as w1,
            worker(database, redis.url, relay, tmp_path, "w2") as w2,
        ):
            await eventually(lambda: settled(database), 120, "the first mails and the license event")
            assert relay.recipients() == before

            redis.stop()  # refused connections, and its data is gone
            stopped_at = time.monotonic()
            await register(database, during_stop)
            await change_license(database, licensed, suspend=True)
            with worker(database, redis.url, relay, tmp_path, "w3") as w3:  # starts while Redis is down
                workers = [w1, w2, w3]
                mailed = sorted(before + during_stop)
                await eventually(lambda: relay.recipients() == mailed, 60, "mail during the outage")
                await stay_up(workers, 30 - (time.monotonic() - stopped_at))
                assert not await settled(database)  # the license consumer is waiting for Redis
                redis.start()
                await eventually(lambda: settled(database), 60, "every delivery done after the restart")
                errors = await forget_errors(database)
                assert any(word in error for error in errors for word in ("onnect", "unavailable")), errors

                redis.pause()  # connections hang instead of being refused
                await register(database, during_pause)
                await change_license(database, licensed, suspend=False)
                await stay_up(workers, 10)
                redis.resume()
                await eventually(lambda: settled(database), 60, "every delivery done after the pause")
                await forget_errors(database)
                assert all(w.alive() for w in workers)
            assert w3.process.returncode == 0
        assert (w1.process.returncode, w2.process.returncode) == (0, 0)

    everyone = sorted(before + during_stop + during_pause)
    assert relay.recipients() == everyone and len(relay.copies) == len(everyone)  # each exactly once
    await redeem_links(database, list(relay.unique().values()))
