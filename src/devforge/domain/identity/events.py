"""Facts the identity context publishes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class UserRegistered(DomainEvent):
    name: ClassVar[str] = "identity.user_registered"
    user_id: UUID
    email: str
    role: str


@dataclass(frozen=True, kw_only=True)
class SessionStarted(DomainEvent):
    name: ClassVar[str] = "identity.session_started"
    user_id: UUID
    session_id: UUID
    ip: str
    device: str


@dataclass(frozen=True, kw_only=True)
class SessionRevoked(DomainEvent):
    name: ClassVar[str] = "identity.session_revoked"
    user_id: UUID
    session_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class EmailVerified(DomainEvent):
    name: ClassVar[str] = "identity.email_verified"
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(DomainEvent):
    name: ClassVar[str] = "identity.password_changed"
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class RoleChanged(DomainEvent):
    name: ClassVar[str] = "identity.role_changed"
    user_id: UUID
    previous: str
    role: str


@dataclass(frozen=True, kw_only=True)
class UserDisabled(DomainEvent):
    name: ClassVar[str] = "identity.user_disabled"
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class UserEnabled(DomainEvent):
    name: ClassVar[str] = "identity.user_enabled"
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(DomainEvent):
    name: ClassVar[str] = "identity.api_key_created"
    user_id: UUID
    api_key_id: UUID
    key_name: str
    scopes: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class ApiKeyRevoked(DomainEvent):
    name: ClassVar[str] = "identity.api_key_revoked"
    user_id: UUID
    api_key_id: UUID


@dataclass(frozen=True, kw_only=True)
class EmailVerificationRequested(DomainEvent):
    """Carries no token: the mail consumer mints it, so no raw secret is ever stored."""

    name: ClassVar[str] = "identity.email_verification_requested"
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(DomainEvent):
    """Carries no token: the mail consumer mints it, so no raw secret is ever stored."""

    name: ClassVar[str] = "identity.password_reset_requested"
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class TwoFactorEnabled(DomainEvent):
    name: ClassVar[str] = "identity.two_factor_enabled"
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class TwoFactorDisabled(DomainEvent):
    name: ClassVar[str] = "identity.two_factor_disabled"
    user_id: UUID
