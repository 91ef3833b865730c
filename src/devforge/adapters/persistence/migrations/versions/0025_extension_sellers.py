"""billing products name their seller: an extension's publisher (the platform's plans have none)

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_products") as batch:
        batch.add_column(sa.Column("seller_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("billing_products") as batch:
        batch.drop_column("seller_id")
