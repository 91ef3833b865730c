"""payout accounts: each publisher's connected account and the provider's facts about it; the
embedded sandbox's connected accounts

Revision ID: 0031
Revises: 0030
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_payout_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("provider_account_id", sa.String(255), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("details_submitted", sa.Boolean(), nullable=False),
        sa.Column("payouts_enabled", sa.Boolean(), nullable=False),
        sa.Column("currently_due", sa.JSON(), nullable=False),
        sa.Column("past_due", sa.JSON(), nullable=False),
        sa.Column("disabled_reason", sa.String(255), nullable=True),
        sa.Column("facts_observed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_payout_accounts")),
        sa.UniqueConstraint("publisher_id", name=op.f("uq_billing_payout_accounts_publisher_id")),
        sa.UniqueConstraint("provider_account_id", name=op.f("uq_billing_payout_accounts_provider_account_id")),
    )
    op.create_table(
        "payment_sandbox_accounts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("step", sa.String(12), nullable=False),
        sa.Column("return_url", sa.String(2000), nullable=True),
        sa.Column("refresh_url", sa.String(2000), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sandbox_accounts")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payment_sandbox_accounts_idempotency_key")),
    )


def downgrade() -> None:
    op.drop_table("payment_sandbox_accounts")
    op.drop_table("billing_payout_accounts")
