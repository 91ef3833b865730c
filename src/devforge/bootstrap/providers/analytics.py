"""The analytics context's providers: the store and the dedup claims the settings choose, the
in-process write buffer, and the use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine
from devforge.adapters.analytics.clickhouse_store import ClickHouseAddress, ClickHouseAnalyticsStore
from devforge.adapters.memory.analytics import InMemoryAnalyticsStore, InMemoryEventClaims
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.event_claims import RedisEventClaims
from devforge.application.analytics.ports import AnalyticsStore, EventClaims
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.settings.analytics import AnalyticsSettings


class ChdbStoreProvider(AdapterProvider):
    """Embedded (or production when ``DEVFORGE_ANALYTICS_STORE=chdb``): ClickHouse in the process."""

    scope = Scope.APP

    @provide
    async def store(self, analytics: AnalyticsSettings) -> AsyncIterator[AnalyticsStore]:
        engine = ChdbEngine(analytics.data_path)
        yield ChdbAnalyticsStore(engine, analytics.clickhouse_database, analytics.analytics_retention_days)
        engine.close()


class ClickHouseStoreProvider(AdapterProvider):
    scope = Scope.APP
    requires = ("clickhouse_url", "clickhouse_user")
    label = "the ClickHouse analytics store"

    @provide
    async def store(self, analytics: AnalyticsSettings) -> AsyncIterator[AnalyticsStore]:
        address = ClickHouseAddress(
            analytics.clickhouse_url,
            analytics.clickhouse_user,
            analytics.clickhouse_password,
            analytics.clickhouse_database,
            analytics.clickhouse_timeout_seconds,
        )
        store = ClickHouseAnalyticsStore(address, analytics.analytics_retention_days)
        yield store
        store.close()


class InProcessClaimsProvider(AdapterProvider):
    scope = Scope.APP

    @provide
    def claims(self) -> EventClaims:
        return InMemoryEventClaims()


class RedisClaimsProvider(AdapterProvider):
    """On the platform's Redis client and circuit breaker (production's services provider)."""

    scope = Scope.APP
    requires = ("redis_url",)
    label = "the analytics dedup window on Redis"

    @provide
    def claims(self, redis: Redis, breaker: RedisCircuitBreaker) -> EventClaims:
        return RedisEventClaims(redis, breaker=breaker)


class MemoryAnalyticsProvider(Provider):
    scope = Scope.APP

    @provide
    def memory_store(self) -> InMemoryAnalyticsStore:
        return InMemoryAnalyticsStore()

    @provide
    def store(self, store: InMemoryAnalyticsStore) -> AnalyticsStore:
        return store

    @provide
    def claims(self) -> EventClaims:
        return InMemoryEventClaims()
