"""The embedded payment sandbox's own state: checkout sessions (with the payment, invoice and
subscription a paid one made), refunds, disputes and the Stripe-shaped events it owes our
webhook. This stands in for a provider's database, so the sandbox writes it in its own short
transactions, never in the caller's unit of work."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

payment_sandbox_sessions = Table(
    "payment_sandbox_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("lines", JSON, nullable=False),
    Column("customer_email", String(320), nullable=False),
    Column("success_url", String(2000), nullable=False),
    Column("cancel_url", String(2000), nullable=False),
    Column("status", String(12), nullable=False),
    Column("payment_id", String(64), nullable=True),
    Column("subscription_id", String(64), nullable=True),
    Column("refunded", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("invoice_id", String(64), nullable=True),
    Column("paid_at", UTCDateTime, nullable=True),
    Column("subscription_status", String(12), nullable=True),
)

payment_sandbox_refunds = Table(
    "payment_sandbox_refunds",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("payment_id", String(64), nullable=False, index=True),
    Column("amount", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

payment_sandbox_disputes = Table(
    "payment_sandbox_disputes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("payment_id", String(64), nullable=False, index=True),
    Column("amount", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

payment_sandbox_events = Table(
    "payment_sandbox_events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("payload", JSON, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=True, index=True),
)

payment_sandbox_transfers = Table(
    "payment_sandbox_transfers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("destination", String(255), nullable=False, index=True),
    Column("amount", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("transfer_group", String(255), nullable=False),
    Column("reversed", Integer, nullable=False),  # the amount reversed, minor units
    Column("created_at", UTCDateTime, nullable=False),
)
