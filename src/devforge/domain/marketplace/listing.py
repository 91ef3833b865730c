"""What browse and search show of an extension, and how results are ranked and paged.

Only extensions with a published version are listed. The score blends the text match with
popularity (downloads, on a log scale), rating (a Bayesian average, so three 5-star ratings do
not beat two hundred 4.6-star ones) and recency, minus penalties for an unverified publisher and
for a deprecated extension. Pages are cut with a keyset (the last row's sort key and id),
so a page never repeats or skips rows when earlier pages change length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

UNVERIFIED_PENALTY = 0.5
DEPRECATED_PENALTY = 2.0
RECENT = timedelta(days=30)
RATING_PRIOR_COUNT = 10  # an extension's rating starts as this many ratings of RATING_PRIOR_MEAN
RATING_PRIOR_MEAN = 3.0
RATING_WEIGHT = 0.15


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DOWNLOADS = "downloads"
    RECENT = "recent"
    NAME = "name"


@dataclass(frozen=True)
class Listing:
    extension_id: UUID
    namespace: str
    name: str
    display_name: str
    description: str
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    platforms: tuple[str, ...]
    latest_version: str
    verified: bool
    deprecated: bool
    downloads: int
    updated_at: datetime
    rating_count: int = 0
    rating_average: float = 0.0  # 1.0-5.0 when rated; 0.0 while unrated
    paid: bool = False

    @property
    def search_text(self) -> str:
        return " ".join((self.namespace, self.name, self.display_name, " ".join(self.tags), self.description))


@dataclass(frozen=True)
class Match:
    listing: Listing
    relevance: float  # from the search adapter: higher is a better text match; 1.0 without text


def bayesian_rating(listing: Listing) -> float:
    """The average pulled towards the prior mean while ratings are few."""
    total = RATING_PRIOR_COUNT * RATING_PRIOR_MEAN + listing.rating_count * listing.rating_average
    return total / (RATING_PRIOR_COUNT + listing.rating_count)


def score(match: Match, now: datetime) -> float:
    listing = match.listing
    value = match.relevance + 0.1 * math.log1p(listing.downloads)
    value += RATING_WEIGHT * (bayesian_rating(listing) - RATING_PRIOR_MEAN)
    value += 0.2 if now - listing.updated_at <= RECENT else 0.0
    value -= 0.0 if listing.verified else UNVERIFIED_PENALTY
    value -= DEPRECATED_PENALTY if listing.deprecated else 0.0
    return round(value, 9)


def sort_key(match: Match, order: SortOrder, now: datetime) -> tuple[float | str, str]:
    """Ascending key: the first row is the best."""
    listing, tiebreak = match.listing, str(match.listing.extension_id)
    if order is SortOrder.DOWNLOADS:
        return (-float(listing.downloads), tiebreak)
    if order is SortOrder.RECENT:
        return (-listing.updated_at.timestamp(), tiebreak)
    if order is SortOrder.NAME:
        return (listing.display_name.casefold(), tiebreak)
    return (-score(match, now), tiebreak)


def page(
    matches: Iterable[Match], order: SortOrder, now: datetime, limit: int, after: tuple[float | str, str] | None
) -> tuple[list[Match], tuple[float | str, str] | None]:
    """One page after the keyset ``after``, and the keyset of its last row when more follow."""
    ranked = sorted(((sort_key(match, order, now), match) for match in matches), key=lambda pair: pair[0])
    if after is not None:
        ranked = [pair for pair in ranked if pair[0] > after]
    chosen = ranked[:limit]
    more = len(ranked) > limit
    return [match for _, match in chosen], (chosen[-1][0] if more and chosen else None)
