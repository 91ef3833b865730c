"""Analytics' tables in the service's database: its credentials, its records of erasures, the
forecasts the worker computed, the alert rules with their history, its scheduled reports' runs
and subscriptions, and its exports. Events and facts live on the analytics engine
(``adapters/analytics``), never here."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

analytics_ingestion_keys = Table(
    "analytics_ingestion_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("prefix", String(12), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_by", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

analytics_erasures = Table(
    "analytics_erasures",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("distinct_id", String(200), nullable=True),
    Column("user_id", Uuid, nullable=True),
    Column("distinct_ids", Text, nullable=False),
    Column("user_ids", Text, nullable=False),
    Column("events", Integer, nullable=False),
    Column("requested_by", Uuid, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False, index=True),
)

analytics_forecasts = Table(
    "analytics_forecasts",
    metadata,
    Column("metric", String(64), primary_key=True),
    Column("scope", String(64), primary_key=True),
    Column("model", String(32), nullable=False),
    Column("level", Integer, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
    Column("history_end", Date, nullable=False),
    Column("points", JSON, nullable=False),
    Column("holdout_days", Integer, nullable=False),
    Column("mape", Float, nullable=True),
    Column("coverage", Float, nullable=False),
)

analytics_alert_rules = Table(
    "analytics_alert_rules",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("metric", String(64), nullable=False),
    Column("condition", String(24), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("interval", String(8), nullable=False),
    Column("cooldown_seconds", Integer, nullable=False),
    Column("subscribers", JSON, nullable=False),
    Column("state", String(10), nullable=False),
    Column("last_fired_at", UTCDateTime, nullable=True),
    Column("created_by", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

analytics_alert_firings = Table(
    "analytics_alert_firings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("rule_id", Uuid, ForeignKey("analytics_alert_rules.id", ondelete="CASCADE"), nullable=False),
    Column("fired_at", UTCDateTime, nullable=False),
    Column("bucket", UTCDateTime, nullable=False),
    Column("value", Float, nullable=False),
    Column("threshold", Float, nullable=False),
)
Index(
    "ix_analytics_alert_firings_rule_id_fired_at", analytics_alert_firings.c.rule_id, analytics_alert_firings.c.fired_at
)

analytics_report_runs = Table(
    "analytics_report_runs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("report_key", String(64), nullable=False),
    Column("period_start", UTCDateTime, nullable=False),
    Column("period_end", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("pdf_key", String(300), nullable=False),
    Column("csv_key", String(300), nullable=False),
    UniqueConstraint("report_key", "period_start", name="uq_analytics_report_runs_period"),
)

analytics_report_subscriptions = Table(
    "analytics_report_subscriptions",
    metadata,
    Column("report_key", String(64), nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("subscribed_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("report_key", "user_id"),
)

analytics_exports = Table(
    "analytics_exports",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("format", String(16), nullable=False),
    Column("range_start", UTCDateTime, nullable=False),
    Column("range_end", UTCDateTime, nullable=False),
    Column("events", Text, nullable=False),
    Column("interval", String(8), nullable=False),
    Column("measure", String(16), nullable=False),
    Column("requested_by", Uuid, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("rows", BigInteger, nullable=False),
    Column("file_key", String(300), nullable=False),
    Column("error", String(500), nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Index("ix_analytics_exports_status", "status", "requested_at"),
)
