"""analytics' forecasts (the worker's latest per metric) and alert rules with their history

Revision ID: 0033
Revises: 0032
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from devforge.adapters.persistence.types import UTCDateTime

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_forecasts",
        sa.Column("metric", sa.String(64), primary_key=True),
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("computed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("history_end", sa.Date(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("holdout_days", sa.Integer(), nullable=False),
        sa.Column("mape", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=False),
    )
    op.create_table(
        "analytics_alert_rules",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("condition", sa.String(24), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("interval", sa.String(8), nullable=False),
        sa.Column("cooldown_seconds", sa.Integer(), nullable=False),
        sa.Column("subscribers", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("last_fired_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "analytics_alert_firings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("rule_id", sa.Uuid(), sa.ForeignKey("analytics_alert_rules.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fired_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("bucket", UTCDateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
    )
    op.create_index("ix_analytics_alert_firings_rule_id_fired_at", "analytics_alert_firings", ["rule_id", "fired_at"])


def downgrade() -> None:
    op.drop_index("ix_analytics_alert_firings_rule_id_fired_at", table_name="analytics_alert_firings")
    op.drop_table("analytics_alert_firings")
    op.drop_table("analytics_alert_rules")
    op.drop_table("analytics_forecasts")
