"""Issue 10's PostgreSQL outage, API side: a production API process on a PostgreSQL of its own.

While the database is down, requests that need it answer 503 problem+json with Retry-After
within 1 s (the liveness probe stays 200, readiness says 503). When it is back, the first request
succeeds, also in a process that sat idle through the outage and so holds only dead pooled
connections (it used to answer 500 "connection was closed")."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devforge.adapters.persistence.migrate import upgrade
from tests.fakes.servers import PrivatePostgres, private_postgres, private_redis
from tests.integration.api_processes import api_process, http_client

EMAIL, PASSWORD = "outage@example.com", "a long and unguessable passphrase"
pytestmark = pytest.mark.xdist_group("postgres-outage-api")


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        upgrade(server.url)
        yield server


async def log_in(http: httpx.AsyncClient, url: str) -> httpx.Response:
    started = time.perf_counter()
    answer = await http.post(f"{url}/api/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=5)
    assert time.perf_counter() - started < 1 or answer.status_code == 200, "an outage answer took over 1 s"
    return answer


async def test_a_database_outage_answers_503_and_the_first_request_after_it_succeeds(
    postgres: PrivatePostgres, tmp_path: Path
) -> None:
    with private_redis() as redis, api_process(postgres.url, redis.url, tmp_path, "api") as api:
        async with http_client() as http:
            registered = await http.post(f"{api.url}/api/auth/register", json={"email": EMAIL, "password": PASSWORD})
            assert registered.status_code == 201, registered.text
            assert (await log_in(http, api.url)).status_code == 200  # the pool now holds connections

            # Idle through a restart: every pooled connection is dead, and nothing has noticed.
            postgres.stop()
            await asyncio.sleep(1.5)
            postgres.start()
            first = await log_in(http, api.url)
            assert first.status_code == 200, first.text

            postgres.stop()
            for _ in range(3):
                down = await log_in(http, api.url)
                assert down.status_code == 503, down.text
                assert down.headers["content-type"].startswith("application/problem+json")
                assert down.json()["code"] == "service_unavailable"
                assert int(down.headers["retry-after"]) >= 1
                assert down.json()["requestId"] == down.headers["x-request-id"]
                assert (await http.get(f"{api.url}/health/live", timeout=1)).status_code == 200
                assert (await http.get(f"{api.url}/health/ready", timeout=5)).status_code == 503
            postgres.start()
            again = await log_in(http, api.url)
            assert again.status_code == 200, again.text
