"""Payout runs: the runs (one per period), the payouts each recorded (pending, sent, returned),
the payees each skipped with the reason, and administrators' holds as an append-only trail.
Amounts are BIGINT minor units; publishers are ids only (no foreign key into the marketplace)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

billing_payout_runs = Table(
    "billing_payout_runs",
    metadata,
    Column("id", String(16), primary_key=True),  # the period, YYYY-MM
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
)

billing_payouts = Table(
    "billing_payouts",
    metadata,
    Column("id", String(80), primary_key=True),  # <run>:<publisher>:<currency>
    Column("run_id", String(16), nullable=False),
    Column("publisher_id", Uuid, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("withheld", BigInteger, nullable=False),
    Column("account_id", String(255), nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("transfer_id", String(255), nullable=True, unique=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("returned_at", UTCDateTime, nullable=True),
    Column("return_reason", String(40), nullable=True),
    Index("ix_billing_payouts_publisher", "publisher_id", "created_at"),
    Index("ix_billing_payouts_run_status", "run_id", "status"),
    Index("ix_billing_payouts_account", "account_id", "currency", "status"),
)

billing_payout_skips = Table(
    "billing_payout_skips",
    metadata,
    Column("run_id", String(16), primary_key=True),
    Column("publisher_id", Uuid, primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("reason", String(40), nullable=False),
    Column("available", BigInteger, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Index("ix_billing_payout_skips_publisher", "publisher_id", "decided_at"),
)

billing_payout_holds = Table(
    "billing_payout_holds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("publisher_id", Uuid, nullable=False, index=True),
    Column("held", Boolean, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("actor_id", Uuid, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
