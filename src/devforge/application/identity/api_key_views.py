"""What the API-key use cases answer with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.identity.api_key import ApiKey


@dataclass(frozen=True, slots=True)
class ApiKeyView:
    id: UUID
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyView:
        return cls(
            key.id,
            key.name,
            key.prefix,
            tuple(sorted(key.scopes)),
            key.created_at,
            key.expires_at,
            key.last_used_at,
            key.revoked_at,
        )


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """The only time the secret leaves the server."""

    key: ApiKeyView
    secret: str
