"""The ``IdempotencyStore`` contract: ``CacheIdempotencyStore`` over the in-memory cache and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from devforge.adapters.memory.cache import InMemoryCache
from devforge.adapters.redis.cache import RedisCache
from devforge.application.common.idempotency import BeginOutcome, CacheIdempotencyStore, StoredResponse
from tests.services import REDIS_URL, require_redis

DAY = 24 * 60 * 60
CREATED = StoredResponse(201, (("content-type", "application/json"), ("location", "/x/1")), bytes(range(256)))


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[CacheIdempotencyStore]:
    if request.param == "memory":
        yield CacheIdempotencyStore(InMemoryCache())
        return
    require_redis()
    client, prefix = Redis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"
    yield CacheIdempotencyStore(RedisCache(client, prefix=prefix))
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_the_first_begin_claims_the_key_and_a_second_finds_it_in_progress(store: CacheIdempotencyStore) -> None:
    assert (await store.begin("k", "body-a", DAY)).outcome is BeginOutcome.NEW
    assert (await store.begin("k", "body-a", DAY)).outcome is BeginOutcome.IN_PROGRESS


async def test_a_finished_key_answers_the_stored_response_exactly(store: CacheIdempotencyStore) -> None:
    await store.begin("k", "body-a", DAY)
    await store.finish("k", CREATED)
    again = await store.begin("k", "body-a", DAY)
    assert again.outcome is BeginOutcome.DONE
    assert again.response == CREATED


async def test_the_key_with_another_fingerprint_is_a_mismatch_running_or_done(store: CacheIdempotencyStore) -> None:
    await store.begin("k", "body-a", DAY)
    assert (await store.begin("k", "body-b", DAY)).outcome is BeginOutcome.MISMATCH
    await store.finish("k", CREATED)
    assert (await store.begin("k", "body-b", DAY)).outcome is BeginOutcome.MISMATCH


async def test_an_abandoned_key_can_be_claimed_again(store: CacheIdempotencyStore) -> None:
    await store.begin("k", "body-a", DAY)
    await store.abandon("k")
    assert (await store.begin("k", "body-a", DAY)).outcome is BeginOutcome.NEW


async def test_keys_are_independent(store: CacheIdempotencyStore) -> None:
    await store.begin("a", "body", DAY)
    await store.finish("a", CREATED)
    assert (await store.begin("b", "body", DAY)).outcome is BeginOutcome.NEW


async def test_of_concurrent_begins_exactly_one_claims_the_key(store: CacheIdempotencyStore) -> None:
    outcomes = [begun.outcome for begun in await asyncio.gather(*(store.begin("race", "f", DAY) for _ in range(20)))]
    assert outcomes.count(BeginOutcome.NEW) == 1
    assert outcomes.count(BeginOutcome.IN_PROGRESS) == 19


async def test_a_claim_outlives_a_dead_process_only_briefly_but_a_response_is_kept_for_its_ttl() -> None:
    now = [0.0]
    store = CacheIdempotencyStore(InMemoryCache(monotonic=lambda: now[0]), claim_ttl_seconds=300)
    await store.begin("crashed", "f", DAY)
    await store.begin("done", "f", DAY)
    await store.finish("done", CREATED)
    now[0] += 301
    assert (await store.begin("crashed", "f", DAY)).outcome is BeginOutcome.NEW
    assert (await store.begin("done", "f", DAY)).outcome is BeginOutcome.DONE
    now[0] += DAY
    assert (await store.begin("done", "f", DAY)).outcome is BeginOutcome.NEW
