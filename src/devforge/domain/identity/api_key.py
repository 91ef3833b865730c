"""API keys: long-lived bearer secrets for machine clients (CI publishing an extension, a build
server), each limited to a few scopes of what its owner may do.

The secret starts with ``dfk_live_`` so secret scanners recognise a leaked key; it is shown once
and only its digest is kept, with its first characters for people to tell keys apart. A key
works until it expires (1 to 365 days) or is revoked; revoking is final.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.identity.errors import ApiKeyRejected
from devforge.domain.identity.events import ApiKeyCreated, ApiKeyRevoked
from devforge.domain.shared.events import EventRecorder
from devforge.domain.shared.permissions import Permission

API_KEY_PREFIX = "dfk_live_"
DISPLAY_PREFIX_LENGTH = 12
MAX_NAME_LENGTH = 100
MIN_LIFETIME_DAYS, MAX_LIFETIME_DAYS = 1, 365
LAST_USED_PRECISION = timedelta(minutes=1)


def parse_scopes(requested: Iterable[str], held: frozenset[Permission], known: frozenset[str]) -> frozenset[str]:
    """At least one scope; each a permission that keys may carry and that the owner holds."""
    on_keys = {permission.name for permission in held if permission.on_api_keys}
    scopes: set[str] = set()
    for raw in requested:
        if raw not in known:
            raise ApiKeyRejected(f"Unknown scope {raw!r}.", field="scopes")
        if raw not in on_keys:
            raise ApiKeyRejected(f"You cannot grant the scope {raw!r} to a key.", field="scopes")
        scopes.add(raw)
    if not scopes:
        raise ApiKeyRejected("Choose at least one scope.", field="scopes")
    return frozenset(scopes)


@dataclass(eq=False)
class ApiKey(EventRecorder):
    id: UUID
    owner_id: UUID
    name: str
    prefix: str
    digest: str
    scopes: frozenset[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def issue(
        cls,
        *,
        key_id: UUID,
        owner_id: UUID,
        name: str,
        secret: str,
        digest: str,
        scopes: Iterable[str],
        held: frozenset[Permission],
        known: frozenset[str],
        lifetime_days: int,
        now: datetime,
    ) -> ApiKey:
        name = name.strip()
        if not 1 <= len(name) <= MAX_NAME_LENGTH:
            raise ApiKeyRejected(f"Use 1 to {MAX_NAME_LENGTH} characters.", field="name")
        if not MIN_LIFETIME_DAYS <= lifetime_days <= MAX_LIFETIME_DAYS:
            raise ApiKeyRejected(f"A key lives {MIN_LIFETIME_DAYS} to {MAX_LIFETIME_DAYS} days.", field="expiresInDays")
        if not secret.startswith(API_KEY_PREFIX):
            raise ValueError("an API key secret carries the recognisable prefix")
        key = cls(
            id=key_id,
            owner_id=owner_id,
            name=name,
            prefix=secret[:DISPLAY_PREFIX_LENGTH],
            digest=digest,
            scopes=parse_scopes(scopes, held, known),
            created_at=now,
            expires_at=now + timedelta(days=lifetime_days),
        )
        key.record(
            ApiKeyCreated(
                occurred_at=now,
                user_id=owner_id,
                api_key_id=key_id,
                key_name=name,
                scopes=tuple(sorted(key.scopes)),
                expires_at=key.expires_at,
            )
        )
        return key

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def mark_used(self, now: datetime) -> bool:
        """Remember the last use to the minute; True when that changed something worth a write."""
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_PRECISION:
            return False
        self.last_used_at = now
        return True

    def revoke(self, now: datetime) -> None:
        """Idempotent: a revoked key stays revoked as of its first revocation."""
        if self.revoked_at is None:
            self.revoked_at = now
            self.record(ApiKeyRevoked(occurred_at=now, user_id=self.owner_id, api_key_id=self.id))
