"""billing: invoices, credit notes, refunds and the ledger

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import devforge.adapters.persistence.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_UTC = devforge.adapters.persistence.types.UTCDateTime
_LEDGER_TABLES = ("billing_ledger_transactions", "billing_ledger_entries")


def _ledger_append_only() -> None:
    """The database refuses to change or delete a ledger row, whoever asks: corrections are reversals."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION billing_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$"
        )
        for table in _LEDGER_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION billing_ledger_append_only()"
            )
    else:
        for table in _LEDGER_TABLES:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END"
                )


def upgrade() -> None:
    op.create_table(
        "billing_invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False),
        sa.Column("seller", sa.JSON(), nullable=False),
        sa.Column("buyer", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("issued_at", _UTC(timezone=True), nullable=True),
        sa.Column("refund_window_ends_at", _UTC(timezone=True), nullable=True),
        sa.Column("paid_at", _UTC(timezone=True), nullable=True),
        sa.Column("payment_id", sa.String(length=255), nullable=True),
        sa.Column("voided_at", _UTC(timezone=True), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_billing_invoices_number")),
        sa.UniqueConstraint("order_id", name=op.f("uq_billing_invoices_order_id")),
    )
    with op.batch_alter_table("billing_invoices", schema=None) as batch_op:
        batch_op.create_index("ix_billing_invoices_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_invoices_user_id"), ["user_id"], unique=False)

    op.create_table(
        "billing_invoice_lines",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("product_code", sa.String(length=63), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_amount", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate", sa.String(length=64), nullable=True),
        sa.Column("charged", sa.Boolean(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=True),
        sa.Column("tax", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["billing_invoices.id"], name=op.f("fk_billing_invoice_lines_invoice_id_billing_invoices")
        ),
        sa.PrimaryKeyConstraint("invoice_id", "position", name=op.f("pk_billing_invoice_lines")),
    )

    op.create_table(
        "billing_credit_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("refund_id", sa.Uuid(), nullable=True),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("issued_at", _UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["billing_invoices.id"], name=op.f("fk_billing_credit_notes_invoice_id_billing_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_credit_notes")),
        sa.UniqueConstraint("number", name=op.f("uq_billing_credit_notes_number")),
    )
    with op.batch_alter_table("billing_credit_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_credit_notes_invoice_id"), ["invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_credit_notes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "billing_credit_note_lines",
        sa.Column("credit_note_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_note_id"],
            ["billing_credit_notes.id"],
            name=op.f("fk_billing_credit_note_lines_credit_note_id_billing_credit_notes"),
        ),
        sa.PrimaryKeyConstraint("credit_note_id", "position", name=op.f("pk_billing_credit_note_lines")),
    )

    op.create_table(
        "billing_refunds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", _UTC(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=255), nullable=True),
        sa.Column("credit_note_id", sa.Uuid(), nullable=True),
        sa.Column("settled_at", _UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["billing_invoices.id"], name=op.f("fk_billing_refunds_invoice_id_billing_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_refunds")),
    )
    with op.batch_alter_table("billing_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_refunds_invoice_id"), ["invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_refunds_status"), ["status"], unique=False)

    op.create_table(
        "billing_ledger_transactions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_id", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("occurred_at", _UTC(timezone=True), nullable=False),
        sa.Column("reverses", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_ledger_transactions")),
        sa.UniqueConstraint("idempotency_id", name=op.f("uq_billing_ledger_transactions_idempotency_id")),
    )
    with op.batch_alter_table("billing_ledger_transactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_ledger_transactions_currency"), ["currency"], unique=False)

    op.create_table(
        "billing_ledger_entries",
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["billing_ledger_transactions.id"],
            name=op.f("fk_billing_ledger_entries_transaction_id_billing_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("transaction_id", "position", name=op.f("pk_billing_ledger_entries")),
    )
    with op.batch_alter_table("billing_ledger_entries", schema=None) as batch_op:
        batch_op.create_index("ix_billing_ledger_entries_currency_account", ["currency", "account"], unique=False)

    op.create_table(
        "billing_document_counters",
        sa.Column("series", sa.String(length=8), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_billing_document_counters")),
    )
    _ledger_append_only()


def downgrade() -> None:
    op.drop_table("billing_document_counters")
    with op.batch_alter_table("billing_ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_billing_ledger_entries_currency_account")
    op.drop_table("billing_ledger_entries")
    with op.batch_alter_table("billing_ledger_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_ledger_transactions_currency"))
    op.drop_table("billing_ledger_transactions")
    with op.batch_alter_table("billing_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_refunds_status"))
        batch_op.drop_index(batch_op.f("ix_billing_refunds_invoice_id"))
    op.drop_table("billing_refunds")
    op.drop_table("billing_credit_note_lines")
    with op.batch_alter_table("billing_credit_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_credit_notes_user_id"))
        batch_op.drop_index(batch_op.f("ix_billing_credit_notes_invoice_id"))
    op.drop_table("billing_credit_notes")
    op.drop_table("billing_invoice_lines")
    with op.batch_alter_table("billing_invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_invoices_user_id"))
        batch_op.drop_index("ix_billing_invoices_created_at_id")
    op.drop_table("billing_invoices")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS billing_ledger_append_only()")
