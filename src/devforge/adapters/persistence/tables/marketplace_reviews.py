"""Ratings and reviews of extensions, and who downloaded them while signed in. One rating per
(extension, user); the users are identity's, referred to by id only (no foreign key)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, SmallInteger, String, Table, Text, UniqueConstraint, Uuid

from devforge.adapters.persistence.tables.metadata import metadata
from devforge.adapters.persistence.types import UTCDateTime

marketplace_downloaders = Table(
    "marketplace_downloaders",
    metadata,
    Column("extension_id", Uuid, ForeignKey("marketplace_extensions.id"), primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("first_downloaded_at", UTCDateTime, nullable=False),
)

marketplace_ratings = Table(
    "marketplace_ratings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("extension_id", Uuid, ForeignKey("marketplace_extensions.id"), nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("stars", SmallInteger, nullable=False),
    Column("title", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("edited", Boolean, nullable=False),
    UniqueConstraint("extension_id", "user_id"),
    Index("ix_marketplace_ratings_extension_id_created_at", "extension_id", "created_at", "id"),
)
