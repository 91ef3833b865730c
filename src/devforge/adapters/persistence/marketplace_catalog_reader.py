"""The catalogue's public pages on the common read path (``read_path.py``).

An extension is one statement, compiled once and run on a pooled autocommit connection (on
PostgreSQL straight on asyncpg): the extension joined to its publisher and outer-joined to its
versions, a row per version in upload order (one row with null version columns when it has none),
each row also carrying the publisher's members and the extension's dist-tags as JSON aggregates.
It was four statements (extension, publisher with members, versions, dist-tags), each a pool
checkout and a round trip: about 40 % of the download route's CPU. Rows map through the
repositories' own mapping functions, so what is read is exactly what the repositories read.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import bindparam, select

from devforge.adapters.persistence.marketplace import PUBLISHER_COLUMNS, _extension, _version
from devforge.adapters.persistence.read_path import JsonList, JsonMap, ReadPath
from devforge.adapters.persistence.tables.marketplace import (
    marketplace_extensions,
    marketplace_publisher_members,
    marketplace_publishers,
    marketplace_versions,
)
from devforge.adapters.persistence.tables.marketplace_channels import marketplace_dist_tags
from devforge.application.marketplace.ports import CatalogEntry
from devforge.domain.marketplace.publisher import Publisher

_EXTENSION_COLUMNS = tuple(column.name for column in marketplace_extensions.c)
_VERSION_KEYS = tuple((f"v_{column.name}", column.name) for column in marketplace_versions.c)
_MEMBERS = (
    select(JsonList(marketplace_publisher_members.c.user_id))
    .where(marketplace_publisher_members.c.publisher_id == marketplace_publishers.c.id)
    .scalar_subquery()
)
_TAGS = (
    select(JsonMap(marketplace_dist_tags.c.tag, marketplace_dist_tags.c.version))
    .where(marketplace_dist_tags.c.extension_id == marketplace_extensions.c.id)
    .scalar_subquery()
)
_ENTRY = (
    select(
        marketplace_extensions,
        *(column.label(f"p_{column.name}") for column in marketplace_publishers.c),
        *(column.label(f"v_{column.name}") for column in marketplace_versions.c),
        _MEMBERS.label("members"),
        _TAGS.label("custom_tags"),
    )
    .select_from(
        marketplace_extensions.join(
            marketplace_publishers, marketplace_publishers.c.id == marketplace_extensions.c.publisher_id
        ).outerjoin(marketplace_versions, marketplace_versions.c.extension_id == marketplace_extensions.c.id)
    )
    .where(marketplace_extensions.c.id == bindparam("extension_id"))
    .order_by(marketplace_versions.c.uploaded_at, marketplace_versions.c.id)
)
_PUBLISHER = (
    select(marketplace_publishers, marketplace_publisher_members.c.user_id.label("member_id"))
    .outerjoin(
        marketplace_publisher_members, marketplace_publisher_members.c.publisher_id == marketplace_publishers.c.id
    )
    .where(marketplace_publishers.c.id == bindparam("publisher_id"))
)


class SqlaCatalogReader:
    def __init__(self, reads: ReadPath) -> None:
        self._entry, self._publisher = reads.prepare(_ENTRY), reads.prepare(_PUBLISHER)

    async def entry(self, extension_id: UUID) -> CatalogEntry | None:
        rows = await self._entry.rows(extension_id=extension_id)
        if not rows:
            return None
        first = rows[0]
        extension = _extension({name: first[name] for name in _EXTENSION_COLUMNS})
        publisher = Publisher(
            **{name: first[f"p_{name}"] for name in PUBLISHER_COLUMNS},
            # JSON text: dashed on PostgreSQL, 32 hex digits on SQLite; NULL over no rows on PostgreSQL.
            members={UUID(member) for member in first["members"] or ()},
        )
        versions = [
            _version({name: row[key] for key, name in _VERSION_KEYS}) for row in rows if row["v_id"] is not None
        ]
        tags: dict[str, str] = first["custom_tags"] or {}  # JSON objects promise no key order
        return CatalogEntry(extension, publisher, versions, dict(sorted(tags.items())))

    async def publisher(self, publisher_id: UUID) -> Publisher | None:
        rows = await self._publisher.rows(publisher_id=publisher_id)
        if not rows:
            return None
        members = {member["member_id"] for member in rows if member["member_id"] is not None}
        return Publisher(**{name: rows[0][name] for name in PUBLISHER_COLUMNS}, members=members)
