"""billing invoices: one per order's purchase and one per paid renewal of its subscription

``renewal_of`` is the provider's invoice of the renewed period ("" for the purchase invoice, so
the pair stays unique on both databases: NULLs would not collide on PostgreSQL).

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("renewal_of", sa.String(length=255), nullable=False, server_default=""))
        batch_op.drop_constraint("uq_billing_invoices_order_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_billing_invoices_order_id_renewal_of"), ["order_id", "renewal_of"]
        )
        batch_op.create_index(batch_op.f("ix_billing_invoices_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    # Renewal invoices cannot stay once an order has one invoice again: their documents (and the
    # credit notes of them, if any) go; their ledger postings stay, as the ledger is append-only.
    for statement in (
        "DELETE FROM billing_credit_note_lines WHERE credit_note_id IN (SELECT id FROM billing_credit_notes"
        " WHERE invoice_id IN (SELECT id FROM billing_invoices WHERE renewal_of != ''))",
        "DELETE FROM billing_credit_notes WHERE invoice_id IN (SELECT id FROM billing_invoices WHERE renewal_of != '')",
        "DELETE FROM billing_refunds WHERE invoice_id IN (SELECT id FROM billing_invoices WHERE renewal_of != '')",
        "DELETE FROM billing_invoice_lines WHERE invoice_id IN (SELECT id FROM billing_invoices WHERE renewal_of != '')",
        "DELETE FROM billing_invoices WHERE renewal_of != ''",
    ):
        op.execute(sa.text(statement))
    with op.batch_alter_table("billing_invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_invoices_order_id"))
        batch_op.drop_constraint(batch_op.f("uq_billing_invoices_order_id_renewal_of"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_billing_invoices_order_id"), ["order_id"])
        batch_op.drop_column("renewal_of")
