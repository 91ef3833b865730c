"""Billing's processor fees: one row per payment, its estimate at the sale and the real fee once
the provider reported it (BIGINT minor units). The ledger holds the money; this row says whether
the true-up is still to come."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

billing_processor_fees = Table(
    "billing_processor_fees",
    metadata,
    Column("payment_id", String(255), primary_key=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("estimated", BigInteger, nullable=False),
    Column("estimated_at", UTCDateTime, nullable=False),
    Column("actual", BigInteger, nullable=True),
    Column("actual_currency", String(3), nullable=True),
    Column("balance_transaction_id", String(255), nullable=True),
    Column("settled_at", UTCDateTime, nullable=True),
    Index("ix_billing_processor_fees_open", "settled_at", "estimated_at"),
)
