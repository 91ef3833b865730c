"""Payout accounts (migration 0031): billing's record of each publisher's connected account at
the payment provider, with the provider's last facts about it; and the embedded sandbox's own
connected accounts (the provider's "database", written in the sandbox's own transactions)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Integer, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

billing_payout_accounts = Table(
    "billing_payout_accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("publisher_id", Uuid, nullable=False, unique=True),  # one account per publisher
    Column("provider", String(16), nullable=False),
    Column("provider_account_id", String(255), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("details_submitted", Boolean, nullable=False),
    Column("payouts_enabled", Boolean, nullable=False),
    Column("currently_due", JSON, nullable=False),
    Column("past_due", JSON, nullable=False),
    Column("disabled_reason", String(255), nullable=True),
    Column("facts_observed_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)

payment_sandbox_accounts = Table(
    "payment_sandbox_accounts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("publisher_id", Uuid, nullable=False),
    Column("country", String(2), nullable=False),
    Column("email", String(320), nullable=True),
    Column("step", String(12), nullable=False),  # "pending" | "restricted" | "enabled"
    Column("return_url", String(2000), nullable=True),
    Column("refresh_url", String(2000), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
