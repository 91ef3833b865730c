"""Publishable ingestion keys: what an editor build carries to send events.

Publishable means it is not a secret in the editor (anyone can read it out of the binary): it
grants sending events and nothing else, and is revoked (a new one shipped) if abused. It is
still stored only as a digest, like every credential of the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.shared.errors import RuleViolated

INGESTION_KEY_PREFIX = "dfi_pub_"
DISPLAY_PREFIX_LENGTH = 12


@dataclass
class IngestionKey:
    id: UUID
    name: str
    prefix: str
    digest: str
    created_by: UUID
    created_at: datetime
    revoked_at: datetime | None = None

    @classmethod
    def issue(cls, key_id: UUID, name: str, secret: str, digest: str, created_by: UUID, at: datetime) -> IngestionKey:
        name = name.strip()
        if not 1 <= len(name) <= 100:
            raise RuleViolated("A key's name is 1 to 100 characters.", field="name")
        return cls(key_id, name, secret[:DISPLAY_PREFIX_LENGTH], digest, created_by, at)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, at: datetime) -> None:
        """Revoking twice keeps the first time."""
        if self.revoked_at is None:
            self.revoked_at = at
