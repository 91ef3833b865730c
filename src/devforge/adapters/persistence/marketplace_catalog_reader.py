"""The catalogue's public pages on the common read path (``read_path.py``).

An extension's page needed five statements in an ORM session (BEGIN, the extension, its publisher,
the publisher's members, its versions, its dist-tags, ROLLBACK); here it is four statements, each
compiled once and run on a pooled autocommit connection (on PostgreSQL straight on asyncpg): the
extension, its publisher joined to its members, its versions, its dist-tags. Rows map through the
repositories' own mapping functions, so what is read is exactly what the repositories read.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import bindparam, select

from devforge.adapters.persistence.marketplace import PUBLISHER_COLUMNS, _extension, _version
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.marketplace import (
    marketplace_extensions,
    marketplace_publisher_members,
    marketplace_publishers,
    marketplace_versions,
)
from devforge.adapters.persistence.tables.marketplace_channels import marketplace_dist_tags
from devforge.application.marketplace.ports import CatalogEntry
from devforge.domain.marketplace.publisher import Publisher

_EXTENSION = select(marketplace_extensions).where(marketplace_extensions.c.id == bindparam("extension_id"))
_PUBLISHER = (
    select(marketplace_publishers, marketplace_publisher_members.c.user_id.label("member_id"))
    .outerjoin(
        marketplace_publisher_members, marketplace_publisher_members.c.publisher_id == marketplace_publishers.c.id
    )
    .where(marketplace_publishers.c.id == bindparam("publisher_id"))
)
_VERSIONS = (
    select(marketplace_versions)
    .where(marketplace_versions.c.extension_id == bindparam("extension_id"))
    .order_by(marketplace_versions.c.uploaded_at, marketplace_versions.c.id)
)
_TAGS = (
    select(marketplace_dist_tags.c.tag, marketplace_dist_tags.c.version)
    .where(marketplace_dist_tags.c.extension_id == bindparam("extension_id"))
    .order_by(marketplace_dist_tags.c.tag)
)


class SqlaCatalogReader:
    def __init__(self, reads: ReadPath) -> None:
        self._extension, self._publisher = reads.prepare(_EXTENSION), reads.prepare(_PUBLISHER)
        self._versions, self._tags = reads.prepare(_VERSIONS), reads.prepare(_TAGS)

    async def entry(self, extension_id: UUID) -> CatalogEntry | None:
        row = await self._extension.row(extension_id=extension_id)
        if row is None:
            return None
        extension = _extension(row)
        publisher = await self.publisher(extension.publisher_id)
        if publisher is None:
            return None
        versions = [_version(version) for version in await self._versions.rows(extension_id=extension_id)]
        tags = {tag["tag"]: tag["version"] for tag in await self._tags.rows(extension_id=extension_id)}
        return CatalogEntry(extension, publisher, versions, tags)

    async def publisher(self, publisher_id: UUID) -> Publisher | None:
        rows = await self._publisher.rows(publisher_id=publisher_id)
        if not rows:
            return None
        members = {member["member_id"] for member in rows if member["member_id"] is not None}
        return Publisher(**{name: rows[0][name] for name in PUBLISHER_COLUMNS}, members=members)
