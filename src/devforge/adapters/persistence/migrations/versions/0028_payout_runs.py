"""payout runs: runs, payouts, skipped payouts, the hold trail, and the sandbox's transfers

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_payout_runs",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_payout_runs")),
    )
    op.create_table(
        "billing_payouts",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("run_id", sa.String(16), nullable=False),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("withheld", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("transfer_id", sa.String(255), nullable=True),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("returned_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_payouts")),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_billing_payouts_transfer_id")),
    )
    op.create_index("ix_billing_payouts_publisher", "billing_payouts", ["publisher_id", "created_at"])
    op.create_index("ix_billing_payouts_run_status", "billing_payouts", ["run_id", "status"])
    op.create_index("ix_billing_payouts_account", "billing_payouts", ["account_id", "currency", "status"])
    op.create_table(
        "billing_payout_skips",
        sa.Column("run_id", sa.String(16), nullable=False),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("available", sa.BigInteger(), nullable=False),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "publisher_id", "currency", name=op.f("pk_billing_payout_skips")),
    )
    op.create_index("ix_billing_payout_skips_publisher", "billing_payout_skips", ["publisher_id", "decided_at"])
    op.create_table(
        "billing_payout_holds",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("publisher_id", sa.Uuid(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_payout_holds")),
    )
    op.create_index(op.f("ix_billing_payout_holds_publisher_id"), "billing_payout_holds", ["publisher_id"])
    op.create_table(
        "payment_sandbox_transfers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("destination", sa.String(255), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("transfer_group", sa.String(255), nullable=False),
        sa.Column("reversed", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sandbox_transfers")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payment_sandbox_transfers_idempotency_key")),
    )
    op.create_index(op.f("ix_payment_sandbox_transfers_destination"), "payment_sandbox_transfers", ["destination"])


def downgrade() -> None:
    op.drop_table("payment_sandbox_transfers")
    op.drop_table("billing_payout_holds")
    op.drop_table("billing_payout_skips")
    op.drop_table("billing_payouts")
    op.drop_table("billing_payout_runs")
