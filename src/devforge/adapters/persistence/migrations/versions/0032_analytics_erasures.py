"""analytics' record of erasures (who erased whom, when)

Revision ID: 0032
Revises: 0031
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_erasures",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("distinct_id", sa.String(200), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("distinct_ids", sa.Text(), nullable=False),
        sa.Column("user_ids", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_analytics_erasures_requested_at", "analytics_erasures", ["requested_at"])


def downgrade() -> None:
    op.drop_index("ix_analytics_erasures_requested_at", "analytics_erasures")
    op.drop_table("analytics_erasures")
