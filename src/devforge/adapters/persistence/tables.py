"""Table definitions for every context. Migrations are written by hand from these (alembic
``revision --autogenerate`` compares against this metadata)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text, Uuid

from devforge.adapters.persistence.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

outbox = Table(
    "outbox",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("relayed_at", UTCDateTime, nullable=True),
)
Index(
    "ix_outbox_unrelayed",
    outbox.c.occurred_at,
    postgresql_where=outbox.c.relayed_at.is_(None),
    sqlite_where=outbox.c.relayed_at.is_(None),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("event_id", Uuid, ForeignKey("outbox.event_id", ondelete="CASCADE"), primary_key=True),
    Column("consumer", String(120), primary_key=True),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("updated_at", UTCDateTime, nullable=True),
)
Index("ix_deliveries_status_next_attempt_at", deliveries.c.status, deliveries.c.next_attempt_at)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("email_verified", Boolean, nullable=False, default=False),
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
