"""Typed settings from ``DEVFORGE_*`` environment variables.

Every field is one variable (``database_url`` <- ``DEVFORGE_DATABASE_URL``). A value that does
not parse raises ``SettingsError`` naming the variable and what was expected. Lists are
comma-separated.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

import msgspec

from devforge.application.billing.return_urls import origin_of
from devforge.domain.billing.countries import EU_MEMBER_STATES, iso_country_codes
from devforge.domain.billing.vat_id import is_well_formed_vat_id

Profile = Literal["embedded", "production"]


class SettingsError(ValueError):
    pass


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    profile: Profile = "embedded"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    data_dir: str = "./var"
    database_url: str = ""
    database_pool_size: int = 20
    """Connections each process keeps open to PostgreSQL (plus half as many for bursts, which are
    closed again after use: a pool too small for the load opens and closes connections all day)."""
    validation_flush_seconds: float = 5.0
    """How often each API process writes the license validations it counted in memory."""
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout_seconds: float = 0.5
    """Connect and socket timeout of the Redis client on the request path (cache, rate limits,
    idempotency): a hung Redis costs a request at most this, never the client's default 5 s."""
    redis_breaker_seconds: float = 5.0
    """After a Redis failure, how long each process answers without asking Redis (rate limits
    per process, 503 with this Retry-After for what needs Redis) before it tries again."""
    secret_key: str = ""
    public_base_url: str = ""
    cors_origins: list[str] = msgspec.field(default_factory=list)
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    """Addresses or CIDR ranges of the proxies in front of the service: only a request arriving
    from one of them has its ``X-Forwarded-For``/``-Proto`` believed. Empty: never believed."""
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "console"] = "auto"
    max_body_bytes: int = 1_048_576
    access_token_minutes: int = 15
    session_days: int = 30
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19_456
    argon2_parallelism: int = 1
    rate_limit_auth_per_minute: int = 20
    rate_limit_api_per_minute: int = 600
    rate_limit_license_per_minute: int = 600
    rate_limit_window_seconds: int = 60
    """The window of the route-group limits above (the limits count per window; 60 = per minute)."""
    rate_limit_lease_seconds: float = 1.0
    """How long a process may hand out the hits it leased from Redis before it gives back the rest."""
    drain_seconds: float = 5.0
    """On SIGTERM, how long an API process keeps serving with /health/ready at 503 before it closes."""
    mail_backend: Literal["auto", "maildir", "smtp"] = "auto"
    mail_from: str = "Dev Forge <no-reply@devforge.localhost>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
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
    license_keys_dir: str = ""
    # Billing
    payment_provider: Literal["auto", "sandbox", "stripe"] = "auto"
    stripe_api_key: str = ""
    stripe_api_base: str = ""
    webhook_secrets: list[str] = msgspec.field(default_factory=list)
    checkout_return_origins: list[str] = msgspec.field(default_factory=list)
    """Origins (``https://shop.example``) a checkout's success and cancel URLs may point to,
    besides the public base URL's own."""
    tax_backend: Literal["auto", "table", "taxjar"] = "auto"
    taxjar_api_token: str = ""
    taxjar_api_base: str = "https://api.taxjar.com"
    vies: Literal["auto", "offline", "rest"] = "auto"
    """Where VAT ids are verified: VIES's REST API, or the offline stand-in (every id unverified,
    VAT charged); ``auto`` is the REST API in production and offline in embedded."""
    vies_api_base: str = "https://ec.europa.eu/taxation_customs/vies/rest-api"
    vies_timeout_seconds: float = 5.0
    vies_cache_hours: int = 24
    """How long a VAT id VIES confirmed stays confirmed without asking again."""
    invoice_seller_name: str = "Dev Forge Services"
    invoice_seller_address: str = ""
    invoice_seller_country: str = ""
    invoice_seller_vat_id: str = ""
    invoice_seller_email: str = ""
    # Distribution: object storage, CDN, malware scanning, DNS, artifact signing
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    cdn: Literal["none", "cloudflare"] = "none"
    cdn_public_base_url: str = ""
    cloudflare_zone_id: str = ""
    cloudflare_api_token: str = ""
    cloudflare_api_base: str = "https://api.cloudflare.com"
    malware_scanner: Literal["auto", "builtin", "clamd"] = "auto"
    clamd_address: str = "127.0.0.1:3310"
    clamd_timeout_seconds: float = 60.0
    dns_resolver: Literal["auto", "static", "dnspython"] = "auto"
    dns_nameservers: list[str] = msgspec.field(default_factory=list)
    dns_timeout_seconds: float = 5.0
    registry_keys_dir: str = ""
    # Marketplace
    max_package_bytes: int = 52_428_800
    marketplace_checks_disabled: list[str] = msgspec.field(default_factory=list)
    marketplace_checks_not_enforced: list[str] = msgspec.field(default_factory=list)
    marketplace_checks_not_required: list[str] = msgspec.field(default_factory=list)
    marketplace_blocked_sha256: list[str] = msgspec.field(default_factory=list)
    marketplace_auto_approve_verified: bool = True
    marketplace_min_coverage_percent: float = 60.0
    marketplace_coverage_report_required: bool = False
    marketplace_lint_error_budget: int = 0
    marketplace_lint_warning_budget: int = 50
    download_link_minutes: int = 5

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def license_keys_path(self) -> Path:
        """The licensing signing key ring: the configured directory, else ``<data dir>/license_keys``."""
        return Path(self.license_keys_dir) if self.license_keys_dir else self.data_path / "license_keys"

    @property
    def registry_keys_path(self) -> Path:
        """The marketplace's artifact signing key ring, apart from the licensing one."""
        return Path(self.registry_keys_dir) if self.registry_keys_dir else self.data_path / "registry_keys"

    @property
    def resolved_payment_provider(self) -> str:
        """The sandbox in embedded, Stripe in production, unless one is named."""
        if self.payment_provider != "auto":
            return self.payment_provider
        return "sandbox" if self.profile == "embedded" else "stripe"

    @property
    def resolved_malware_scanner(self) -> str:
        """clamd in production, the built-in checks in embedded, unless one is named."""
        if self.malware_scanner != "auto":
            return self.malware_scanner
        return "builtin" if self.profile == "embedded" else "clamd"

    @property
    def resolved_dns_resolver(self) -> str:
        """dnspython in production or when nameservers are set; else the static table."""
        if self.dns_resolver != "auto":
            return self.dns_resolver
        return "dnspython" if self.profile == "production" or self.dns_nameservers else "static"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_path / 'devforge.db'}"

    @property
    def resolved_public_base_url(self) -> str:
        """Links in mails and the OpenAPI server: the configured URL, else this host and port."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def resolved_vies(self) -> str:
        if self.vies != "auto":
            return self.vies
        return "rest" if self.profile == "production" else "offline"

    @property
    def resolved_mail_backend(self) -> str:
        if self.mail_backend != "auto":
            return self.mail_backend
        return "maildir" if self.profile == "embedded" else "smtp"

    @property
    def secret(self) -> bytes:
        return self.secret_key.encode("utf-8")


def load_settings(environ: Mapping[str, str] | None = None, *, local_secret: bool = True) -> Settings:
    """``local_secret=False`` leaves an unset embedded secret key unset instead of generating one
    into the data directory (``devforge restore`` must find that directory as it was)."""
    environ = os.environ if environ is None else environ
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for name in Settings.__struct_fields__:
        variable = f"DEVFORGE_{name.upper()}"
        if variable in environ:
            values[name] = _parse(variable, environ[variable], hints[name])
    settings = Settings(**values)
    _check(settings)
    if not settings.secret_key and local_secret:
        settings = msgspec.structs.replace(settings, secret_key=_local_secret(settings))
    return settings


def _parse(variable: str, raw: str, annotation: Any) -> Any:
    value: Any = raw
    if get_origin(annotation) is list:
        value = [item.strip() for item in raw.split(",") if item.strip()]
    try:
        return msgspec.convert(value, annotation, strict=False)
    except msgspec.ValidationError as error:
        expected = ", ".join(map(repr, get_args(annotation))) if get_origin(annotation) is Literal else None
        detail = f"expected one of {expected}" if expected else str(error)
        raise SettingsError(f"{variable}={raw!r} is invalid: {detail}") from None


def _check(settings: Settings) -> None:
    if settings.secret_key and len(settings.secret_key) < 32:
        raise SettingsError("DEVFORGE_SECRET_KEY must be at least 32 characters (or unset in embedded)")
    if settings.profile == "production":
        if len(settings.secret_key) < 32:
            raise SettingsError("DEVFORGE_SECRET_KEY must be set to at least 32 characters in production")
        if not settings.database_url.startswith("postgresql"):
            raise SettingsError("DEVFORGE_DATABASE_URL must be a postgresql+asyncpg:// URL in production")
    positive = (
        "port", "workers", "max_body_bytes", "access_token_minutes", "session_days", "database_pool_size",
        "validation_flush_seconds", "max_package_bytes", "download_link_minutes", "clamd_timeout_seconds",
        "dns_timeout_seconds", "vies_timeout_seconds", "vies_cache_hours",
        "outbox_poll_seconds", "delivery_lease_seconds", "delivery_outage_retry_seconds", "worker_concurrency",
        "worker_stop_seconds",
        "redis_timeout_seconds", "redis_breaker_seconds", "rate_limit_window_seconds", "rate_limit_lease_seconds",
    )  # fmt: skip
    for name in positive:
        if getattr(settings, name) <= 0:
            raise SettingsError(f"DEVFORGE_{name.upper()} must be a positive number")
    if settings.drain_seconds < 0:
        raise SettingsError("DEVFORGE_DRAIN_SECONDS must be zero or more")
    if not 0 <= settings.marketplace_min_coverage_percent <= 100:
        raise SettingsError("DEVFORGE_MARKETPLACE_MIN_COVERAGE_PERCENT must be between 0 and 100")
    for name in ("marketplace_lint_error_budget", "marketplace_lint_warning_budget"):
        if getattr(settings, name) < 0:
            raise SettingsError(f"DEVFORGE_{name.upper()} must be zero or more")
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(f"DEVFORGE_TRUSTED_PROXIES: {proxy!r} is not an IP address or CIDR range") from None
    _check_seller(settings)
    for origin in settings.checkout_return_origins:
        if origin_of(origin) is None or urlsplit(origin).path not in ("", "/"):
            raise SettingsError(f"DEVFORGE_CHECKOUT_RETURN_ORIGINS: {origin!r} is not an http(s) origin")
    if settings.storage_backend == "s3" and not settings.s3_bucket:
        raise SettingsError("DEVFORGE_S3_BUCKET must be set with DEVFORGE_STORAGE_BACKEND=s3")
    if settings.cdn == "cloudflare":
        for name in ("cloudflare_zone_id", "cloudflare_api_token"):
            if not getattr(settings, name):
                raise SettingsError(f"DEVFORGE_{name.upper()} must be set with DEVFORGE_CDN=cloudflare")


def _check_seller(settings: Settings) -> None:
    """The seller's country decides which sales are cross-border (the reverse charge), and its VAT
    id is sent to VIES as the requester: both must be what they claim."""
    country = settings.invoice_seller_country
    if country and country not in iso_country_codes():
        raise SettingsError(f"DEVFORGE_INVOICE_SELLER_COUNTRY={country!r} is not an ISO 3166-1 alpha-2 code")
    vat_id = settings.invoice_seller_vat_id
    if vat_id and country in EU_MEMBER_STATES and not is_well_formed_vat_id(country, vat_id):
        raise SettingsError(f"DEVFORGE_INVOICE_SELLER_VAT_ID={vat_id!r} is not a VAT id of {country}")


def _local_secret(settings: Settings) -> str:
    """The embedded profile keeps a generated key in its data folder (mode 0600), so tokens
    survive restarts without anyone having to invent a secret."""
    path = settings.data_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


_SECRETS = (
    "secret_key",
    "smtp_password",
    "stripe_api_key",
    "webhook_secrets",
    "taxjar_api_token",
    "cloudflare_api_token",
)


def _masked_repr(self: Settings) -> str:
    shown = {
        name: ("***" if name in _SECRETS and getattr(self, name) else getattr(self, name))
        for name in self.__struct_fields__
    }
    return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


Settings.__repr__ = _masked_repr  # type: ignore[method-assign,assignment]
