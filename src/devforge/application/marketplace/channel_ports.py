"""Ports for dist-tags and dependencies. Both are transactional (they join the unit of work)."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class DistTagRepository(Protocol):
    """The custom dist-tags of each extension; ``latest`` and ``pre-release`` are derived, never stored."""

    async def of_extension(self, extension_id: UUID) -> dict[str, str]:
        """Tag name -> version number."""
        ...

    async def put(self, extension_id: UUID, tag: str, version: str) -> None:
        """Creates the tag or moves it."""
        ...

    async def remove(self, extension_id: UUID, tag: str) -> bool:
        """False when there was no such tag."""
        ...

    async def remove_pointing_at(self, extension_id: UUID, version: str) -> list[str]:
        """Drops every tag naming this version number; answers their names."""
        ...


class DependencyRepository(Protocol):
    """What each version declares in ``extensionDependencies`` (as namespace.name)."""

    async def replace(self, version_id: UUID, dependencies: tuple[str, ...]) -> None: ...

    async def of_version(self, version_id: UUID) -> tuple[str, ...]: ...

    async def dependents(self, namespace: str, name: str, *, excluding: UUID) -> list[str]:
        """namespace.name of every live extension but ``excluding`` with a published version
        (yanked ones too: a lockfile may still pin them) that depends on namespace.name; sorted."""
        ...
