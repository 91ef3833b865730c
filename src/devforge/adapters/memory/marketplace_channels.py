"""Dist-tags and version dependencies on the memory store (unit tests, and the contract's memory leg)."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.version import ExtensionVersion


class InMemoryDistTagRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[UUID, str], str] = store.table("marketplace_dist_tags")

    async def of_extension(self, extension_id: UUID) -> dict[str, str]:
        return {tag: version for (owner, tag), version in sorted(self._rows.items()) if owner == extension_id}

    async def put(self, extension_id: UUID, tag: str, version: str) -> None:
        self._rows[(extension_id, tag)] = version

    async def remove(self, extension_id: UUID, tag: str) -> bool:
        return self._rows.pop((extension_id, tag), None) is not None

    async def remove_pointing_at(self, extension_id: UUID, version: str) -> list[str]:
        names = sorted(tag for (owner, tag), number in self._rows.items() if (owner, number) == (extension_id, version))
        for tag in names:
            del self._rows[(extension_id, tag)]
        return names


class InMemoryDependencyRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, tuple[str, ...]] = store.table("marketplace_version_dependencies")
        self._versions: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")
        self._extensions: dict[UUID, Extension] = store.table("marketplace_extensions")
        self._publishers: dict[UUID, Publisher] = store.table("marketplace_publishers")

    async def replace(self, version_id: UUID, dependencies: tuple[str, ...]) -> None:
        self._rows[version_id] = tuple(sorted(set(dependencies)))

    async def of_version(self, version_id: UUID) -> tuple[str, ...]:
        return self._rows.get(version_id, ())

    async def dependents(self, namespace: str, name: str, *, excluding: UUID) -> list[str]:
        wanted, found = f"{namespace}.{name}", set()
        for version_id, dependencies in self._rows.items():
            version = self._versions.get(version_id)
            if wanted not in dependencies or version is None or not version.published:
                continue
            extension = self._extensions.get(version.extension_id)
            publisher = self._publishers.get(extension.publisher_id) if extension else None
            if extension is not None and publisher is not None and not extension.deleted and extension.id != excluding:
                found.add(f"{publisher.namespace}.{extension.name}")
        return sorted(found)
