"""Re-run a version's review: the publisher (or a reviewer) asks again for a version that is not
approved (after a fix on our side, or a reviewer's doubt); the worker picks it up."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.reviewing import VersionSlot, version_in
from devforge.domain.marketplace.version import ExtensionVersion


class RequestReviewHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._versions, self._outbox, self._clock = uow, versions, outbox, clock
        self._access = ExtensionAccess(publishers, extensions)

    async def __call__(self, actor: Actor, slot: VersionSlot) -> ExtensionVersion:
        await self._access.managed(actor, slot.extension_id)
        version = await version_in(self._versions, slot, for_update=True)
        version.request_review(self._clock.now(), actor.user_id)
        await self._versions.update(version)
        await record_events(self._outbox, version)
        await self._uow.commit()
        return version
