"""The Redis client every API process and worker uses for the cache, limits and idempotency."""

from __future__ import annotations

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError


def make_request_path_client(url: str, *, timeout_seconds: float) -> redis.Redis:
    """Short connect and socket timeouts, so a hung Redis costs a request at most
    ``timeout_seconds`` (then the circuit breaker answers at once); one immediate retry on a
    broken connection only (a pooled connection the server closed, after a Redis restart), never
    on a timeout. Blocking readers (the near cache's subscription) are not slowed by it: redis-py
    reads pub/sub messages without the socket timeout."""
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )
