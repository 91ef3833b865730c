"""analytics' exports (queued, running with rows so far, done, failed)

Revision ID: 0035
Revises: 0034
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_exports",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("range_start", UTCDateTime(timezone=True), nullable=False),
        sa.Column("range_end", UTCDateTime(timezone=True), nullable=False),
        sa.Column("events", sa.Text(), nullable=False),
        sa.Column("interval", sa.String(8), nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("file_key", sa.String(300), nullable=False),
        sa.Column("error", sa.String(500), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_analytics_exports_status", "analytics_exports", ["status", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_analytics_exports_status", "analytics_exports")
    op.drop_table("analytics_exports")
