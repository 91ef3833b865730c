"""A full load of a large catalogue moves what is alive out of the collector's reach
(``gc.freeze``), and only what is alive: garbage pending at that instant is collected first,
since frozen garbage is never freed."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime
from uuid import uuid4

from devforge.adapters.persistence.listing_index import FREEZE_FROM, ListingIndex
from devforge.domain.marketplace.listing import Listing


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def listing(n: int) -> Listing:
    return Listing(
        extension_id=uuid4(),
        namespace="acme",
        name=f"ext-{n}",
        display_name=f"Extension {n}",
        description="Colours matching brackets.",
        tags=(),
        categories=("themes",),
        platforms=("universal",),
        latest_version="1.0.0",
        verified=True,
        deprecated=False,
        downloads=n,
        updated_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_garbage_pending_at_a_full_load_is_freed_not_frozen() -> None:
    listings = [listing(n) for n in range(FREEZE_FROM)]
    gc.disable()  # the cycle below stays pending until someone collects
    try:
        garbage = Node()
        pending = weakref.ref(garbage)
        del garbage
        ListingIndex().replace_all(listings)
        gc.collect()
        assert pending() is None
    finally:
        gc.unfreeze()
        gc.enable()
