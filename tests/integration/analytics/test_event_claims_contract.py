"""The dedup window's contract, in the process and on Redis: the first claim of a uuid wins, for
the window; a uuid twice in one batch is claimed once; two processes claiming the same uuids at
once get one winner each; while Redis is away the claim says so rather than guess."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from devforge.adapters.memory.analytics import InMemoryEventClaims
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.event_claims import RedisEventClaims
from devforge.application.analytics.ports import EventClaims
from devforge.application.common.unavailable import ServiceUnavailable
from tests.services import REDIS_URL, require_redis


@pytest.fixture(params=["in_process", "redis"])
async def claims(request: pytest.FixtureRequest) -> AsyncIterator[EventClaims]:
    if request.param == "in_process":
        yield InMemoryEventClaims()
        return
    require_redis()
    client = Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:".encode()
    yield RedisEventClaims(client, breaker=RedisCircuitBreaker(), prefix=prefix)
    keys = [key async for key in client.scan_iter(match=prefix + b"*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_the_first_claim_wins_and_a_repeat_in_one_batch_is_not_first(claims: EventClaims) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert await claims.claim([a, b, a], 60) == [True, True, False]
    assert await claims.claim([b, c], 60) == [False, True]
    assert await claims.claim([], 60) == []


async def test_a_released_claim_can_be_taken_again(claims: EventClaims) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    await claims.claim([a, b], 60)
    await claims.release([a])
    assert await claims.claim([a, b], 60) == [True, False]


async def test_concurrent_batches_with_the_same_uuids_have_one_winner_per_uuid(claims: EventClaims) -> None:
    shared = [uuid.uuid4() for _ in range(500)]
    answers = await asyncio.gather(*(claims.claim(list(reversed(shared)) if n % 2 else shared, 60) for n in range(8)))
    assert [
        sum(column) for column in zip(*(reversed(a) if n % 2 else a for n, a in enumerate(answers)), strict=True)
    ] == [1] * 500


async def test_a_claim_expires_with_its_window() -> None:
    now = [0.0]
    claims = InMemoryEventClaims(now=lambda: now[0])
    a = uuid.uuid4()
    assert await claims.claim([a], 10) == [True]
    now[0] = 9.9
    assert await claims.claim([a], 10) == [False]
    now[0] = 10.0
    assert await claims.claim([a], 10) == [True]


async def test_the_window_is_redis_own_expiry() -> None:
    require_redis()
    client = Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:".encode()
    a = uuid.uuid4()
    await RedisEventClaims(client, breaker=RedisCircuitBreaker(), prefix=prefix).claim([a], 60)
    assert 0 < await client.ttl(prefix + a.bytes) <= 60
    await client.delete(prefix + a.bytes)
    await client.aclose()


async def test_while_redis_is_away_a_claim_is_refused_not_guessed() -> None:
    client = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    claims = RedisEventClaims(client, breaker=RedisCircuitBreaker())
    with pytest.raises(ServiceUnavailable):
        await claims.claim([uuid.uuid4()], 60)
    await client.aclose()
