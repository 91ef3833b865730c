"""What identity use cases answer with: plain data, no domain objects leak to the shells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.identity.user import User


@dataclass(frozen=True, slots=True)
class UserView:
    id: UUID
    email: str
    role: str
    status: str
    email_verified: bool
    created_at: datetime
    two_factor_enabled: bool = False

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            user.id,
            user.email.value,
            user.role.value,
            user.status.value,
            user.email_verified,
            user.created_at,
            user.two_factor_enabled,
        )


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    session_id: UUID
