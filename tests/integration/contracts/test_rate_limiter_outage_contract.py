"""The rate limiters when Redis goes away (stopped, so refused; or paused, so hung) and comes
back: the shared ``RateLimiter`` raises ``ServiceUnavailable``, once after its timeout and then
at once; the ``RouteRateLimiter`` counts in the process meanwhile; both share again afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from redis.asyncio import Redis

from devforge.adapters.memory.local_fallback_rate_limiter import LocalFallbackRateLimiter
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.client import make_request_path_client
from devforge.adapters.redis.leased_rate_limiter import RedisLeasedRateLimiter
from devforge.application.common.unavailable import ServiceUnavailable
from tests.fakes.servers import PrivateRedis, private_redis

pytestmark = pytest.mark.xdist_group("private-redis")


class CountingClient(Redis):
    """The request-path client, counting the commands it tries to send."""

    sent = 0

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        self.sent += 1
        return await super().execute_command(*args, **options)


@pytest.fixture
def redis() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


@pytest.fixture
async def client(redis: PrivateRedis) -> AsyncIterator[CountingClient]:
    plain = make_request_path_client(redis.url, timeout_seconds=0.3)
    counting = CountingClient(connection_pool=plain.connection_pool)
    yield counting
    await counting.aclose()


@pytest.mark.parametrize("outage", ["stopped", "paused"])
async def test_the_shared_limiter_fails_fast_and_the_route_limiter_counts_alone(
    redis: PrivateRedis, client: CountingClient, outage: str
) -> None:
    breaker = RedisCircuitBreaker(open_seconds=0.5)
    shared = RedisLeasedRateLimiter(client, breaker=breaker)
    route = LocalFallbackRateLimiter(shared)
    assert (await shared.hit("login:ann", limit=3, window_seconds=60)).allowed
    redis.stop() if outage == "stopped" else redis.pause()

    with pytest.raises(ServiceUnavailable) as unavailable:
        await shared.peek("login:ann", limit=3, window_seconds=60)
    assert unavailable.value.retry_after_seconds >= 1
    sent = client.sent
    with pytest.raises(ServiceUnavailable):  # the breaker answers: Redis is not asked again
        await shared.hit("login:ann", limit=3, window_seconds=60)
    assert client.sent == sent
    # The route limit holds in the process: the limit, then refusals, never an error.
    decisions = [await route.hit("api:10.0.0.1", limit=3, window_seconds=60) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert client.sent == sent

    redis.start() if outage == "stopped" else redis.resume()
    await asyncio.sleep(0.6)  # the breaker lets a probe through
    assert (await route.hit("api:10.0.0.1", limit=3, window_seconds=60)).allowed  # the shared window
    assert not breaker.is_open
    shared_again = await shared.peek("api:10.0.0.1", limit=3, window_seconds=60)
    assert shared_again.remaining == 2  # counted in Redis again; the outage's local count is not carried
    await shared.aclose()
