"""Identity's one-time tokens (verification and reset links): digests only, never raw tokens."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

one_time_tokens = Table(
    "one_time_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    Column("superseded_at", UTCDateTime, nullable=True),
)
Index("ix_one_time_tokens_user_id_purpose", one_time_tokens.c.user_id, one_time_tokens.c.purpose)
