"""Withdrawing: a publisher yanks a published version or deprecates a whole extension, with a
message (and, for a deprecation, the extension to use instead). The dist-tags follow at once (a
custom tag naming a version number with no live build left is dropped); the listing follows through
its consumer, and the CDN forgets a yanked, unpublished or deleted archive through another (purges
are retried from jobs)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.cdn import ContentDeliveryNetwork
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.channel_ports import DistTagRepository
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.published import ExtensionDeletedV1, VersionUnpublishedV1, VersionYankedV1
from devforge.application.marketplace.reviewing import VersionSlot, version_in
from devforge.application.marketplace.views import ExtensionView
from devforge.domain.marketplace.dist_tags import live
from devforge.domain.marketplace.version import ExtensionVersion


class _Withdrawal:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        tags: DistTagRepository,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._extensions, self._versions = uow, extensions, versions
        self._tags, self._outbox, self._clock = tags, outbox, clock
        self._access = ExtensionAccess(publishers, extensions)


class YankVersionHandler(_Withdrawal):
    async def __call__(self, actor: Actor, slot: VersionSlot, reason: str) -> ExtensionVersion:
        view = await self._access.managed(actor, slot.extension_id)
        version = await version_in(self._versions, slot, for_update=True)
        version.yank(reason, self._clock.now())
        await self._versions.update(version)
        remaining = live(await self._versions.list_for_extension(view.extension.id))
        if all(other.version != version.version for other in remaining):
            await self._tags.remove_pointing_at(view.extension.id, version.version)
        await record_events(self._outbox, version)
        await self._uow.commit()
        return version


class DeprecateExtensionHandler(_Withdrawal):
    async def __call__(
        self, actor: Actor, extension_id: UUID, message: str, replacement: str | None = None
    ) -> ExtensionView:
        view = await self._access.managed(actor, extension_id, for_update=True)
        view.extension.deprecate(message, replacement, self._clock.now())
        await self._extensions.update(view.extension)
        await record_events(self._outbox, view.extension)
        await self._uow.commit()
        return view


class WhenArchiveWithdrawnPurgeCdn:
    """A yanked or unpublished version's archive, or every archive of a deleted extension, leaves
    the CDN's caches."""

    name = "marketplace.purge_cdn"
    subscribes_to = (VersionYankedV1, VersionUnpublishedV1, ExtensionDeletedV1)

    def __init__(self, cdn: ContentDeliveryNetwork) -> None:
        self._cdn = cdn

    async def handle(self, event: EventEnvelope) -> None:
        withdrawn = decode(event, VersionYankedV1, VersionUnpublishedV1, ExtensionDeletedV1)
        keys = withdrawn.archive_keys if isinstance(withdrawn, ExtensionDeletedV1) else (withdrawn.archive_key,)
        await self._cdn.purge([key for key in keys if key])
