"""Dist-tags: anyone reads a published extension's tags; its publisher's members set and remove
the custom ones. ``latest`` and ``pre-release`` are derived (``domain/marketplace/dist_tags``)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.channel_ports import DistTagRepository
from devforge.application.marketplace.download_extension import published_versions
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import (
    CatalogReader,
    ExtensionRepository,
    PublisherRepository,
    VersionRepository,
)
from devforge.domain.marketplace.dist_tags import custom_tag, live, resolve
from devforge.domain.marketplace.errors import DistTagNotFound, ExtensionNotFound, VersionNotFound
from devforge.domain.marketplace.semver import Version


class ShowDistTags:
    def __init__(self, catalog: CatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, extension_id: UUID) -> dict[str, str]:
        _, entry, published = await published_versions(self._catalog, extension_id)
        if not published:
            raise ExtensionNotFound("No extension with this id.")
        return resolve(published, entry.custom_tags)


class _TagEditor:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        tags: DistTagRepository,
    ) -> None:
        self._uow, self._versions, self._tags = uow, versions, tags
        self._access = ExtensionAccess(publishers, extensions)

    async def _tags_now(self, extension_id: UUID) -> dict[str, str]:
        versions = await self._versions.list_for_extension(extension_id)
        return resolve(versions, await self._tags.of_extension(extension_id))


class SetDistTagHandler(_TagEditor):
    """Creates or moves a custom tag; it must name a published, non-yanked version of the extension."""

    async def __call__(self, actor: Actor, extension_id: UUID, tag: str, version: str) -> dict[str, str]:
        view = await self._access.managed(actor, extension_id, for_update=True)
        name, number = custom_tag(tag), str(Version.parse(version))
        candidates = live(await self._versions.list_for_extension(view.extension.id))
        if all(candidate.version != number for candidate in candidates):
            raise VersionNotFound(f"No published, non-yanked version {number} of this extension.", field="version")
        await self._tags.put(view.extension.id, name, number)
        await self._uow.commit()
        return await self._tags_now(view.extension.id)


class RemoveDistTagHandler(_TagEditor):
    async def __call__(self, actor: Actor, extension_id: UUID, tag: str) -> dict[str, str]:
        view = await self._access.managed(actor, extension_id, for_update=True)
        if not await self._tags.remove(view.extension.id, custom_tag(tag)):
            raise DistTagNotFound(f"This extension has no dist-tag '{tag}'.", field="tag")
        await self._uow.commit()
        return await self._tags_now(view.extension.id)
