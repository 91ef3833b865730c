"""ledger entries by account: a developer's statements read one seller's payable account

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_billing_ledger_entries_account_currency", "billing_ledger_entries", ["account", "currency"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_billing_ledger_entries_account_currency", table_name="billing_ledger_entries")
