"""Issue 15's dedup must-show: 1,000,000 events, of which 100,000 are resends of others in
different batches, sent concurrently through two API processes: exactly 900,000 are stored, and
every answer's accepted/duplicate/rejected counts add up to its batch.

Two real ``devforge serve`` processes in the production profile: PostgreSQL for the ingestion
key, a Redis of their own for the dedup window (the production adapter: one Lua ``SET NX EX`` per
uuid, per batch). No ClickHouse server runs here, and chDB cannot share a data directory between
processes (it holds a lock on it), so each process stores its events in its own chDB directory
(``DEVFORGE_ANALYTICS_STORE=chdb``): "stored" is the rows of both directories together, read
after the processes stop (they flush their buffers on the way out). So the rows stored count the
dedup window alone, with no engine merging duplicates behind it.

Each round sends nine batches of new events and one batch of resends copied from those nine, all
ten at once, split between the two processes, so a resend races its original on the other process.
Slow: about two minutes on a loaded two-core machine (it sends 1,000 batches of 1,000 events)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import msgspec
import pytest

from devforge.adapters.analytics.chdb_store import ChdbEngine
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.analytics import SqlaAnalyticsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from tests.conftest import settings_for_tests
from tests.fakes.servers import private_redis
from tests.integration.api_processes import ApiProcess, api_process, http_client
from tests.integration.backends import postgres_database
from tests.integration.http.analytics_steps import ingestion_key

ROUNDS, NEW_PER_ROUND, BATCH = 100, 9, 1000
UNIQUE = ROUNDS * NEW_PER_ROUND * BATCH  # 900,000
RESENT = ROUNDS * BATCH  # 100,000


class Answer(msgspec.Struct):
    accepted: int
    duplicate: int
    rejected: int
    events: list[msgspec.Raw]


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


async def a_key(database: str) -> str:
    container = make_container(
        settings_for_tests(database_url=database),
        SqlaPersistenceProvider(),
        SqlaAnalyticsProvider(),
        base=memory_providers(),
    )
    try:
        return (await ingestion_key(container)).secret
    finally:
        await container.close()


def rounds() -> list[list[list[dict[str, str]]]]:
    """Per round: nine batches of new events, then one batch of 1,000 copies taken from them."""
    planned = []
    for r in range(ROUNDS):
        new = [
            [
                {"event": "app_started", "distinct_id": f"install-{r}-{b}", "uuid": str(uuid.uuid4())}
                for _ in range(BATCH)
            ]
            for b in range(NEW_PER_ROUND)
        ]
        copies = [new[n % NEW_PER_ROUND][n // NEW_PER_ROUND] for n in range(BATCH)]
        planned.append([*new, copies])
    return planned


async def send(processes: list[ApiProcess], secret: str) -> list[tuple[int, Answer]]:
    """Every round's ten batches at once, alternating between the processes."""
    answers: list[tuple[int, Answer]] = []
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    async with http_client(timeout=120) as http:
        for batches in rounds():
            bodies = [msgspec.json.encode({"batch": batch}) for batch in batches]
            sent = await asyncio.gather(
                *(
                    http.post(f"{processes[n % 2].url}/api/analytics/events", content=body, headers=headers)
                    for n, body in enumerate(bodies)
                )
            )
            for batch, response in zip(batches, sent, strict=True):
                assert response.status_code == 200, response.text[:500]
                answers.append((len(batch), msgspec.json.decode(response.content, type=Answer)))
    return answers


def stored(folders: list[Path]) -> tuple[int, int]:
    """Rows in both processes' chDB directories, and distinct uuids among them. chDB opens one
    directory per process at a time: the second's uuids go through a file."""
    exported = folders[1].parent / "second.native"
    second = ChdbEngine(folders[1])
    try:
        second.run(f"SELECT uuid FROM analytics.events INTO OUTFILE '{exported}' FORMAT Native")  # noqa: S608
    finally:
        second.close()
    first = ChdbEngine(folders[0])
    try:
        theirs = f"SELECT uuid FROM file('{exported}', 'Native', 'uuid UUID')"  # noqa: S608
        both = f"SELECT count(), uniqExact(uuid) FROM (SELECT uuid FROM analytics.events UNION ALL {theirs})"  # noqa: S608
        rows, distinct = first.run(both, "CSV").decode().strip().split(",")
    finally:
        first.close()
    return int(rows), int(distinct)


@pytest.mark.xdist_group("api-processes")
async def test_a_million_events_a_tenth_resent_through_two_processes_store_exactly_900000(
    database: str, tmp_path: Path
) -> None:
    secret = await a_key(database)
    settings = {
        "analytics_dedup_window_seconds": "3600",
        "rate_limit_analytics_per_minute": "1000000",
        "analytics_flush_seconds": "0.5",
    }
    with private_redis() as redis, ExitStack() as stack:
        processes = [
            stack.enter_context(api_process(database, redis.url, tmp_path, name, **settings)) for name in ("a", "b")
        ]
        answers = await send(processes, secret)
        for process in processes:
            # SIGTERM: it drains, flushes its buffer as it stops, and uvicorn re-raises the signal.
            assert process.terminate(60) in (0, -15), process.log.read_text()[-2000:]

    for size, answer in answers:
        assert answer.accepted + answer.duplicate + answer.rejected == size == len(answer.events)
    assert sum(answer.rejected for _, answer in answers) == 0
    assert sum(answer.accepted for _, answer in answers) == UNIQUE
    assert sum(answer.duplicate for _, answer in answers) == RESENT
    assert stored([tmp_path / name / "analytics" for name in ("a", "b")]) == (UNIQUE, UNIQUE)
