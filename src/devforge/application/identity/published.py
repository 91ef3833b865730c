"""What identity publishes: account events its own mail consumers read today, and any context
may. Frozen once published: a change is a new class with the next VERSION beside the old one
(tests/unit/contracts/published_events.json holds each one's fields). Standard library only.

No event carries a secret: the link mails mint their token when they are sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.common.integration_events import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class UserRegisteredV1(IntegrationEvent):
    NAME = "identity.user_registered"
    VERSION = 1
    user_id: UUID
    email: str
    role: str


@dataclass(frozen=True, kw_only=True)
class SessionStartedV1(IntegrationEvent):
    NAME = "identity.session_started"
    VERSION = 1
    user_id: UUID
    session_id: UUID
    ip: str
    device: str


@dataclass(frozen=True, kw_only=True)
class SessionRevokedV1(IntegrationEvent):
    NAME = "identity.session_revoked"
    VERSION = 1
    user_id: UUID
    session_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class EmailVerifiedV1(IntegrationEvent):
    NAME = "identity.email_verified"
    VERSION = 1
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class PasswordChangedV1(IntegrationEvent):
    NAME = "identity.password_changed"
    VERSION = 1
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class RoleChangedV1(IntegrationEvent):
    NAME = "identity.role_changed"
    VERSION = 1
    user_id: UUID
    previous: str
    role: str


@dataclass(frozen=True, kw_only=True)
class UserDisabledV1(IntegrationEvent):
    NAME = "identity.user_disabled"
    VERSION = 1
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class UserEnabledV1(IntegrationEvent):
    NAME = "identity.user_enabled"
    VERSION = 1
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class ApiKeyCreatedV1(IntegrationEvent):
    NAME = "identity.api_key_created"
    VERSION = 1
    user_id: UUID
    api_key_id: UUID
    key_name: str
    scopes: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class ApiKeyRevokedV1(IntegrationEvent):
    NAME = "identity.api_key_revoked"
    VERSION = 1
    user_id: UUID
    api_key_id: UUID


@dataclass(frozen=True, kw_only=True)
class EmailVerificationRequestedV1(IntegrationEvent):
    NAME = "identity.email_verification_requested"
    VERSION = 1
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequestedV1(IntegrationEvent):
    NAME = "identity.password_reset_requested"
    VERSION = 1
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class TwoFactorEnabledV1(IntegrationEvent):
    NAME = "identity.two_factor_enabled"
    VERSION = 1
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class TwoFactorDisabledV1(IntegrationEvent):
    NAME = "identity.two_factor_disabled"
    VERSION = 1
    user_id: UUID
