"""Custom dist-tags of extensions and the dependencies each version declares. ``latest`` and
``pre-release`` are derived from the versions, so they have no rows."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Uuid

from devforge.adapters.persistence.tables.metadata import metadata

marketplace_dist_tags = Table(
    "marketplace_dist_tags",
    metadata,
    Column("extension_id", Uuid, ForeignKey("marketplace_extensions.id"), primary_key=True),
    Column("tag", String(32), primary_key=True),
    Column("version", String(256), nullable=False),
)

marketplace_version_dependencies = Table(
    "marketplace_version_dependencies",
    metadata,
    Column("version_id", Uuid, ForeignKey("marketplace_versions.id"), primary_key=True),
    Column("dependency", String(129), primary_key=True, index=True),  # namespace.name
)
