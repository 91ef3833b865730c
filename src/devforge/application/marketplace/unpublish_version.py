"""Unpublish a version: within 72 hours of its publication, and only while no other live
extension depends on this one, unless another published, non-yanked version remains to satisfy
them. The row stays (the slot is never reused); the dist-tags follow, and the listing and the
CDN's copy of the archive follow ``marketplace.version_unpublished`` through their consumers. A
retry changes nothing and succeeds.

The extension's row is locked first, so two unpublishes of its last two versions cannot both
count the other as the version that remains.
"""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.channel_ports import DependencyRepository, DistTagRepository
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.domain.marketplace.dist_tags import live
from devforge.domain.marketplace.errors import VersionInvalid, VersionNotFound
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion


class UnpublishVersionHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        dependencies: DependencyRepository,
        tags: DistTagRepository,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._versions, self._dependencies, self._tags = uow, versions, dependencies, tags
        self._outbox, self._clock = outbox, clock
        self._access = ExtensionAccess(publishers, extensions)

    async def __call__(self, actor: Actor, slot: VersionSlot) -> ExtensionVersion:
        view = await self._access.managed(actor, slot.extension_id, for_update=True)
        version = await self._slot(slot)
        if version.deleted_at is not None:
            return version  # unpublished already: a retry
        now = self._clock.now()
        remaining = live(v for v in await self._versions.list_for_extension(view.extension.id) if v.id != version.id)
        extension = view.extension
        dependents = await self._dependencies.dependents(view.namespace, extension.name, excluding=extension.id)
        version.unpublish(now, dependents=tuple(dependents), others_remain=bool(remaining))
        await self._versions.update(version)
        if all(other.version != version.version for other in remaining):
            await self._tags.remove_pointing_at(view.extension.id, version.version)
        await record_events(self._outbox, version)
        await self._uow.commit()
        return version

    async def _slot(self, slot: VersionSlot) -> ExtensionVersion:
        """Unpublished versions included, so that a retry finds what the first call left."""
        try:
            number = str(Version.parse(slot.version))
        except VersionInvalid:
            raise VersionNotFound("No such version.", field="version") from None
        found = await self._versions.find(slot.extension_id, number, slot.target_platform)
        locked = await self._versions.get(found.id, for_update=True) if found else None
        if locked is None:
            raise VersionNotFound("No such version of this extension.", field="version")
        return locked
