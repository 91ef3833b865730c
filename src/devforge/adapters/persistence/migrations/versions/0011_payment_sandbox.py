"""payment sandbox: the embedded provider's checkout sessions, refunds and webhook events

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_sandbox_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("customer_email", sa.String(length=320), nullable=False),
        sa.Column("success_url", sa.String(length=2000), nullable=False),
        sa.Column("cancel_url", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=True),
        sa.Column("subscription_id", sa.String(length=64), nullable=True),
        sa.Column("refunded", sa.Integer(), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sandbox_sessions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payment_sandbox_sessions_idempotency_key")),
    )
    with op.batch_alter_table("payment_sandbox_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_sandbox_sessions_order_id"), ["order_id"], unique=False)

    op.create_table(
        "payment_sandbox_refunds",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sandbox_refunds")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payment_sandbox_refunds_idempotency_key")),
    )
    with op.batch_alter_table("payment_sandbox_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_sandbox_refunds_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "payment_sandbox_events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("created_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("delivered_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", devforge.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_sandbox_events")),
    )
    with op.batch_alter_table("payment_sandbox_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_sandbox_events_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_payment_sandbox_events_next_attempt_at"), ["next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_sandbox_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_sandbox_events_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_payment_sandbox_events_created_at"))
    op.drop_table("payment_sandbox_events")
    with op.batch_alter_table("payment_sandbox_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_sandbox_refunds_payment_id"))
    op.drop_table("payment_sandbox_refunds")
    with op.batch_alter_table("payment_sandbox_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_sandbox_sessions_order_id"))
    op.drop_table("payment_sandbox_sessions")
