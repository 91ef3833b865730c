"""Issue 10's Redis outage drill, API side: two production API processes on a Redis of their
own, which is stopped for 30 s and restarted, then paused (SIGSTOP: connections hang instead of
being refused) and resumed.

Throughout, validation of a license validated once before answers 200 within 1 s, and sign-in
(whose per-account throttle needs the shared count) answers 503 problem+json with Retry-After
within 1 s. Once Redis is back, everything works again without a restart: sign-in succeeds, the
rate-limit windows are in Redis again and both processes are subscribed to cache invalidations."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from tests.fakes.servers import PrivateRedis, private_redis
from tests.integration.api_processes import api_process
from tests.integration.backends import postgres_database
from tests.integration.test_activation_race_two_servers import sql_container
from tests.unit.licensing.use_case_steps import world

EMAIL, PASSWORD = "drill@example.com", "a long and unguessable passphrase"
pytestmark = pytest.mark.xdist_group("redis-outage-api")


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


class Drill:
    def __init__(self, http: httpx.AsyncClient, urls: list[str], license_key: str) -> None:
        self.http, self.urls, self.license_key = http, urls, license_key

    async def timed(self, method: str, url: str, **request: object) -> httpx.Response:
        started = time.perf_counter()
        answer = await self.http.request(method, url, timeout=1, **request)  # type: ignore[arg-type]
        assert time.perf_counter() - started < 1, f"{url} took over 1 s"
        return answer

    async def validate(self, url: str) -> httpx.Response:
        return await self.timed("POST", f"{url}/api/licenses/validate", json={"key": self.license_key})

    async def log_in(self, url: str) -> httpx.Response:
        return await self.timed("POST", f"{url}/api/auth/login", json={"email": EMAIL, "password": PASSWORD})

    async def degraded_for(self, seconds: float) -> int:
        """Checks every process about twice a second for ``seconds``; answers how many rounds."""
        rounds, deadline = 0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            for url in self.urls:
                validation = await self.validate(url)
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


async def test_api_processes_ride_out_a_redis_stop_and_a_redis_pause(database: str, tmp_path: Path) -> None:
    seeding = sql_container(database)
    try:
        license_key = (await world(seeding)).key
    finally:
        await seeding.close()

    with private_redis() as redis, ExitStack() as stack:
        # The drill signs in about twice a second on each process: more than the default 20 a minute.
        settings = {"redis_breaker_seconds": "2", "rate_limit_auth_per_minute": "1000"}
        urls = [
            stack.enter_context(api_process(database, redis.url, tmp_path, name, **settings)).url
            for name in ("api-1", "api-2")
        ]
        async with httpx.AsyncClient() as http:
            drill = Drill(http, urls, license_key)
            registered = await http.post(f"{urls[0]}/api/auth/register", json={"email": EMAIL, "password": PASSWORD})
            assert registered.status_code == 201, registered.text
            await drill.recovered(redis)  # the baseline: all of it works with Redis up

            redis.stop()
            assert await drill.degraded_for(30) >= 20
            redis.start()
            await drill.recovered(redis)

            redis.pause()
            assert await drill.degraded_for(8) >= 5
            redis.resume()
            await drill.recovered(redis)
