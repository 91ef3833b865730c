"""What browse and search show of an extension, and how results are ranked and paged.

Only extensions with a published version are listed. A search word matches a listing when it
starts one of the listing's words (``search_words``); every word of the query must match. The
text relevance is the mean over the query's words of the best field each starts a word of: name,
display name or namespace 3, a tag 2, the description 1. The score adds popularity (downloads, on
a log scale), rating (a Bayesian average, so three 5-star ratings do not beat two hundred 4.6-star
ones) and recency, and subtracts penalties for an unverified publisher and for a deprecated
extension. Everything but relevance and recency is the listing's ``static_score``, which SQL
adapters store beside the row, so every adapter adds the same floats in the same order and ranks
identically. Pages are cut with a keyset (the last row's sort key and id), so a page never
repeats or skips rows when earlier pages change length.
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
NAME_WEIGHT, TAG_WEIGHT, TEXT_WEIGHT = 3.0, 2.0, 1.0
RECENT_BONUS = 0.2

SortKey = tuple[float | str, str]  # ascending; the second part is the extension id, the tiebreak


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DOWNLOADS = "downloads"
    RECENT = "recent"
    NAME = "name"


@dataclass(frozen=True, slots=True)
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

    @property
    def name_words(self) -> str:
        return " ".join(search_words(f"{self.name} {self.display_name} {self.namespace}"))

    @property
    def tag_words(self) -> str:
        return " ".join(search_words(" ".join(self.tags)))

    @property
    def text_words(self) -> str:
        return " ".join(search_words(self.description))

    @property
    def all_words(self) -> str:
        """Every word a query word may start, space-separated (what text indexes are built on)."""
        return " ".join(part for part in (self.name_words, self.tag_words, self.text_words) if part)

    @property
    def sort_name(self) -> str:
        return self.display_name.casefold()


@dataclass(frozen=True, slots=True)
class Match:
    listing: Listing
    relevance: float  # from the search adapter: higher is a better text match; 1.0 without text


def search_words(text: str) -> list[str]:
    """Letters and digits, case-folded; everything else separates words."""
    return "".join(character if character.isalnum() else " " for character in text.casefold()).split()


def relevance(listing: Listing, terms: list[str]) -> float:
    """0.0 when a term starts no word of the listing; else the mean of each term's best weight."""
    fields = (
        (NAME_WEIGHT, listing.name_words.split()),
        (TAG_WEIGHT, listing.tag_words.split()),
        (TEXT_WEIGHT, listing.text_words.split()),
    )
    total = 0.0
    for term in terms:
        weight = next((w for w, found in fields if any(word.startswith(term) for word in found)), 0.0)
        if weight == 0.0:
            return 0.0
        total += weight
    return total / len(terms)


def bayesian_rating(listing: Listing) -> float:
    """The average pulled towards the prior mean while ratings are few."""
    total = RATING_PRIOR_COUNT * RATING_PRIOR_MEAN + listing.rating_count * listing.rating_average
    return total / (RATING_PRIOR_COUNT + listing.rating_count)


def static_score(listing: Listing) -> float:
    """The part of the score that does not depend on the query or the clock."""
    value = 0.1 * math.log1p(listing.downloads)
    value += RATING_WEIGHT * (bayesian_rating(listing) - RATING_PRIOR_MEAN)
    value -= 0.0 if listing.verified else UNVERIFIED_PENALTY
    value -= DEPRECATED_PENALTY if listing.deprecated else 0.0
    return value


def recent_since(now: datetime) -> datetime:
    """Listings updated at or after this instant get the recency bonus."""
    return now - RECENT


def score(match: Match, now: datetime) -> float:
    """Evaluated as (relevance + static score) + recency bonus, in this order, on every adapter."""
    bonus = RECENT_BONUS if match.listing.updated_at >= recent_since(now) else 0.0
    return (match.relevance + static_score(match.listing)) + bonus


def sort_key(match: Match, order: SortOrder, now: datetime) -> SortKey:
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
    matches: Iterable[Match], order: SortOrder, now: datetime, limit: int, after: SortKey | None
) -> tuple[list[Match], SortKey | None]:
    """One page after the keyset ``after``, and the keyset of its last row when more follow."""
    ranked = sorted(((sort_key(match, order, now), match) for match in matches), key=lambda pair: pair[0])
    if after is not None:
        ranked = [pair for pair in ranked if pair[0] > after]
    chosen = ranked[:limit]
    more = len(ranked) > limit
    return [match for _, match in chosen], (chosen[-1][0] if more and chosen else None)
