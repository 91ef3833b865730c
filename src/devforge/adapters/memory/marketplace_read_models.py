"""The marketplace's download counts and rating summaries on the memory store."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.rating import RatingSummary
from devforge.domain.marketplace.version import ExtensionVersion


class InMemoryDownloadCounts:
    def __init__(self, store: Tables) -> None:
        self._ledger: dict[tuple[UUID, str, date], str] = store.table("marketplace_downloads")
        self._versions: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")
        self._counts: dict[tuple[UUID, date], int] = store.table("marketplace_download_counts")

    async def recount(self, extension_id: UUID, day: date | None = None) -> None:
        for key in [key for key in self._counts if key[0] == extension_id and day in (None, key[1])]:
            del self._counts[key]
        theirs = {version.id for version in self._versions.values() if version.extension_id == extension_id}
        tally = Counter(when for version_id, _, when in self._ledger if version_id in theirs and day in (None, when))
        for when, downloads in tally.items():
            self._counts[(extension_id, when)] = downloads

    async def total(self, extension_id: UUID) -> int:
        return sum(downloads for (counted, _), downloads in self._counts.items() if counted == extension_id)


class InMemoryRatingSummaries:
    def __init__(self, store: Tables) -> None:
        self._extensions: dict[UUID, Extension] = store.table("marketplace_extensions")

    async def restate(self, extension_id: UUID, summary: RatingSummary) -> None:
        stored = self._extensions.get(extension_id)
        if stored is not None:
            restated = detached(stored)
            restated.rating_count, restated.rating_average = summary.count, summary.average
            self._extensions[extension_id] = restated
