"""Identity's authentication tables: two-factor enrolments, their recovery codes, and the
authentication audit log (no foreign key: entries outlive accounts, and unknown emails have none)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

two_factor = Table(
    "two_factor",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("sealed_secret", String(255), nullable=False),
    Column("enrolled_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    Column("last_used_step", Integer, nullable=True),
    Column("version", Integer, nullable=False, default=0),
)

two_factor_recovery_codes = Table(
    "two_factor_recovery_codes",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_id", Uuid, ForeignKey("two_factor.user_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("used_at", UTCDateTime, nullable=True),
)

auth_audit = Table(
    "auth_audit",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("email_digest", String(64), nullable=False, default=""),
    Column("ip", String(64), nullable=False, default=""),
    Column("user_agent", String(200), nullable=False, default=""),
    Column("detail", String(200), nullable=False, default=""),
)
Index("ix_auth_audit_at", auth_audit.c.at)
Index("ix_auth_audit_user_id_at", auth_audit.c.user_id, auth_audit.c.at)
