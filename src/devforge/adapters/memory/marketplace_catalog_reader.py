"""The catalogue's committed reads over the memory store."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.application.marketplace.ports import CatalogEntry
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.version import ExtensionVersion


class InMemoryCatalogReader:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: Tables) -> None:
        self._publishers: dict[UUID, Publisher] = store.table("marketplace_publishers")
        self._extensions: dict[UUID, Extension] = store.table("marketplace_extensions")
        self._versions: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")
        self._tags: dict[tuple[UUID, str], str] = store.table("marketplace_dist_tags")

    async def entry(self, extension_id: UUID) -> CatalogEntry | None:
        extension = self._extensions.get(extension_id)
        publisher = self._publishers.get(extension.publisher_id) if extension else None
        if extension is None or publisher is None:
            return None
        versions = sorted(
            (detached(row) for row in self._versions.values() if row.extension_id == extension_id),
            key=lambda version: (version.uploaded_at, version.id.int),
        )
        tags = {tag: number for (owner, tag), number in sorted(self._tags.items()) if owner == extension_id}
        return CatalogEntry(detached(extension), detached(publisher), versions, tags)

    async def publisher(self, publisher_id: UUID) -> Publisher | None:
        found = self._publishers.get(publisher_id)
        return None if found is None else detached(found)
