"""Analytics' tables in the service's database: only its credentials. Events and facts live on
the analytics engine (``adapters/analytics``), never here."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Uuid

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
