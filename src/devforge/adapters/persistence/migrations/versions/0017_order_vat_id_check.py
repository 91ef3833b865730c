"""billing orders: what VIES said about the buyer's VAT id, and the order's tax note

The reverse charge now rests on VIES: the order keeps VIES's answer (valid, or unverified when
VIES could not be asked), when it was given and its consultation number, for the invoice; and a
note such as "VAT id could not be verified, VAT charged". All nullable: older orders have none.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vat_id_status", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("vat_id_checked_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("vies_consultation_number", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("tax_note", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("billing_orders", schema=None) as batch_op:
        for column in ("tax_note", "vies_consultation_number", "vat_id_checked_at", "vat_id_status"):
            batch_op.drop_column(column)
