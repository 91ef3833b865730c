"""The platform's sections: the HTTP server and its limits, the database, Redis, mail, the
outbox and the worker, file storage and the CDN."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal, Self

import msgspec

from devforge.bootstrap.settings.section import Profile, Section, SettingsError


class HttpSettings(Section, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    public_base_url: str = ""
    """Links in mails and the OpenAPI server; empty: ``http://<host>:<port>``."""
    cors_origins: list[str] = msgspec.field(default_factory=list)
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    """Addresses or CIDR ranges of the proxies in front of the service: only a request arriving
    from one of them has its ``X-Forwarded-For``/``-Proto`` believed. Empty: never believed."""
    max_body_bytes: int = 1_048_576
    drain_seconds: float = 5.0
    """On SIGTERM, how long an API process keeps serving with /health/ready at 503 before it closes."""

    @property
    def resolved_public_base_url(self) -> str:
        """Resolved here, not at load: ``devforge serve --port`` changes the port after loading."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    def check(self, profile: Profile) -> None:
        self.require_positive("port", "workers", "max_body_bytes")
        self.require_not_negative("drain_seconds")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise SettingsError(f"DEVFORGE_TRUSTED_PROXIES: {proxy!r} is not an IP address or CIDR range") from None


class RateLimitSettings(Section, frozen=True, kw_only=True):
    rate_limit_auth_per_minute: int = 20
    rate_limit_api_per_minute: int = 600
    rate_limit_license_per_minute: int = 600
    rate_limit_analytics_per_minute: int = 600
    """Event batches one client address sends in a minute (``POST /api/analytics/events``): an editor
    sends a batch every few seconds; many editors behind one address need more."""
    rate_limit_window_seconds: int = 60
    """The window of the route-group limits above (the limits count per window; 60 = per minute)."""
    rate_limit_lease_seconds: float = 1.0
    """How long a process may hand out the hits it leased from Redis before it gives back the rest."""

    def check(self, profile: Profile) -> None:
        self.require_positive("rate_limit_window_seconds", "rate_limit_lease_seconds")


class DatabaseSettings(Section, frozen=True, kw_only=True):
    database_url: str = ""
    """Empty: the SQLite file ``<data dir>/devforge.db`` (embedded only)."""
    database_pool_size: int = 30
    """Connections each process keeps open to PostgreSQL, and all it opens: no overflow (a burst's
    extra connections were closed again after use, so a busy process opened and closed them all
    day); a request past the pool waits for a connection."""

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        if self.database_url:
            return self
        return msgspec.structs.replace(self, database_url=f"sqlite+aiosqlite:///{data_path / 'devforge.db'}")

    def check(self, profile: Profile) -> None:
        if profile == "production" and not self.database_url.startswith("postgresql"):
            raise SettingsError("DEVFORGE_DATABASE_URL must be a postgresql+asyncpg:// URL in production")
        self.require_positive("database_pool_size")


class RedisSettings(Section, frozen=True, kw_only=True):
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout_seconds: float = 0.5
    """Connect and socket timeout of the Redis client on the request path (cache, rate limits,
    idempotency): a hung Redis costs a request at most this, never the client's default 5 s."""
    redis_breaker_seconds: float = 5.0
    """After a Redis failure, how long each process answers without asking Redis (rate limits
    per process, 503 with this Retry-After for what needs Redis) before it tries again."""

    def check(self, profile: Profile) -> None:
        self.require_positive("redis_timeout_seconds", "redis_breaker_seconds")


class MailSettings(Section, frozen=True, kw_only=True):
    SECRETS = frozenset({"smtp_password"})

    mail_backend: Literal["auto", "maildir", "smtp"] = "auto"
    """``auto``: a Maildir in embedded, SMTP in production."""
    mail_from: str = "Dev Forge <no-reply@devforge.localhost>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        if self.mail_backend != "auto":
            return self
        return msgspec.structs.replace(self, mail_backend="maildir" if profile == "embedded" else "smtp")


class DeliverySettings(Section, frozen=True, kw_only=True):
    """The outbox relay, event deliveries and the worker that runs them."""

    outbox_poll_seconds: float = 0.5
    delivery_max_attempts: int = 5
    delivery_retry_base_seconds: float = 2.0
    delivery_lease_seconds: float = 5.0
    """How long a claimed delivery is its worker's alone: a crashed worker's work waits this long."""
    delivery_outage_retry_seconds: float = 5.0
    """How soon work that failed because a server was unreachable is tried again (no attempt used)."""
    worker_concurrency: int = 20
    worker_stop_seconds: float = 30.0
    """How long a stopping worker lets running jobs finish before it cancels them."""

    def check(self, profile: Profile) -> None:
        self.require_positive(
            "outbox_poll_seconds",
            "delivery_lease_seconds",
            "delivery_outage_retry_seconds",
            "worker_concurrency",
            "worker_stop_seconds",
        )


class StorageSettings(Section, frozen=True, kw_only=True):
    """Where files live: local disk, or an S3 bucket (credentials from the usual AWS chain)."""

    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"


class CdnSettings(Section, frozen=True, kw_only=True):
    SECRETS = frozenset({"cloudflare_api_token"})

    cdn: Literal["none", "cloudflare"] = "none"
    cdn_public_base_url: str = ""
    cloudflare_zone_id: str = ""
    cloudflare_api_token: str = ""
    cloudflare_api_base: str = "https://api.cloudflare.com"
