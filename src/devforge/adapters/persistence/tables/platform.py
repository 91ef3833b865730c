"""Tables every context shares: the outbox, the delivery ledger and the mail outbox."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

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

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("mail_id", Uuid, primary_key=True),
    Column("sealed", Text, nullable=True),  # the message, sealed; dropped once sent
    Column("queued_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
)
