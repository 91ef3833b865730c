"""The marketplace's committed reads over the memory store, through its memory repositories (the
memory store has no isolation between scopes): ratings, what a member holds, a version's checks."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.marketplace import (
    InMemoryCheckRecordRepository,
    InMemoryExtensionRepository,
    InMemoryPublisherRepository,
    InMemoryVersionRepository,
)
from devforge.adapters.memory.marketplace_ratings import InMemoryRatingRepository
from devforge.adapters.memory.store import Tables
from devforge.application.marketplace.ports import CheckRecord, MemberCatalog
from devforge.domain.marketplace.rating import Rating, RatingSummary


class InMemoryRatingReader:
    def __init__(self, store: Tables) -> None:
        self._publishers, self._extensions = InMemoryPublisherRepository(store), InMemoryExtensionRepository(store)
        self._ratings = InMemoryRatingRepository(store)

    async def live(self, extension_id: UUID) -> bool:
        extension = await self._extensions.get(extension_id)
        return (
            extension is not None
            and not extension.deleted
            and await self._publishers.get(extension.publisher_id) is not None
        )

    async def find(self, extension_id: UUID, user_id: UUID) -> Rating | None:
        return await self._ratings.find(extension_id, user_id)

    async def summary(self, extension_id: UUID) -> RatingSummary:
        return await self._ratings.summary(extension_id)

    async def page(self, extension_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Rating]:
        return await self._ratings.page(extension_id, limit=limit, after=after)


class InMemoryMemberCatalogReader:
    def __init__(self, store: Tables) -> None:
        self._publishers, self._extensions = InMemoryPublisherRepository(store), InMemoryExtensionRepository(store)
        self._versions = InMemoryVersionRepository(store)

    async def member_catalog(self, user_id: UUID) -> MemberCatalog:
        publishers = await self._publishers.list_for_member(user_id)
        extensions = await self._extensions.list_for_publishers([publisher.id for publisher in publishers])
        versions = await self._versions.list_for_extensions([extension.id for extension in extensions])
        return MemberCatalog(publishers, extensions, versions)


class InMemoryCheckRecordReader:
    def __init__(self, store: Tables) -> None:
        self._records = InMemoryCheckRecordRepository(store)

    async def for_version(self, version_id: UUID) -> list[CheckRecord]:
        return await self._records.list_for_version(version_id)
