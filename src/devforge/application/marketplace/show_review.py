"""A version's review: each check of the latest round and every transition. The publisher's
members see the publisher-facing messages; administrators also see each check's detail."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.marketplace.manage_extensions import ExtensionAccess
from devforge.application.marketplace.ports import (
    CheckRecordRepository,
    ExtensionRepository,
    PublisherRepository,
    VersionRepository,
)
from devforge.application.marketplace.reviewing import VersionSlot, version_in
from devforge.application.marketplace.views import ReviewView
from devforge.domain.marketplace.permissions import MarketplacePermission


class ShowReview:
    def __init__(
        self,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        records: CheckRecordRepository,
    ) -> None:
        self._versions, self._records = versions, records
        self._access = ExtensionAccess(publishers, extensions)

    async def __call__(self, actor: Actor, slot: VersionSlot) -> ReviewView:
        await self._access.managed(actor, slot.extension_id)
        version = await version_in(self._versions, slot)
        return ReviewView.of(
            version,
            await self._records.list_for_version(version.id),
            admin=actor.may(MarketplacePermission.EXTENSIONS_REVIEW),
        )
