"""Dist-tags and version dependencies on SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace import (
    marketplace_extensions,
    marketplace_publishers,
    marketplace_versions,
)
from devforge.adapters.persistence.tables.marketplace_channels import (
    marketplace_dist_tags,
    marketplace_version_dependencies,
)
from devforge.domain.marketplace.version import ReviewState

tags = marketplace_dist_tags.c


class SqlaDistTagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_extension(self, extension_id: UUID) -> dict[str, str]:
        query = select(tags.tag, tags.version).where(tags.extension_id == extension_id).order_by(tags.tag)
        return {tag: version for tag, version in (await self._session.execute(query)).all()}

    async def put(self, extension_id: UUID, tag: str, version: str) -> None:
        moved = await self._session.execute(
            update(marketplace_dist_tags)
            .where(tags.extension_id == extension_id, tags.tag == tag)
            .values(version=version)
        )
        if not moved.rowcount:  # type: ignore[attr-defined]
            await self._session.execute(
                insert(marketplace_dist_tags).values(extension_id=extension_id, tag=tag, version=version)
            )

    async def remove(self, extension_id: UUID, tag: str) -> bool:
        gone = await self._session.execute(
            delete(marketplace_dist_tags).where(tags.extension_id == extension_id, tags.tag == tag)
        )
        return bool(gone.rowcount)  # type: ignore[attr-defined]

    async def remove_pointing_at(self, extension_id: UUID, version: str) -> list[str]:
        names = await self._session.execute(
            select(tags.tag).where(tags.extension_id == extension_id, tags.version == version).order_by(tags.tag)
        )
        found = list(names.scalars())
        if found:
            await self._session.execute(
                delete(marketplace_dist_tags).where(tags.extension_id == extension_id, tags.version == version)
            )
        return found


dependencies = marketplace_version_dependencies.c


class SqlaDependencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def replace(self, version_id: UUID, declared: tuple[str, ...]) -> None:
        await self._session.execute(
            delete(marketplace_version_dependencies).where(dependencies.version_id == version_id)
        )
        rows = [{"version_id": version_id, "dependency": name} for name in sorted(set(declared))]
        if rows:
            await self._session.execute(insert(marketplace_version_dependencies), rows)

    async def of_version(self, version_id: UUID) -> tuple[str, ...]:
        query = (
            select(dependencies.dependency)
            .where(dependencies.version_id == version_id)
            .order_by(dependencies.dependency)
        )
        return tuple((await self._session.execute(query)).scalars())

    async def dependents(self, namespace: str, name: str, *, excluding: UUID) -> list[str]:
        versions, extensions, publishers = marketplace_versions.c, marketplace_extensions.c, marketplace_publishers.c
        query = (
            select(publishers.namespace, extensions.name)
            .distinct()
            .select_from(
                marketplace_version_dependencies.join(marketplace_versions, versions.id == dependencies.version_id)
                .join(marketplace_extensions, extensions.id == versions.extension_id)
                .join(marketplace_publishers, publishers.id == extensions.publisher_id)
            )
            .where(
                dependencies.dependency == f"{namespace}.{name}",
                versions.state == ReviewState.APPROVED.value,
                versions.deleted_at.is_(None),
                extensions.deleted_at.is_(None),
                extensions.id != excluding,
            )
        )
        rows = (await self._session.execute(query)).all()
        return sorted(f"{row_namespace}.{row_name}" for row_namespace, row_name in rows)
