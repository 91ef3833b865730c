"""Facts of identity. Each goes out through the outbox as the schema
``application/identity/published.py`` maps it to (the contract other contexts read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class UserRegistered(DomainEvent):
    user_id: UUID
    email: str
    role: str


@dataclass(frozen=True, kw_only=True)
class SessionStarted(DomainEvent):
    user_id: UUID
    session_id: UUID
    ip: str
    device: str


@dataclass(frozen=True, kw_only=True)
class SessionRevoked(DomainEvent):
    user_id: UUID
    session_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class EmailVerified(DomainEvent):
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(DomainEvent):
    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class RoleChanged(DomainEvent):
    user_id: UUID
    previous: str
    role: str


@dataclass(frozen=True, kw_only=True)
class UserDisabled(DomainEvent):
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class UserEnabled(DomainEvent):
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(DomainEvent):
    user_id: UUID
    api_key_id: UUID
    key_name: str
    scopes: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class ApiKeyRevoked(DomainEvent):
    user_id: UUID
    api_key_id: UUID


@dataclass(frozen=True, kw_only=True)
class EmailVerificationRequested(DomainEvent):
    """Carries no token: the mail consumer mints it, so no raw secret is ever stored."""

    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(DomainEvent):
    """Carries no token: the mail consumer mints it, so no raw secret is ever stored."""

    user_id: UUID
    email: str


@dataclass(frozen=True, kw_only=True)
class TwoFactorEnabled(DomainEvent):
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class TwoFactorDisabled(DomainEvent):
    user_id: UUID
