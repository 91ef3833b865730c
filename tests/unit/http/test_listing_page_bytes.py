"""A search page's JSON, spliced from each listing's JSON encoded once, is the bytes the
documented schema (ListingPageResponse) encodes to, and a listing that changed is encoded anew."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import msgspec

from devforge.application.marketplace.browse_extensions import BrowsePage
from devforge.domain.marketplace.listing import Listing
from devforge.entrypoints.http.marketplace.schemas import ListingPageResponse


def listing(name: str, **overrides: object) -> Listing:
    values: dict[str, object] = {
        "extension_id": uuid4(),
        "namespace": "acme",
        "name": name,
        "display_name": f'{name.title()} "quoted" \u00e9\u2028',
        "description": "Colours\nmatching brackets.",
        "tags": ("brackets", "theme"),
        "categories": ("themes",),
        "platforms": ("universal",),
        "latest_version": "1.0.0",
        "verified": True,
        "deprecated": False,
        "downloads": 12,
        "updated_at": datetime(2026, 12, 1, 10, 30, 15, 123456, tzinfo=UTC),
        "rating_count": 3,
        "rating_average": 4.333333333333333,
        "paid": True,
    }
    return Listing(**(values | overrides))  # type: ignore[arg-type]


def test_the_spliced_page_is_the_schemas_bytes() -> None:
    first, second = listing("rainbow"), listing("night-owl", tags=(), paid=False, rating_average=0.0)
    for page in (
        BrowsePage((first, second), "eyJjdXJzb3IiOiAxfQ"),
        BrowsePage((second,), None),
        BrowsePage((), None),
    ):
        for _ in range(2):  # encoded, then from what was kept
            assert ListingPageResponse.encoded(page) == msgspec.json.encode(ListingPageResponse.of(page))


def test_a_changed_listing_is_encoded_anew() -> None:
    first = listing("rainbow")
    assert b'"downloads":12' in ListingPageResponse.encoded(BrowsePage((first,), None))
    changed = replace(first, downloads=13)
    assert b'"downloads":13' in ListingPageResponse.encoded(BrowsePage((changed,), None))
