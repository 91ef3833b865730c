"""billing: processor fees (the estimate at a sale, the real fee once the provider reports it)

Revision ID: 0029
Revises: 0028
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_UTC = devforge.adapters.persistence.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "billing_processor_fees",
        sa.Column("payment_id", sa.String(255), primary_key=True),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("estimated", sa.BigInteger(), nullable=False),
        sa.Column("estimated_at", _UTC(timezone=True), nullable=False),
        sa.Column("actual", sa.BigInteger(), nullable=True),
        sa.Column("actual_currency", sa.String(3), nullable=True),
        sa.Column("balance_transaction_id", sa.String(255), nullable=True),
        sa.Column("settled_at", _UTC(timezone=True), nullable=True),
    )
    op.create_index("ix_billing_processor_fees_order_id", "billing_processor_fees", ["order_id"])
    op.create_index("ix_billing_processor_fees_open", "billing_processor_fees", ["settled_at", "estimated_at"])


def downgrade() -> None:
    op.drop_index("ix_billing_processor_fees_open", table_name="billing_processor_fees")
    op.drop_index("ix_billing_processor_fees_order_id", table_name="billing_processor_fees")
    op.drop_table("billing_processor_fees")
