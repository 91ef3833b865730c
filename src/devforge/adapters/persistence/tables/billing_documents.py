"""Billing's documents: invoices and credit notes with their lines, refunds, the ledger and the
document number counters. Amounts are BIGINT minor units; a rate is stored exactly as the text
of its fraction (``"19/100"``). The ledger tables are append-only: rows are inserted, never
updated or deleted. No foreign key to users or orders: ids only."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

billing_invoices = Table(
    "billing_invoices",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("order_id", Uuid, nullable=True, index=True),
    # "" for an order's purchase invoice, the provider's invoice id for a renewal's: one of each
    Column("renewal_of", String(255), nullable=False, server_default=""),
    Column("currency", String(3), nullable=False),
    Column("status", String(12), nullable=False),
    Column("number", String(32), nullable=True, unique=True),
    Column("prices_include_tax", Boolean, nullable=False),
    Column("seller", JSON, nullable=False),
    Column("buyer", JSON, nullable=False),
    Column("notes", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("issued_at", UTCDateTime, nullable=True),
    Column("refund_window_ends_at", UTCDateTime, nullable=True),
    Column("paid_at", UTCDateTime, nullable=True),
    Column("payment_id", String(255), nullable=True),
    Column("voided_at", UTCDateTime, nullable=True),
    Column("void_reason", String(500), nullable=True),
    Column("version", Integer, nullable=False),
    Index("ix_billing_invoices_created_at_id", "created_at", "id"),
    UniqueConstraint("order_id", "renewal_of"),
)

billing_invoice_lines = Table(
    "billing_invoice_lines",
    metadata,
    Column("invoice_id", Uuid, ForeignKey("billing_invoices.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("description", String(500), nullable=False),
    Column("product_code", String(63), nullable=True),
    Column("quantity", Integer, nullable=False),
    Column("unit_amount", BigInteger, nullable=False),
    Column("tax_rate", String(64), nullable=True),
    Column("charged", Boolean, nullable=False),
    Column("net", BigInteger, nullable=True),
    Column("tax", BigInteger, nullable=True),
)

billing_credit_notes = Table(
    "billing_credit_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("invoice_id", Uuid, ForeignKey("billing_invoices.id"), nullable=False, index=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("order_id", Uuid, nullable=True),
    Column("refund_id", Uuid, nullable=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("currency", String(3), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
)

billing_credit_note_lines = Table(
    "billing_credit_note_lines",
    metadata,
    Column("credit_note_id", Uuid, ForeignKey("billing_credit_notes.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("net", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
)

billing_refunds = Table(
    "billing_refunds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("invoice_id", Uuid, ForeignKey("billing_invoices.id"), nullable=False, index=True),
    Column("order_id", Uuid, nullable=True),
    Column("user_id", Uuid, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("requested_by", Uuid, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("status", String(12), nullable=False, index=True),
    Column("provider_refund_id", String(255), nullable=True),
    Column("credit_note_id", Uuid, nullable=True),
    Column("settled_at", UTCDateTime, nullable=True),
)

billing_ledger_transactions = Table(
    "billing_ledger_transactions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("idempotency_id", String(200), nullable=False, unique=True),
    Column("currency", String(3), nullable=False, index=True),
    Column("description", String(500), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("reverses", Uuid, nullable=True),
)

billing_ledger_entries = Table(
    "billing_ledger_entries",
    metadata,
    Column("transaction_id", Uuid, ForeignKey("billing_ledger_transactions.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("account", String(120), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Index("ix_billing_ledger_entries_currency_account", "currency", "account"),
    Index("ix_billing_ledger_entries_account_currency", "account", "currency"),  # one seller's statements
)

billing_document_counters = Table(
    "billing_document_counters",
    metadata,
    Column("series", String(8), primary_key=True),
    Column("last_value", Integer, nullable=False),
)
