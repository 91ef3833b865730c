"""marketplace listings: rating (count and average) and whether the extension is paid

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("marketplace_listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("rating_average", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("paid", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("marketplace_listings", schema=None) as batch_op:
        batch_op.drop_column("paid")
        batch_op.drop_column("rating_average")
        batch_op.drop_column("rating_count")
