"""The activate route answers 201 for the request that created the machine and 200 for any
other, even when two identical activations arrive at once: the answer comes from the use case
that held the license's row lock, not from a read the controller made before it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database
from tests.unit.licensing.use_case_steps import World, world

ROUNDS = 5


@asynccontextmanager
async def postgres_app() -> AsyncIterator[tuple[httpx.AsyncClient, World]]:
    """Requests go through httpx's ASGI transport on this event loop, which (unlike the test
    client's) lets two of them run at once. Not a fixture: the app's lifespan must end in the task
    it began in."""
    async with postgres_database() as url:
        config = settings_for_tests(database_url=url, rate_limit_license_per_minute=10_000)
        container = make_container(
            config, SqlaPersistenceProvider(), SqlaIdentityProvider(), SqlaLicensingProvider(), base=memory_providers()
        )
        try:
            w = await world(container, max_machines=ROUNDS + 1)
            app = create_app(container, config)
            async with app.lifespan():
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                    yield client, w
        finally:
            await container.close()


async def test_two_identical_concurrent_activations_answer_one_201_and_one_200() -> None:
    async with postgres_app() as (client, w):
        headers = {"Authorization": f"License {w.key}"}
        for round_ in range(ROUNDS):
            body = {"fingerprint": f"workstation-{round_}"}
            first, second = await asyncio.gather(
                client.post("/api/licenses/activate", json=body, headers=headers),
                client.post("/api/licenses/activate", json=body, headers=headers),
            )
            assert sorted((first.status_code, second.status_code)) == [200, 201], (round_, first.text, second.text)
            assert first.json()["id"] == second.json()["id"], "one fingerprint is one machine"
        again = await client.post("/api/licenses/activate", json={"fingerprint": "workstation-0"}, headers=headers)
        assert again.status_code == 200
