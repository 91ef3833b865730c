"""billing: catalog, prices, orders, payments, webhook inbox

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_UTC = devforge.adapters.persistence.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "billing_products",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("policy_id", sa.String(length=36), nullable=True),
        sa.Column("refund_window_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_products")),
        sa.UniqueConstraint("code", name=op.f("uq_billing_products_code")),
    )
    op.create_table(
        "billing_prices",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("interval", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("tax_inclusive", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["billing_products.id"], name=op.f("fk_billing_prices_product_id_billing_products")
        ),
        sa.PrimaryKeyConstraint("product_id", "currency", "interval", name=op.f("pk_billing_prices")),
    )
    op.create_table(
        "billing_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False),
        sa.Column("tax_country", sa.String(length=2), nullable=False),
        sa.Column("tax_region", sa.String(length=10), nullable=True),
        sa.Column("vat_id", sa.String(length=20), nullable=True),
        sa.Column("reverse_charge", sa.Boolean(), nullable=False),
        sa.Column("tax_quote_id", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=True),
        sa.Column("provider_session_id", sa.String(length=255), nullable=True),
        sa.Column("redirect_url", sa.String(length=2000), nullable=True),
        sa.Column("payment_id", sa.String(length=255), nullable=True),
        sa.Column("paid_at", _UTC(timezone=True), nullable=True),
        sa.Column("refunded", sa.BigInteger(), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("dispute_lost", sa.Boolean(), nullable=False),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_orders")),
    )
    with op.batch_alter_table("billing_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_orders_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_orders_user_id"), ["user_id"], unique=False)

    op.create_table(
        "billing_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("provider_subscription_id", sa.String(length=255), nullable=False),
        sa.Column("interval", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("current_period_end", _UTC(timezone=True), nullable=True),
        sa.Column("past_due_since", _UTC(timezone=True), nullable=True),
        sa.Column("ended_at", _UTC(timezone=True), nullable=True),
        sa.Column("grace_over_reported", sa.Boolean(), nullable=False),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["billing_orders.id"], name=op.f("fk_billing_subscriptions_order_id_billing_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_subscriptions")),
        sa.UniqueConstraint("provider_subscription_id", name=op.f("uq_billing_subscriptions_provider_subscription_id")),
    )
    with op.batch_alter_table("billing_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_subscriptions_order_id"), ["order_id"], unique=False)

    op.create_table(
        "billing_inbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", _UTC(timezone=True), nullable=False),
        sa.Column("processed_at", _UTC(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_inbox")),
        sa.UniqueConstraint("provider_event_id", name=op.f("uq_billing_inbox_provider_event_id")),
    )
    with op.batch_alter_table("billing_inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_inbox_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("billing_inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_inbox_received_at"))

    op.drop_table("billing_inbox")
    with op.batch_alter_table("billing_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_subscriptions_order_id"))

    op.drop_table("billing_subscriptions")
    with op.batch_alter_table("billing_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_orders_user_id"))
        batch_op.drop_index(batch_op.f("ix_billing_orders_status"))

    op.drop_table("billing_orders")
    op.drop_table("billing_prices")
    op.drop_table("billing_products")
