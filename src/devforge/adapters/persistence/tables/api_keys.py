"""Identity's API keys: digests and a display prefix, never a key."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("prefix", String(12), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)
