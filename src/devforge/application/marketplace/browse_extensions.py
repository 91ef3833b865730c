"""Browse and search the marketplace: filters, a sort order and keyset pages.

A cursor is the last row's sort key, opaque to clients (base64 of JSON). One more row than asked
is fetched to know whether a next page exists; nothing is counted.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.marketplace.search import ExtensionSearch, SearchFilters
from devforge.domain.marketplace.errors import ExtensionInvalid
from devforge.domain.marketplace.listing import Listing, SortKey, SortOrder, sort_key

MAX_PAGE = 100
LARGEST_KEY = 1e12  # beyond any score, download count or timestamp: a key past it was not ours


@dataclass(frozen=True)
class BrowseQuery:
    filters: SearchFilters = field(default_factory=SearchFilters)
    order: SortOrder | None = None  # relevance when searching for text, downloads otherwise
    limit: int = 20
    cursor: str | None = None


@dataclass(frozen=True)
class BrowsePage:
    listings: tuple[Listing, ...]
    next_cursor: str | None


class BrowseExtensions:
    def __init__(self, search: ExtensionSearch, clock: Clock) -> None:
        self._search, self._clock = search, clock

    async def __call__(self, query: BrowseQuery) -> BrowsePage:
        order = query.order or (SortOrder.RELEVANCE if query.filters.text.strip() else SortOrder.DOWNLOADS)
        if not 1 <= query.limit <= MAX_PAGE:
            raise ExtensionInvalid(f"Ask for 1 to {MAX_PAGE} extensions a page.", field="limit")
        after = _decode(query.cursor, order) if query.cursor else None
        now = self._clock.now()
        found = await self._search.page(query.filters, order, now, query.limit + 1, after)
        chosen = found[: query.limit]
        last = sort_key(chosen[-1], order, now) if len(found) > query.limit else None
        return BrowsePage(tuple(match.listing for match in chosen), _encode(order, last) if last else None)


def _encode(order: SortOrder, key: SortKey) -> str:
    return base64.urlsafe_b64encode(json.dumps([order.value, *key]).encode()).decode().rstrip("=")


def _decode(cursor: str, order: SortOrder) -> SortKey:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        kind, first, last = raw
        UUID(last)
    except (ValueError, TypeError, AttributeError, binascii.Error):
        raise ExtensionInvalid("This cursor is not one a page answered.", field="cursor") from None
    text_key = order is SortOrder.NAME
    if kind != order.value or isinstance(first, str) != text_key:
        raise ExtensionInvalid("This cursor belongs to another sort order.", field="cursor")
    if not text_key and not (isinstance(first, int | float) and math.isfinite(first) and abs(first) < LARGEST_KEY):
        raise ExtensionInvalid("This cursor is not one a page answered.", field="cursor")
    return (first if text_key else float(first), str(UUID(last)))
