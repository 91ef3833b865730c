"""Billing's tables: the catalog, orders, subscriptions and the provider event inbox. Amounts
are integer minor units (BigInteger), never floats. No foreign key to ``users`` or licensing:
contexts refer to each other by ids only."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, ForeignKey, Integer, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

billing_products = Table(
    "billing_products",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(63), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("policy_id", String(36), nullable=True),
    Column("refund_window_days", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("seller_id", Uuid, nullable=True),  # an extension's publisher (migration 0025); plans have none
)

billing_prices = Table(
    "billing_prices",
    metadata,
    Column("product_id", Uuid, ForeignKey("billing_products.id"), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("interval", String(10), primary_key=True),
    Column("amount", BigInteger, nullable=False),
    Column("tax_inclusive", Boolean, nullable=False),
)

billing_orders = Table(
    "billing_orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("email", String(254), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("lines", JSON, nullable=False),
    Column("net", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
    Column("gross", BigInteger, nullable=False),
    Column("prices_include_tax", Boolean, nullable=False),
    Column("tax_country", String(2), nullable=False),
    Column("tax_region", String(10), nullable=True),
    Column("vat_id", String(20), nullable=True),
    Column("reverse_charge", Boolean, nullable=False),
    Column("tax_quote_id", String(100), nullable=False),
    Column("provider", String(20), nullable=True),
    Column("provider_session_id", String(255), nullable=True),
    Column("redirect_url", String(2000), nullable=True),
    Column("payment_id", String(255), nullable=True),
    Column("paid_at", UTCDateTime, nullable=True),
    Column("refunded", BigInteger, nullable=False),
    Column("disputed", Boolean, nullable=False),
    Column("dispute_lost", Boolean, nullable=False),
    Column("dispute_id", String(255), nullable=True),
    Column("payment_problem", String(500), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("vat_id_status", String(12), nullable=True),
    Column("vat_id_checked_at", UTCDateTime, nullable=True),
    Column("vies_consultation_number", String(64), nullable=True),
    Column("tax_note", String(200), nullable=True),
    Column("version", Integer, nullable=False),
)

billing_subscriptions = Table(
    "billing_subscriptions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("billing_orders.id"), nullable=False, index=True),
    Column("user_id", Uuid, nullable=False),
    Column("provider_subscription_id", String(255), nullable=False, unique=True),
    Column("interval", String(10), nullable=False),
    Column("status", String(12), nullable=False),
    Column("current_period_end", UTCDateTime, nullable=True),
    Column("past_due_since", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("grace_over_reported", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

billing_inbox = Table(
    "billing_inbox",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_event_id", String(255), nullable=False, unique=True),
    Column("type", String(255), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
    Column("processed_at", UTCDateTime, nullable=True),
    Column("outcome", String(100), nullable=True),
)
