"""Analytics' tables in the service's database: its credentials and its records of erasures. Events and facts live on
the analytics engine (``adapters/analytics``), never here."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text, Uuid

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
