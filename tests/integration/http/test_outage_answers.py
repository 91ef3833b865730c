"""What a client sees when a limit refuses it or when Redis is away: problem+json with the
request id, logged with the status it was answered with; 503 with Retry-After for what needs
Redis, and the route-group limits still enforced in the process."""

from __future__ import annotations

import logging

import pytest
from dishka import Provider, Scope, provide
from structlog.testing import capture_logs

from devforge.adapters.memory.local_fallback_rate_limiter import LocalFallbackRateLimiter
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.cache import RedisCache
from devforge.adapters.redis.client import make_request_path_client
from devforge.adapters.redis.leased_rate_limiter import RedisLeasedRateLimiter
from devforge.adapters.redis.near_cache import RedisNearCache
from devforge.application.common.cache import Cache, ReadMostlyCache
from devforge.application.common.rate_limiter import RateLimiter, RouteRateLimiter
from tests.fakes.ports import free_port
from tests.integration.http.conftest import build_client
from tests.integration.http.test_auth_api import PASSWORD, register
from tests.integration.http.test_licensing_api import license_auth
from tests.integration.http.test_validate_fast_path import a_key


class DeadRedis:
    """The production Redis client, breaker and limiter, on a port where nothing listens."""

    def __init__(self) -> None:
        self.client = make_request_path_client(f"redis://127.0.0.1:{free_port()}/0", timeout_seconds=0.5)
        self.breaker = RedisCircuitBreaker(open_seconds=30)
        self.limiter = RedisLeasedRateLimiter(self.client, breaker=self.breaker)


class RedisThatIsDown(Provider):
    """Every Redis adapter of the request path on the dead Redis."""

    scope = Scope.APP

    def __init__(self, dead: DeadRedis) -> None:
        super().__init__()
        self.dead = dead

    @provide
    def rate_limiter(self) -> RateLimiter:
        return self.dead.limiter

    @provide
    def route_rate_limiter(self) -> RouteRateLimiter:
        return LocalFallbackRateLimiter(self.dead.limiter)

    @provide
    def cache(self) -> Cache:
        return RedisCache(self.dead.client, breaker=self.dead.breaker)


class LicensingRedisThatIsDown(Provider):
    """Only what validation uses from Redis is dead (its limit and the license cache), so keys
    can still be issued (sign-in needs Redis) before validating them."""

    scope = Scope.APP

    def __init__(self, dead: DeadRedis) -> None:
        super().__init__()
        self.dead = dead

    @provide
    def route_rate_limiter(self) -> RouteRateLimiter:
        return LocalFallbackRateLimiter(self.dead.limiter)

    @provide
    def read_mostly_cache(self) -> ReadMostlyCache:
        return RedisNearCache(self.dead.client, breaker=self.dead.breaker)


async def test_a_429_carries_the_request_id_and_is_logged_as_a_429(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="devforge.http")  # the access log is written at INFO
    test_client, _, _ = build_client(rate_limit_auth_per_minute=1)
    async with test_client as client:
        await client.post("/api/auth/login", json={"email": "a@b.co", "password": "whatever you like"})
        with capture_logs() as logs:
            refused = await client.post(
                "/api/auth/login",
                json={"email": "a@b.co", "password": "whatever you like"},
                headers={"X-Request-ID": "caller-chosen-id-1"},
            )
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.headers["x-request-id"] == refused.json()["requestId"] == "caller-chosen-id-1"
    assert [line["status"] for line in logs if line["event"] == "request"] == [429]
    assert not [line for line in logs if line["event"] == "unhandled_error"]


async def test_with_redis_down_sign_in_answers_503_and_limits_hold_in_the_process() -> None:
    down = DeadRedis()
    test_client, _, _ = build_client(RedisThatIsDown(down), rate_limit_auth_per_minute=3)
    try:
        async with test_client as client:
            await register(client)
            answers = [
                await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
                for _ in range(4)
            ]
            idempotent = await client.post(
                "/api/auth/logout", headers={"Idempotency-Key": "once"}, json={"refreshToken": "x"}
            )
    finally:
        await down.client.aclose()
    assert [answer.status_code for answer in answers] == [503, 503, 429, 429]  # register took one
    unavailable = answers[0]
    assert unavailable.headers["content-type"].startswith("application/problem+json")
    assert unavailable.json()["code"] == "service_unavailable"
    assert int(unavailable.headers["retry-after"]) >= 1
    assert unavailable.json()["requestId"] == unavailable.headers["x-request-id"]
    assert idempotent.status_code == 503  # idempotency keys are kept in Redis
    assert down.breaker.is_open


async def test_with_redis_down_validation_answers_from_the_database() -> None:
    down = DeadRedis()
    test_client, _, _ = build_client(LicensingRedisThatIsDown(down), rate_limit_license_per_minute=3)
    try:
        async with test_client as client:
            key = await a_key(client)
            answers = [
                await client.post("/api/licenses/validate", json={}, headers=license_auth(key)) for _ in range(4)
            ]
    finally:
        await down.client.aclose()
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[0].json()["valid"] is True
