"""analytics' scheduled reports: their runs (one per report and period) and subscriptions

Revision ID: 0034
Revises: 0033
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_report_runs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("report_key", sa.String(64), nullable=False),
        sa.Column("period_start", UTCDateTime(timezone=True), nullable=False),
        sa.Column("period_end", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("lease_until", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("pdf_key", sa.String(300), nullable=False),
        sa.Column("csv_key", sa.String(300), nullable=False),
        sa.UniqueConstraint("report_key", "period_start", name="uq_analytics_report_runs_period"),
    )
    op.create_table(
        "analytics_report_subscriptions",
        sa.Column("report_key", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("subscribed_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("report_key", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("analytics_report_subscriptions")
    op.drop_table("analytics_report_runs")
