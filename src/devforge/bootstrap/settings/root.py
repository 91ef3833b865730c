"""``Settings``: the process's own settings, the platform's sections, and one section per
context (declared by the context's module, read with ``settings.section(BillingSettings)`` or
injected by the container)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import msgspec

from devforge.bootstrap.settings.platform import (
    CdnSettings,
    DatabaseSettings,
    DeliverySettings,
    HttpSettings,
    MailSettings,
    RateLimitSettings,
    RedisSettings,
    StorageSettings,
)
from devforge.bootstrap.settings.section import Profile, Section, SettingsError

S = TypeVar("S", bound=Section)

PLATFORM_SECTIONS: dict[str, type[Section]] = {
    "http": HttpSettings,
    "rate_limits": RateLimitSettings,
    "database": DatabaseSettings,
    "redis": RedisSettings,
    "mail": MailSettings,
    "delivery": DeliverySettings,
    "storage": StorageSettings,
    "content_delivery": CdnSettings,
}
"""The platform's sections, by their attribute on ``Settings``."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    SECRETS: ClassVar[frozenset[str]] = frozenset({"secret_key"})

    profile: Profile = "embedded"
    data_dir: str = "./var"
    secret_key: str = ""
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "console"] = "auto"
    http: HttpSettings = msgspec.field(default_factory=HttpSettings)
    rate_limits: RateLimitSettings = msgspec.field(default_factory=RateLimitSettings)
    database: DatabaseSettings = msgspec.field(default_factory=DatabaseSettings)
    redis: RedisSettings = msgspec.field(default_factory=RedisSettings)
    mail: MailSettings = msgspec.field(default_factory=MailSettings)
    delivery: DeliverySettings = msgspec.field(default_factory=DeliverySettings)
    storage: StorageSettings = msgspec.field(default_factory=StorageSettings)
    content_delivery: CdnSettings = msgspec.field(default_factory=CdnSettings)
    sections: tuple[Section, ...] = ()
    """Each context's own section."""

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def secret(self) -> bytes:
        return self.secret_key.encode("utf-8")

    def section(self, kind: type[S]) -> S:
        for section in self.sections:
            if type(section) is kind:
                return section
        raise LookupError(f"no {kind.__name__} in these settings: is its context in the list of contexts?")

    def value_of(self, field: str) -> Any:
        """The value of a field by its name, wherever its section is (``stripe_api_key``)."""
        for part in (self, *(getattr(self, name) for name in PLATFORM_SECTIONS), *self.sections):
            if field in part.__struct_fields__ and field not in PLATFORM_SECTIONS and field != "sections":
                return getattr(part, field)
        raise SettingsError(f"no setting is named {field!r}")

    def check(self) -> None:
        if self.secret_key and len(self.secret_key) < 32:
            raise SettingsError("DEVFORGE_SECRET_KEY must be at least 32 characters (or unset in embedded)")
        if self.profile == "production" and len(self.secret_key) < 32:
            raise SettingsError("DEVFORGE_SECRET_KEY must be set to at least 32 characters in production")

    def __repr__(self) -> str:
        own = [f"{name}={'***' if name in self.SECRETS and getattr(self, name) else getattr(self, name)!r}"
               for name in self.__struct_fields__ if name != "sections" and name not in PLATFORM_SECTIONS]  # fmt: skip
        parts = [*own, *(f"{name}={getattr(self, name)!r}" for name in PLATFORM_SECTIONS)]
        parts += [repr(section) for section in self.sections]
        return "Settings(" + ", ".join(parts) + ")"
