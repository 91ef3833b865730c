"""The search port: the listings browse and search read, a read model the marketplace's consumers
keep (``read_models.py``).

Transactional (the SQL adapters write in the use case's transaction). Adapters answer one page:
filtering, ranking (``listing.score`` and ``listing.sort_key``, the domain's rule) and the keyset
cut happen where the data is, so a page costs the same at 20 listings and at 20,000. PostgreSQL
prefilters text with a GIN index, SQLite with an FTS5 index, memory scans; all three then apply
the same word-prefix rule and the same score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.marketplace.listing import Listing, Match, SortKey, SortOrder, search_words

MAX_QUERY_WORDS = 10


@dataclass(frozen=True)
class SearchFilters:
    text: str = ""
    category: str | None = None
    tag: str | None = None
    publisher: str | None = None  # namespace
    platform: str | None = None
    paid: bool | None = None  # None: free and paid alike


class ExtensionSearch(Protocol):
    async def upsert(self, listing: Listing) -> None: ...

    async def remove(self, extension_id: UUID) -> None: ...

    async def get(self, extension_id: UUID) -> Listing | None: ...

    async def page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        """Up to ``limit`` listings passing the filters whose words are started by every word of
        ``filters.text`` (relevance 1.0 for all without text), in ``sort_key`` order, each with a
        key strictly greater than ``after``."""
        ...

    async def set_downloads(self, extension_id: UUID, downloads: int) -> None:
        """The extension's download total as it now stands; nothing when it is not listed."""
        ...

    async def set_rating(self, extension_id: UUID, count: int, average: float) -> None:
        """The extension's ratings as they now stand; nothing when it is not listed."""
        ...


def words(text: str) -> list[str]:
    """The query's search words (the first ten)."""
    return search_words(text)[:MAX_QUERY_WORDS]
