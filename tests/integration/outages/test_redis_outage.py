"""Issue 10's Redis outage drill: two production API processes and production workers on a Redis
of their own, which is stopped for 30 s and restarted, then paused (SIGSTOP: connections hang
instead of being refused) for 8 s and resumed. One outage serves both sides.

API side: throughout, validation of a license validated once before answers 200 within 1 s, and
sign-in (whose per-account throttle needs the shared count) answers 503 problem+json with
Retry-After within 1 s. Once Redis is back, everything works again without a restart: sign-in
succeeds, the rate-limit windows are in Redis again and both processes are subscribed to cache
invalidations again.

Worker side: meanwhile accounts register (a welcome mail each) and a license changes (its
consumer drops the cached copy, in Redis), and a third worker starts while Redis is down. The
workers never exit. Mail does not wait for Redis at all (the queue is the delivery ledger in
PostgreSQL); the license consumer waits the outage out without using up its attempts. Once Redis
is back every delivery is done, each mail arrived exactly once and every link works. Before issue
10 every worker exited on the first read error and stayed dead, validation answered 500 text and
sign-in waited 5 s for its 500."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from devforge.application.common.actor import Actor
from devforge.application.licensing.reinstate_license import ReinstateLicenseHandler
from devforge.application.licensing.suspend_license import SuspendLicenseHandler
from tests.fakes.servers import PrivateRedis, private_redis
from tests.integration.api_processes import api_process, http_client
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
from tests.unit.licensing.use_case_steps import world

EMAIL, PASSWORD = "drill@example.com", "a long and unguessable passphrase"
FORGET = "licensing.forget_cached_license"
# It times validation during the outage (1 s at most): it runs in the api-processes group, never beside
# the two-process ingestion or burst drills, which take both cores for tens of seconds.
pytestmark = pytest.mark.xdist_group("api-processes")
ONSET_SECONDS = 3  # the breaker's window (redis_breaker_seconds=2) and a second of slack


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


class Drill:
    def __init__(self, http: httpx.AsyncClient, urls: list[str], license_key: str) -> None:
        self.http, self.urls, self.license_key = http, urls, license_key

    async def timed(self, method: str, url: str, bound: float = 1, **request: object) -> httpx.Response:
        started = time.perf_counter()
        answer = await self.http.request(method, url, timeout=bound, **request)  # type: ignore[arg-type]
        assert time.perf_counter() - started < bound, f"{url} took over {bound} s"
        return answer

    async def validate(self, url: str, bound: float = 1) -> httpx.Response:
        return await self.timed("POST", f"{url}/api/licenses/validate", bound, json={"key": self.license_key})

    async def log_in(self, url: str) -> httpx.Response:
        return await self.timed("POST", f"{url}/api/auth/login", json={"email": EMAIL, "password": PASSWORD})

    async def degraded_for(self, seconds: float) -> int:
        """Checks every process about twice a second for ``seconds``; answers how many rounds.
        Validation answers within 1 s throughout, except in the breaker's first window after the
        outage began (``ONSET_SECONDS``), where 3 s is allowed: a fresh clone's CI once measured
        1.85 s there (at 10:26 on 2026-12-07; every later answer was in time).

        What a measurement here holds, found by re-running this drill with every answer timed and
        the API's access log on (busy machine, load 12-23, 2026-12-07 11:20-11:50):
        - This process stalls. ``timed`` gives httpx 1 s for each phase (connect, write, read), so
          an API answering after 1.85 s would have raised ReadTimeout at 1 s: a 1.85 s measurement
          means this loop did not run for the rest. The meanwhile work runs in a thread of this
          process (same GIL, same garbage collector over the whole test session's heap): at the
          pause's onset a generation-1 collection took 0.21 s in that thread, this loop lagged
          0.23-0.45 s, and a validation measured 1.14 s here was 0.62 s in the API's log.
        - The API waits the Redis timeout (``redis_timeout_seconds``, 0.5 s) once per breaker
          window while Redis hangs (the pause): the call that probes after ``redis_breaker_seconds``
          is a request's own. Those answers took 0.55-0.69 s in the API's log, and one 1.15 s (a
          request behind two such waits). A stop (refused connections) costs no wait: no answer
          of the 30 s stop, onset included, took over 0.4 s in the API's log.
        The meanwhile work now runs in a process of its own (``a_process_of_its_own``); the onset's
        3 s stays until the probe is taken off the request path."""
        rounds, started = 0, time.monotonic()
        deadline = started + seconds
        while time.monotonic() < deadline:
            for url in self.urls:
                onset = time.monotonic() - started < ONSET_SECONDS
                validation = await self.validate(url, 3 if onset else 1)
                assert validation.status_code == 200, validation.text
                assert validation.json()["valid"] is True
                refused = await self.log_in(url)
                assert refused.status_code == 503, refused.text
                assert refused.headers["content-type"].startswith("application/problem+json")
                assert refused.json()["code"] == "service_unavailable"
                assert int(refused.headers["retry-after"]) >= 1
                assert refused.json()["requestId"] == refused.headers["x-request-id"]
            rounds += 1
            await asyncio.sleep(0.5)
        return rounds

    async def recovered(self, redis: PrivateRedis, seconds: float = 20) -> None:
        """Without a restart: sign-in works on every process, validation is limited in Redis again
        and both processes listen for cache invalidations again."""
        deadline = time.monotonic() + seconds
        while True:
            answers = [await self.log_in(url) for url in self.urls]
            if all(answer.status_code == 200 for answer in answers):
                break
            assert time.monotonic() < deadline, [answer.text for answer in answers]
            await asyncio.sleep(0.5)
        client = Redis.from_url(redis.url)
        try:
            for url in self.urls:
                assert (await self.validate(url)).status_code == 200
            assert await client.exists("devforge:rl:license:127.0.0.1")
            while (await client.pubsub_numsub("devforge:near-cache:invalidate"))[0][1] < len(self.urls):
                assert time.monotonic() < deadline, "a process never subscribed again"
                await asyncio.sleep(0.2)
        finally:
            await client.aclose()


def welcomed(relay: Relay) -> list[str]:
    """Who got mail, leaving out the drill's own account (its sign-ins mail it notices)."""
    return [to for to in relay.recipients() if to != EMAIL]


def accounts(batch: str, count: int) -> list[str]:
    return [f"{batch}{n:02}@example.com" for n in range(count)]


async def settled(database: str) -> bool:
    """Every event relayed and every delivery done."""
    counts = await deliveries(database)
    return counts.pop("unrelayed") == 0 and set(counts) == {"done"}


async def change_license(database: str, developer: Actor, license_id: UUID, *, suspend: bool) -> None:
    container = sql_container(database)
    try:
        async with container() as scope:
            if suspend:
                await (await scope.get(SuspendLicenseHandler))(developer, license_id, "drill")
            else:
                await (await scope.get(ReinstateLicenseHandler))(developer, license_id)
    finally:
        await container.close()


def register_there(database: str, emails: list[str]) -> None:
    asyncio.run(register(database, emails))


def change_license_there(database: str, developer: Actor, license_id: UUID, suspend: bool) -> None:
    asyncio.run(change_license(database, developer, license_id, suspend=suspend))


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


@contextmanager
def a_process_of_its_own() -> Iterator[Callable[..., asyncio.Future[None]]]:
    """Runs the drill's own work (building containers, hashing passwords, writing the accounts and
    the license change) in a spawned process, and freezes this process's heap meanwhile. The loop
    that times the API's answers must not wait on that work or on a collection of the whole test
    session's heap: a thread of this process did both (same GIL), and a 1 s bound on the API then
    measured this process instead (a sign-in measured 1.8 s here on 2026-12-07, whose API answers
    took under 0.4 s during a stop)."""
    loop = asyncio.get_running_loop()
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as there:
            yield lambda work, *args: loop.run_in_executor(there, work, *args)
    finally:
        gc.unfreeze()


async def test_api_processes_and_workers_ride_out_a_redis_stop_and_a_pause(database: str, tmp_path: Path) -> None:
    seeding = sql_container(database)
    try:
        validated = await world(seeding)  # validated throughout; never changed
        licensed = await world(seeding)  # changed during the outages: its consumer writes to Redis
    finally:
        await seeding.close()
    before, during_stop, during_pause = accounts("before", 8), accounts("stopped", 8), accounts("paused", 4)

    with private_redis() as redis, Relay().running() as relay, ExitStack() as stack:
        # The drill signs in about twice a second on each process: more than the default 20 a minute.
        settings = {"redis_breaker_seconds": "2", "rate_limit_auth_per_minute": "1000"}
        urls = [
            stack.enter_context(api_process(database, redis.url, tmp_path, name, **settings)).url
            for name in ("api-1", "api-2")
        ]
        w1 = stack.enter_context(worker(database, redis.url, relay, tmp_path, "w1"))
        w2 = stack.enter_context(worker(database, redis.url, relay, tmp_path, "w2"))
        async with http_client() as http:
            drill = Drill(http, urls, validated.key)
            registered = await http.post(f"{urls[0]}/api/auth/register", json={"email": EMAIL, "password": PASSWORD})
            assert registered.status_code == 201, registered.text
            await register(database, before)
            await drill.recovered(redis)  # the baseline: all of it works with Redis up
            await eventually(lambda: settled(database), 120, "the first mails and the license event")
            assert welcomed(relay) == before

            redis.stop()  # refused connections, and its data is gone
            workers: list[Worker] = [w1, w2]
            there = stack.enter_context(a_process_of_its_own())

            async def meanwhile_the_workers() -> None:
                stopped_at = time.monotonic()
                await there(register_there, database, during_stop)
                await there(change_license_there, database, licensed.developer, licensed.issued.license.id, True)
                workers.append(stack.enter_context(worker(database, redis.url, relay, tmp_path, "w3")))
                mailed = sorted([*before, *during_stop])
                await eventually(lambda: welcomed(relay) == mailed, 60, "mail during the outage")
                await stay_up(workers, 30 - (time.monotonic() - stopped_at))

            rounds, _ = await asyncio.gather(drill.degraded_for(30), meanwhile_the_workers())
            assert rounds >= 20
            assert not await settled(database)  # the license consumer is waiting for Redis
            redis.start()
            await drill.recovered(redis)
            await eventually(lambda: settled(database), 60, "every delivery done after the restart")
            errors = await forget_errors(database)
            assert any(word in error for error in errors for word in ("onnect", "unavailable")), errors

            redis.pause()  # connections hang instead of being refused

            async def meanwhile_paused() -> None:
                await there(register_there, database, during_pause)
                await there(change_license_there, database, licensed.developer, licensed.issued.license.id, False)
                await stay_up(workers, 8)

            rounds, _ = await asyncio.gather(drill.degraded_for(8), meanwhile_paused())
            assert rounds >= 5
            redis.resume()
            await drill.recovered(redis)
            await eventually(lambda: settled(database), 60, "every delivery done after the pause")
            await forget_errors(database)
            assert all(w.alive() for w in workers)
        for w in reversed(workers):  # a graceful stop of each worker
            w.process.terminate()
            assert w.process.wait(timeout=40) == 0

    everyone = sorted([*before, *during_stop, *during_pause])
    assert welcomed(relay) == everyone  # one welcome each
    assert len(relay.copies) == len(relay.unique())  # no mail sent twice (the drill's sign-ins mail notices too)
    await redeem_links(database, [mail for mail in relay.unique().values() if mail.to != EMAIL])
