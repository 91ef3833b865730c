"""The licensing issue's proof of race-free activation, end to end: two ``devforge serve``
processes (production profile: PostgreSQL and Redis) share one database; 50 activations of one
3-machine license with distinct fingerprints arrive at once, split across the two. Exactly 3
machines exist afterwards, and the 47 other answers are 409 MACHINE_LIMIT_EXCEEDED."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from dishka import AsyncContainer

from devforge.application.common.actor import Actor
from devforge.application.licensing.get_license import GetLicense
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.policy import Overage
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database
from tests.integration.test_serve_smoke import free_port
from tests.services import REDIS_URL, require_redis
from tests.unit.licensing.use_case_steps import World, world

DEVFORGE = Path(sys.executable).parent / "devforge"
SECRET = settings_for_tests().secret_key


@contextmanager
def serving(database_url: str, folder: Path, name: str) -> Iterator[str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_PROFILE": "production",
        "DEVFORGE_ANALYTICS_STORE": "chdb",  # no ClickHouse here: each process keeps its own (unused) events
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",  # hashing is not what this checks
        "DEVFORGE_ARGON2_TIME_COST": "1",
        "DEVFORGE_DATABASE_URL": database_url,
        "DEVFORGE_REDIS_URL": REDIS_URL,
        "DEVFORGE_SECRET_KEY": SECRET,
        "DEVFORGE_DATA_DIR": str(folder / name),
        "DEVFORGE_LOG_FORMAT": "json",
        "DEVFORGE_LOG_LEVEL": "warning",
        "DEVFORGE_RATE_LIMIT_LICENSE_PER_MINUTE": "100000",
        "DEVFORGE_PAYMENT_PROVIDER": "sandbox",  # Stripe would need its key to start
    }
    log = folder / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(DEVFORGE), "serve", "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never became ready")


@pytest.fixture
async def database() -> AsyncIterator[str]:
    require_redis()
    async with postgres_database() as url:
        yield url


def sql_container(url: str) -> AsyncContainer:
    return make_container(
        settings_for_tests(database_url=url),
        SqlaPersistenceProvider(),
        SqlaIdentityProvider(),  # licenses go to accounts that exist
        SqlaLicensingProvider(),
        base=memory_providers(),
    )


@pytest.mark.xdist_group("api-processes")  # API processes on the shared PostgreSQL: one such test at a time
async def test_fifty_activations_over_http_across_two_server_processes_take_exactly_three_seats(
    database: str, tmp_path: Path
) -> None:
    seeding = sql_container(database)
    try:
        w: World = await world(seeding, floating=True, max_machines=3, overage=Overage.NONE)
    finally:
        await seeding.close()

    with ExitStack() as servers:
        urls = [servers.enter_context(serving(database, tmp_path, name)) for name in ("api-1", "api-2")]
        await asyncio.gather(*(asyncio.to_thread(wait_ready, url) for url in urls))
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:
            answers = await asyncio.gather(
                *(
                    http.post(
                        f"{urls[n % 2]}/api/licenses/activate",
                        json={"fingerprint": f"machine-{n:02d}"},
                        headers={"Authorization": f"License {w.key}"},
                    )
                    for n in range(50)
                )
            )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] * 3 + [409] * 47, [answer.text for answer in answers if answer.status_code >= 500]
    refused = [answer for answer in answers if answer.status_code == 409]
    assert {answer.json()["code"] for answer in refused} == {"MACHINE_LIMIT_EXCEEDED"}
    assert all(answer.headers["content-type"].startswith("application/problem+json") for answer in refused)
    assert {urls[0], urls[1]} == {str(answer.request.url).rsplit("/api", 1)[0] for answer in answers}

    checking = sql_container(database)
    try:
        async with checking() as scope:
            view = await (await scope.get(GetLicense))(Actor.holding(uuid4(), LicensingPermission.ADMIN), key=w.key)
    finally:
        await checking.close()
    winners = sorted(answer.json()["fingerprint"] for answer in answers if answer.status_code == 201)
    assert sorted(m.fingerprint for m in view.machines) == winners
