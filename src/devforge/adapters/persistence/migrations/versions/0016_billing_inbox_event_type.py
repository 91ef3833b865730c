"""billing inbox: the event type column holds any provider event type

Stripe's longest types (``customer.subscription.pending_update_expired``, stored as
``stripe.<type>`` when we do not handle them) do not fit 50 characters; on PostgreSQL each
delivery of one failed with 500 and the provider retried it for days.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_inbox", schema=None) as batch_op:
        batch_op.alter_column("type", existing_type=sa.String(length=50), type_=sa.String(length=255))


def downgrade() -> None:
    # Types longer than 50 characters are cut, not refused: the inbox keeps the whole event in
    # its payload, and this column is only a label for people reading the table.
    op.execute(sa.text("UPDATE billing_inbox SET type = substr(type, 1, 50) WHERE length(type) > 50"))
    with op.batch_alter_table("billing_inbox", schema=None) as batch_op:
        batch_op.alter_column("type", existing_type=sa.String(length=255), type_=sa.String(length=50))
