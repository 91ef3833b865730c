"""billing reads the provider's state: an order's dispute id and payment problem; the sandbox's
invoices, subscription state and disputes

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dispute_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("payment_problem", sa.String(length=500), nullable=True))
    with op.batch_alter_table("payment_sandbox_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invoice_id", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("paid_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("subscription_status", sa.String(length=12), nullable=True))
    op.create_table(
        "payment_sandbox_disputes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sandbox_disputes")),
    )
    with op.batch_alter_table("payment_sandbox_disputes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_sandbox_disputes_payment_id"), ["payment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment_sandbox_disputes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_sandbox_disputes_payment_id"))
    op.drop_table("payment_sandbox_disputes")
    with op.batch_alter_table("payment_sandbox_sessions", schema=None) as batch_op:
        batch_op.drop_column("subscription_status")
        batch_op.drop_column("paid_at")
        batch_op.drop_column("invoice_id")
    with op.batch_alter_table("billing_orders", schema=None) as batch_op:
        batch_op.drop_column("payment_problem")
        batch_op.drop_column("dispute_id")
