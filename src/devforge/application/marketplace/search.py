"""The search port: the listings browse and search read, kept in step with approvals.

Transactional (the SQL adapters write in the use case's transaction). Adapters answer the rows
matching the text and filters with a text relevance; ranking and keyset paging are the domain's
(``listing.page``), the same on every adapter. PostgreSQL matches with full-text search
(``websearch_to_tsquery``), SQLite with an FTS5 index, memory by word prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from devforge.domain.marketplace.listing import Listing, Match


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

    async def matches(self, filters: SearchFilters) -> list[Match]:
        """Every listing passing the filters whose text matches every word of ``filters.text``
        (as a word prefix); relevance 1.0 for all when there is no text."""
        ...

    async def add_download(self, extension_id: UUID) -> None: ...

    async def set_rating(self, extension_id: UUID, count: int, average: float) -> None:
        """The extension's ratings as they now stand; nothing when it is not listed."""
        ...


def words(text: str) -> list[str]:
    """Search words: letters and digits, lower-cased; everything else separates words."""
    cleaned = "".join(character if character.isalnum() else " " for character in text.casefold())
    return cleaned.split()[:10]
