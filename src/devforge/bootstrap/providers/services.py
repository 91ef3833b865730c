"""Cache, rate limiter, mail, file storage and readiness probes: each an adapter the settings
select (``bootstrap/contexts/platform.py`` chooses), or memory for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.mail.maildir_mailer import MaildirMailer
from devforge.adapters.mail.smtp_mailer import SmtpMailer
from devforge.adapters.memory.cache import InMemoryCache
from devforge.adapters.memory.file_storage import InMemoryFileStorage
from devforge.adapters.memory.local_fallback_rate_limiter import LocalFallbackRateLimiter
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.rate_limiter import InMemoryRateLimiter
from devforge.adapters.persistence.health import SqlaHealthProbe
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.cache import RedisCache
from devforge.adapters.redis.client import make_request_path_client
from devforge.adapters.redis.health import RedisHealthProbe
from devforge.adapters.redis.leased_rate_limiter import RedisLeasedRateLimiter
from devforge.adapters.redis.near_cache import RedisNearCache
from devforge.adapters.storage.local_disk_file_storage import LocalDiskFileStorage
from devforge.application.common.cache import Cache, ReadMostlyCache
from devforge.application.common.clock import Clock
from devforge.application.common.download_links import DownloadLinks
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.health import HealthProbes
from devforge.application.common.mailer import Mailer
from devforge.application.common.rate_limiter import RateLimiter, RouteRateLimiter
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.settings import Settings


class InProcessServicesProvider(AdapterProvider):
    """Embedded profile: one process holds the cache and the limits."""

    scope = Scope.APP

    @provide
    def cache(self) -> Cache:
        return InMemoryCache()

    @provide
    def read_mostly_cache(self) -> ReadMostlyCache:
        return InMemoryCache()

    @provide
    def rate_limiter(self) -> RateLimiter:
        return InMemoryRateLimiter()

    @provide
    def route_rate_limiter(self, limiter: RateLimiter) -> RouteRateLimiter:
        """One process holds the only window: nothing to degrade to."""
        return limiter

    @provide
    def probes(self, engine: AsyncEngine) -> HealthProbes:
        return (SqlaHealthProbe(engine),)


class RedisServicesProvider(AdapterProvider):
    """Production: Redis is shared by every API process and worker."""

    scope = Scope.APP
    requires = ("redis_url",)
    label = "Redis (cache, rate limits)"

    @provide
    async def redis(self, settings: Settings) -> AsyncIterator[Redis]:
        client = make_request_path_client(
            settings.redis.redis_url, timeout_seconds=settings.redis.redis_timeout_seconds
        )
        yield client
        await client.aclose()

    @provide
    def breaker(self, redis: Redis, settings: Settings) -> RedisCircuitBreaker:
        """One per process: once Redis failed, no request path waits on it for a while, and a PING
        in the background (never a request) finds out when it is back."""
        return RedisCircuitBreaker(settings.redis.redis_breaker_seconds, probe=redis.ping)

    @provide
    def cache(self, redis: Redis, breaker: RedisCircuitBreaker) -> Cache:
        return RedisCache(redis, breaker=breaker)

    @provide
    async def read_mostly_cache(self, redis: Redis, breaker: RedisCircuitBreaker) -> AsyncIterator[ReadMostlyCache]:
        """Copies in each process, dropped through Redis pub/sub when any process changes a key."""
        cache = RedisNearCache(redis, breaker=breaker)
        await cache.start()
        yield cache
        await cache.stop()

    @provide
    async def leased_rate_limiter(
        self, redis: Redis, breaker: RedisCircuitBreaker, settings: Settings
    ) -> AsyncIterator[RedisLeasedRateLimiter]:
        """Leases hits (one round trip per lease; exact for small limits): see RedisLeasedRateLimiter."""
        limiter = RedisLeasedRateLimiter(
            redis, breaker=breaker, lease_seconds=settings.rate_limits.rate_limit_lease_seconds
        )
        yield limiter
        await limiter.aclose()

    @provide
    def rate_limiter(self, limiter: RedisLeasedRateLimiter) -> RateLimiter:
        """The shared window, or ServiceUnavailable (sign-in throttling needs the shared count)."""
        return limiter

    @provide
    def route_rate_limiter(self, limiter: RedisLeasedRateLimiter) -> RouteRateLimiter:
        """The shared window, or a window per process while Redis is away (fail open, bounded)."""
        return LocalFallbackRateLimiter(limiter)

    @provide
    def probes(self, engine: AsyncEngine, redis: Redis) -> HealthProbes:
        return (SqlaHealthProbe(engine), RedisHealthProbe(redis))


class MaildirMailProvider(AdapterProvider):
    @provide(scope=Scope.APP)
    def mailer(self, settings: Settings) -> Mailer:
        return MaildirMailer(settings.data_path / "mail", settings.mail.mail_from)


class SmtpMailProvider(AdapterProvider):
    requires = ("smtp_host",)
    label = "the SMTP mailer"

    @provide(scope=Scope.APP)
    def mailer(self, settings: Settings) -> Mailer:
        return SmtpMailer(
            settings.mail.smtp_host,
            settings.mail.smtp_port,
            settings.mail.mail_from,
            username=settings.mail.smtp_username or None,
            password=settings.mail.smtp_password or None,
            tls_mode=settings.mail.smtp_tls,
        )


class LocalDiskStorageProvider(AdapterProvider):
    """Files under ``<data dir>/files``, downloaded through the service's own signed links."""

    @provide(scope=Scope.APP)
    def storage(self, settings: Settings, links: DownloadLinks, clock: Clock) -> FileStorage:
        return LocalDiskFileStorage(settings.data_path / "files", links, clock)


class S3StorageProvider(AdapterProvider):
    """``DEVFORGE_STORAGE_BACKEND=s3``: the bucket ``DEVFORGE_S3_BUCKET`` (endpoint and region
    configurable, credentials from the usual AWS chain); downloads are presigned S3 URLs."""

    requires = ("s3_bucket",)
    label = "S3 storage"

    @provide(scope=Scope.APP)
    def storage(self, settings: Settings) -> FileStorage:
        # Imported only where S3 is chosen: boto3 costs most of a second to import, at every start.
        from devforge.adapters.storage.s3_file_storage import S3FileStorage, make_s3_client

        client = make_s3_client(
            region=settings.storage.s3_region, endpoint_url=settings.storage.s3_endpoint_url or None
        )
        return S3FileStorage(client, settings.storage.s3_bucket)


class MemoryServicesProvider(Provider):
    """Tests: everything in memory; the mailer keeps what it sent, so tests can observe it."""

    scope = Scope.APP
    mailer = provide(InMemoryMailer)

    @provide
    def memory_storage(self, links: DownloadLinks, clock: Clock) -> InMemoryFileStorage:
        return InMemoryFileStorage(links, clock)

    @provide
    def storage(self, storage: InMemoryFileStorage) -> FileStorage:
        return storage

    @provide
    def cache(self) -> Cache:
        return InMemoryCache()

    @provide
    def read_mostly_cache(self) -> ReadMostlyCache:
        return InMemoryCache()

    @provide
    def rate_limiter(self) -> RateLimiter:
        return InMemoryRateLimiter()

    @provide
    def route_rate_limiter(self, limiter: RateLimiter) -> RouteRateLimiter:
        return limiter

    @provide
    def mail(self, mailer: InMemoryMailer) -> Mailer:
        return mailer

    @provide
    def probes(self) -> HealthProbes:
        return ()
