"""Issue 10's must-show: a client at half the license limit, alternating between two production
API processes, is never refused.

The window and the lease time are both cut by ten (6 s and 0.1 s against 60 s and 1 s), so the
processes lease and give back as often, relative to the window, as in production; the client runs
for two whole windows. Counting the unused rest of each lease (as the limiter used to) would have
logged about 18 hits per lease time for 2.5 used, and refused this client within the first window."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.fakes.servers import private_redis
from tests.integration.api_processes import api_process, http_client
from tests.integration.backends import postgres_database
from tests.integration.test_activation_race_two_servers import sql_container
from tests.unit.licensing.use_case_steps import world

LIMIT, WINDOW = 600, 6


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


@pytest.mark.xdist_group("api-processes")
async def test_a_client_at_half_the_license_limit_through_two_processes_is_never_refused(
    database: str, tmp_path: Path
) -> None:
    seeding = sql_container(database)
    try:
        license_key = (await world(seeding)).key
    finally:
        await seeding.close()
    settings = {
        "rate_limit_license_per_minute": str(LIMIT),
        "rate_limit_window_seconds": str(WINDOW),
        "rate_limit_lease_seconds": "0.1",
    }
    with private_redis() as redis, ExitStack() as stack:
        urls = [
            stack.enter_context(api_process(database, redis.url, tmp_path, name, **settings)).url
            for name in ("api-1", "api-2")
        ]
        requests = LIMIT  # half the limit per window, for two windows
        pace = 2 * WINDOW / requests
        loop = asyncio.get_running_loop()
        async with http_client(timeout=10) as http:

            async def validate_at(n: int, start: float) -> int:
                await asyncio.sleep(max(0.0, start + n * pace - loop.time()))  # on schedule, however slow answers are
                answer = await http.post(f"{urls[n % 2]}/api/licenses/validate", json={"key": license_key})
                return answer.status_code

            start = loop.time()
            statuses = Counter(await asyncio.gather(*(validate_at(n, start) for n in range(requests))))
    assert statuses == {200: requests}
