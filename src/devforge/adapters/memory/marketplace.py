"""Marketplace repositories on the memory store (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.application.marketplace.ports import CheckRecord
from devforge.application.marketplace.search import SearchFilters, words
from devforge.domain.marketplace.errors import NameSquatted, VersionSlotTaken
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.listing import Listing, Match, SortKey, SortOrder, page, relevance
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.version import ExtensionVersion


class InMemoryPublisherRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Publisher] = store.table("marketplace_publishers")

    async def add(self, publisher: Publisher) -> None:
        if any(row.namespace == publisher.namespace for row in self._rows.values()):
            raise NameSquatted("This namespace is taken.", collides_with=publisher.namespace, field="namespace")
        self._rows[publisher.id] = detached(publisher)

    async def get(self, publisher_id: UUID, *, for_update: bool = False) -> Publisher | None:
        row = self._rows.get(publisher_id)
        return detached(row) if row else None

    async def get_by_namespace(self, namespace: str) -> Publisher | None:
        return next((detached(row) for row in self._rows.values() if row.namespace == namespace), None)

    async def names(self) -> list[str]:
        return sorted({name for row in self._rows.values() for name in (row.namespace, row.display_name)})

    async def list_for_member(self, user_id: UUID) -> list[Publisher]:
        mine = [detached(row) for row in self._rows.values() if row.is_member(user_id)]
        return sorted(mine, key=lambda publisher: publisher.namespace)

    async def update(self, publisher: Publisher) -> None:
        self._rows[publisher.id] = detached(publisher)


class InMemoryExtensionRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Extension] = store.table("marketplace_extensions")

    async def add(self, extension: Extension) -> None:
        if any(row.name == extension.name for row in self._rows.values()):
            raise NameSquatted("This extension name is taken.", collides_with=extension.name, field="name")
        self._rows[extension.id] = detached(extension)

    async def get(self, extension_id: UUID, *, for_update: bool = False) -> Extension | None:
        row = self._rows.get(extension_id)
        return detached(row) if row else None

    async def names(self, *, excluding: UUID | None = None) -> list[str]:
        return sorted(row.name for row in self._rows.values() if row.id != excluding)

    async def list_for_publishers(self, publisher_ids: list[UUID]) -> list[Extension]:
        rows = [detached(row) for row in self._rows.values() if row.publisher_id in set(publisher_ids)]
        return sorted(rows, key=lambda extension: (extension.created_at, extension.id.int))

    async def ids(self, *, after: UUID | None, limit: int) -> list[UUID]:
        ordered = sorted(self._rows, key=lambda extension_id: extension_id.int)
        return [extension_id for extension_id in ordered if after is None or extension_id.int > after.int][:limit]

    async def count(self) -> int:
        return len(self._rows)

    async def update(self, extension: Extension) -> None:
        saved, stored = detached(extension), self._rows.get(extension.id)
        if stored is not None:  # the rating summary is the read model's to write
            saved.rating_count, saved.rating_average = stored.rating_count, stored.rating_average
        self._rows[extension.id] = saved


class InMemoryVersionRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")

    async def add(self, version: ExtensionVersion) -> None:
        if await self.find(version.extension_id, version.version, version.target_platform):
            raise VersionSlotTaken("This version was uploaded before.", field="version")
        self._rows[version.id] = detached(version)

    async def get(self, version_id: UUID, *, for_update: bool = False) -> ExtensionVersion | None:
        row = self._rows.get(version_id)
        return detached(row) if row else None

    async def find(self, extension_id: UUID, version: str, target_platform: str) -> ExtensionVersion | None:
        slot = (extension_id, version, target_platform)
        return next(
            (
                detached(row)
                for row in self._rows.values()
                if (row.extension_id, row.version, row.target_platform) == slot
            ),
            None,
        )

    async def list_for_extension(self, extension_id: UUID) -> list[ExtensionVersion]:
        rows = [detached(row) for row in self._rows.values() if row.extension_id == extension_id]
        return sorted(rows, key=lambda version: (version.uploaded_at, version.id.int))

    async def list_for_extensions(self, extension_ids: list[UUID]) -> dict[UUID, list[ExtensionVersion]]:
        return {extension_id: await self.list_for_extension(extension_id) for extension_id in extension_ids}

    async def update(self, version: ExtensionVersion) -> None:
        self._rows[version.id] = detached(version)


class InMemoryCheckRecordRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, list[CheckRecord]] = store.table("marketplace_check_records")

    async def add(self, records: list[CheckRecord]) -> None:
        for record in records:
            self._rows[record.version_id] = [*self._rows.get(record.version_id, []), record]

    async def list_for_version(self, version_id: UUID) -> list[CheckRecord]:
        return list(self._rows.get(version_id, []))


class InMemoryExtensionSearch:
    """The domain's rule applied to every listing: word-prefix relevance, score and keyset page."""

    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Listing] = store.table("marketplace_listings")

    async def upsert(self, listing: Listing) -> None:
        self._rows[listing.extension_id] = listing

    async def remove(self, extension_id: UUID) -> None:
        self._rows.pop(extension_id, None)

    async def get(self, extension_id: UUID) -> Listing | None:
        return self._rows.get(extension_id)

    async def page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        found: list[Match] = []
        terms = words(filters.text)
        for listing in self._rows.values():
            if not _passes(listing, filters):
                continue
            weight = relevance(listing, terms) if terms else 1.0
            if weight > 0:
                found.append(Match(listing, weight))
        chosen, _ = page(found, order, now, limit, after)
        return chosen

    async def set_downloads(self, extension_id: UUID, downloads: int) -> None:
        listing = self._rows.get(extension_id)
        if listing is not None:
            self._rows[extension_id] = replace(listing, downloads=downloads)

    async def set_rating(self, extension_id: UUID, count: int, average: float) -> None:
        listing = self._rows.get(extension_id)
        if listing is not None:
            self._rows[extension_id] = replace(listing, rating_count=count, rating_average=average)


def _passes(listing: Listing, filters: SearchFilters) -> bool:
    return (
        (filters.category is None or filters.category in listing.categories)
        and (filters.tag is None or filters.tag in listing.tags)
        and (filters.publisher is None or filters.publisher == listing.namespace)
        and (filters.platform is None or filters.platform in listing.platforms or "universal" in listing.platforms)
        and (filters.paid is None or filters.paid == listing.paid)
    )


class InMemoryDownloadLedger:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[UUID, str, date], str] = store.table("marketplace_downloads")

    async def record(self, version_id: UUID, client: str, day: date, kind: str) -> bool:
        if (version_id, client, day) in self._rows:
            return False
        self._rows[(version_id, client, day)] = kind
        return True
