"""Typed settings from ``DEVFORGE_*`` environment variables.

Every field is one variable (``database_url`` <- ``DEVFORGE_DATABASE_URL``). A value that does
not parse raises ``SettingsError`` naming the variable and what was expected. Lists are
comma-separated.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import msgspec

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
    redis_url: str = "redis://127.0.0.1:6379/0"
    secret_key: str = ""
    public_base_url: str = ""
    cors_origins: list[str] = msgspec.field(default_factory=list)
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
    license_keys_dir: str = ""

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def license_keys_path(self) -> Path:
        """The licensing signing key ring: the configured directory, else ``<data dir>/license_keys``."""
        return Path(self.license_keys_dir) if self.license_keys_dir else self.data_path / "license_keys"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_path / 'devforge.db'}"

    @property
    def resolved_public_base_url(self) -> str:
        """Links in mails and the OpenAPI server: the configured URL, else this host and port."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def resolved_mail_backend(self) -> str:
        if self.mail_backend != "auto":
            return self.mail_backend
        return "maildir" if self.profile == "embedded" else "smtp"

    @property
    def secret(self) -> bytes:
        return self.secret_key.encode("utf-8")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for name in Settings.__struct_fields__:
        variable = f"DEVFORGE_{name.upper()}"
        if variable in environ:
            values[name] = _parse(variable, environ[variable], hints[name])
    settings = Settings(**values)
    _check(settings)
    if not settings.secret_key:
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
    for name in ("port", "workers", "max_body_bytes", "access_token_minutes", "session_days"):
        if getattr(settings, name) <= 0:
            raise SettingsError(f"DEVFORGE_{name.upper()} must be a positive number")


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


def _masked_repr(self: Settings) -> str:
    shown = {
        name: ("***" if name in ("secret_key", "smtp_password") and getattr(self, name) else getattr(self, name))
        for name in self.__struct_fields__
    }
    return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


Settings.__repr__ = _masked_repr  # type: ignore[method-assign,assignment]
