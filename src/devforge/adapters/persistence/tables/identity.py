"""Identity's tables: accounts, sessions and the refresh-token digests of each session."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Uuid, false

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("email_verified", Boolean, nullable=False, default=False),
    Column("two_factor_enabled", Boolean, nullable=False, default=False, server_default=false()),
    Column("password_changed_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("current_token_digest", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=False),
    Column("ip", String(64), nullable=False, default=""),
    Column("device", String(200), nullable=False, default=""),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("revoke_reason", String(64), nullable=True),
    Column("version", Integer, nullable=False, default=0),
)

refresh_token_digests = Table(
    "refresh_token_digests",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("session_id", Uuid, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
)
