"""Every listing in the process's memory, so browse and search answer without a database call.

The listings table stays the truth; this is a copy kept per process (about 1.5 KiB a listing, so
some 30 MiB at 20,000 listings) that ``SqlaExtensionSearch`` fills from the table and refreshes:
a listing written in this process is marked stale when its transaction commits, one written in
another process when PostgreSQL delivers the transaction's NOTIFY (``listing_changes.py``). A
read first reloads what is stale (every listing at the first read, the marked ones after), so it
answers what was committed before it began. While the copy cannot be trusted (no subscription in
PostgreSQL), ``usable`` is False and the adapter asks SQL.

What it keeps, besides the listings: per word the listings holding it, with the weight of the best
field it is in (name 3, tag 2, description 1; ``listing.relevance``), so a query word's matches
are the union of the postings of the words it starts (a range of the sorted words); per filter
value the listings carrying it; and rankings: for a query's words and a sort order, every match
in ``sort_key`` order. A page is then a bisection to the cursor and a slice, or a walk
along the ranking that skips what fails the filters (when a filter leaves few listings, those
few are ranked instead). Rankings by relevance depend on the clock through the recency bonus:
each remembers the interval of instants at which no listing's bonus flips. Any change drops the
rankings; they are bounded by the rows they hold (an id each, and the matches' relevance shared
by a query's orders), least recently used first.
"""

from __future__ import annotations

import asyncio
import bisect
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.application.marketplace.search import SearchFilters, words
from devforge.domain.marketplace.listing import (
    NAME_WEIGHT,
    RECENT,
    RECENT_BONUS,
    TAG_WEIGHT,
    TEXT_WEIGHT,
    Listing,
    Match,
    SortKey,
    SortOrder,
    static_score,
)

FEW = 8  # rank a filter's listings directly when they are fewer than 1/FEW of the ranking's rows


class ChangeFeed(Protocol):
    """Marks the index's listings stale as other processes commit changes to them."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class _Ranking:
    slots: list[int]  # in sort_key order; keys are computed again where needed (a bisection: a few)
    relevance: dict[int, float]  # slot -> relevance, shared by the rankings of the same words
    after: datetime | None = None  # valid at instants in (after, until]; None: any
    until: datetime | None = None

    def valid_at(self, now: datetime) -> bool:
        return (self.after is None or now > self.after) and (self.until is None or now <= self.until)


class ListingIndex:
    """One per process and database (APP scope). Not transactional: it only ever holds what a
    transaction committed."""

    def __init__(self, *, enabled: bool = True, max_ranked_rows: int = 1_000_000) -> None:
        self.enabled = enabled
        self.subscribed = False  # kept by the change feed, when there is one (PostgreSQL)
        self.refreshing = asyncio.Lock()  # one reload at a time; the others wait and find it current
        self._feed: ChangeFeed | None = None
        self._feed_started = False
        self._max_rows = max_ranked_rows
        # A listing lives in a slot (an int: hashing UUIDs costs a Python call each).
        self._slots: dict[UUID, int] = {}
        self._listings: list[Listing | None] = []
        self._static: list[float] = []
        self._ids: list[str] = []
        self._free: list[int] = []
        # word -> the slots whose best field holding it is the name, a tag, the description
        self._postings: dict[str, tuple[set[int], set[int], set[int]]] = {}
        self._words: list[str] | None = None
        self._by: dict[tuple[str, str], set[int]] = {}
        self._orders: dict[SortOrder, tuple[list[int], list[int]]] = {}  # every slot ranked, and each one's rank
        self._everything: dict[int, float] | None = None
        self._rankings: OrderedDict[tuple[tuple[str, ...], SortOrder], _Ranking] = OrderedDict()
        self._ranked_rows = 0
        self._stale: set[UUID] = set()
        self._all_stale = True

    def listen_with(self, feed: ChangeFeed) -> None:
        """Other processes write the listings too: usable only while ``feed`` is subscribed."""
        self._feed = feed

    async def ready(self) -> bool:
        """Whether reads may be answered here (the feed is started at the first ask)."""
        if not self.enabled:
            return False
        if self._feed is None:
            return True
        if not self._feed_started:
            self._feed_started = True
            await self._feed.start()
        return self.subscribed

    async def close(self) -> None:
        if self._feed is not None:
            await self._feed.stop()

    @property
    def current(self) -> bool:
        return not self._all_stale and not self._stale

    def invalidate(self, extension_ids: Iterable[UUID]) -> None:
        self._stale.update(extension_ids)

    def invalidate_all(self) -> None:
        self._all_stale = True

    def take_stale(self) -> set[UUID] | None:
        """What to reload, and no longer stale (None: everything). Give it back with ``invalidate``
        (or ``invalidate_all``) when the reload fails."""
        if self._all_stale:
            self._all_stale, self._stale = False, set()
            return None
        taken, self._stale = self._stale, set()
        return taken

    def replace_all(self, listings: Iterable[Listing]) -> None:
        self._slots.clear()
        self._listings.clear()
        self._static.clear()
        self._ids.clear()
        self._free.clear()
        self._postings.clear()
        self._by.clear()
        for listing in listings:
            self._add(listing)
        self._changed()

    def apply(self, listings: Iterable[Listing], gone: Iterable[UUID]) -> None:
        for extension_id in gone:
            self._drop(extension_id)
        for listing in listings:
            self._drop(listing.extension_id)
            self._add(listing)
        self._changed()

    def page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        ranking = self._ranking(tuple(words(filters.text)), order, now)
        slots, relevance, listings = ranking.slots, ranking.relevance, self._listings
        start = 0
        if after is not None:
            start = bisect.bisect_right(slots, after, key=lambda slot: self._key(slot, relevance[slot], order, now))
        accept = _accepts(filters)
        if accept is None:
            return [Match(listings[slot], relevance[slot]) for slot in slots[start : start + limit]]  # type: ignore[arg-type]
        few = self._fewest(filters)
        if few is not None and len(few) * FEW < len(slots) - start:
            return self._rank_few(few, ranking, accept, order, now, limit, after)
        chosen: list[Match] = []
        for position in range(start, len(slots)):
            slot = slots[position]
            listing = listings[slot]
            if listing is not None and accept(listing):
                chosen.append(Match(listing, relevance[slot]))
                if len(chosen) == limit:
                    break
        return chosen

    def _rank_few(
        self,
        few: set[int],
        ranking: _Ranking,
        accept: _Accept,
        order: SortOrder,
        now: datetime,
        limit: int,
        after: SortKey | None,
    ) -> list[Match]:
        keyed = []
        for slot in few:
            weight = ranking.relevance.get(slot)
            listing = self._listings[slot]
            if weight is not None and listing is not None and accept(listing):
                key = self._key(slot, weight, order, now)
                if after is None or key > after:
                    keyed.append((key, Match(listing, weight)))
        keyed.sort(key=lambda pair: pair[0])
        return [match for _, match in keyed[:limit]]

    def _ranking(self, terms: tuple[str, ...], order: SortOrder, now: datetime) -> _Ranking:
        cached = self._rankings.get((terms, order))
        if cached is not None and cached.valid_at(now):
            self._rankings.move_to_end((terms, order))
            return cached
        relevance = self._matches(terms)
        after, until = None, None
        if order is not SortOrder.RELEVANCE:  # the same for every query: the whole catalogue's order
            ranked, rank = self._order(order, now)
            slots = ranked if not terms else sorted(relevance, key=rank.__getitem__)
        else:
            slots = sorted(relevance, key=lambda slot: self._key(slot, relevance[slot], order, now))
            # the bonus of a listing updated at u holds while now <= u + RECENT
            flips = [self._listings[slot].updated_at + RECENT for slot in relevance]  # type: ignore[union-attr]
            after = max((flip for flip in flips if flip < now), default=None)
            until = min((flip for flip in flips if flip >= now), default=None)
        ranking = _Ranking(slots, relevance, after, until)
        self._remember((terms, order), ranking)
        return ranking

    def _order(self, order: SortOrder, now: datetime) -> tuple[list[int], list[int]]:
        """Every listing in the order (one that does not depend on the clock), and each slot's rank."""
        known = self._orders.get(order)
        if known is None:
            taken = [slot for slot, listing in enumerate(self._listings) if listing is not None]
            ranked = sorted(taken, key=lambda slot: self._key(slot, 1.0, order, now))
            rank = [0] * len(self._listings)
            for position, slot in enumerate(ranked):
                rank[slot] = position
            known = self._orders[order] = (ranked, rank)
        return known

    def _remember(self, key: tuple[tuple[str, ...], SortOrder], ranking: _Ranking) -> None:
        previous = self._rankings.pop(key, None)
        if previous is not None:
            self._ranked_rows -= _rows(previous)
        self._rankings[key] = ranking
        self._ranked_rows += _rows(ranking)
        while self._ranked_rows > self._max_rows and len(self._rankings) > 1:
            _, dropped = self._rankings.popitem(last=False)
            self._ranked_rows -= _rows(dropped)

    def _key(self, slot: int, weight: float, order: SortOrder, now: datetime) -> SortKey:
        """``listing.sort_key``, with the static score read from the index: the same floats."""
        listing = self._listings[slot]
        assert listing is not None
        if order is SortOrder.DOWNLOADS:
            return (-float(listing.downloads), self._ids[slot])
        if order is SortOrder.RECENT:
            return (-listing.updated_at.timestamp(), self._ids[slot])
        if order is SortOrder.NAME:
            return (listing.sort_name, self._ids[slot])
        bonus = RECENT_BONUS if listing.updated_at >= now - RECENT else 0.0
        return (-((weight + self._static[slot]) + bonus), self._ids[slot])

    def _matches(self, terms: tuple[str, ...]) -> dict[int, float]:
        """Every listing each term starts a word of, with ``listing.relevance``: the mean of each
        term's best field weight, summed in the terms' order."""
        for order in SortOrder:  # another order's ranking of the same words has them
            ranked = self._rankings.get((terms, order))
            if ranked is not None:
                return ranked.relevance
        if not terms:
            if self._everything is None:
                self._everything = {slot: 1.0 for slot in self._slots.values()}
            return self._everything
        best = [self._best(term) for term in terms]
        if len(best) == 1:
            return best[0]
        common = set(best[0]).intersection(*best[1:])
        relevance: dict[int, float] = {}
        for slot in common:
            total = 0.0
            for weights in best:
                total += weights[slot]
            relevance[slot] = total / len(terms)
        return relevance

    def _best(self, term: str) -> dict[int, float]:
        """Per listing, the best weight among the words ``term`` starts."""
        if self._words is None:
            self._words = sorted(self._postings)
        start = bisect.bisect_left(self._words, term)
        end = bisect.bisect_left(self._words, term + "\U0010ffff", start)
        fields: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        for word in self._words[start:end]:
            for found, postings in zip(fields, self._postings[word], strict=True):
                found.update(postings)
        named, tagged, described = fields
        merged = dict.fromkeys(described, TEXT_WEIGHT)
        merged.update(dict.fromkeys(tagged, TAG_WEIGHT))
        merged.update(dict.fromkeys(named, NAME_WEIGHT))
        return merged

    def _fewest(self, filters: SearchFilters) -> set[int] | None:
        """The smallest set of listings a selective filter allows (the platform filter, which lets
        every universal listing through, is not one)."""
        sets = [
            self._by.get((kind, value), set())
            for kind, value in (("category", filters.category), ("tag", filters.tag), ("publisher", filters.publisher))
            if value is not None
        ]
        if filters.paid is not None:
            sets.append(self._by.get(("paid", str(filters.paid)), set()))
        return min(sets, key=len) if sets else None

    def _add(self, listing: Listing) -> None:
        if self._free:
            slot = self._free.pop()
            self._listings[slot], self._static[slot], self._ids[slot] = listing, 0.0, ""
        else:
            slot = len(self._listings)
            self._listings.append(listing)
            self._static.append(0.0)
            self._ids.append("")
        self._slots[listing.extension_id] = slot
        self._static[slot] = static_score(listing)
        self._ids[slot] = str(listing.extension_id)
        named, tagged = set(listing.name_words.split()), set(listing.tag_words.split())
        for word in set(listing.all_words.split()):
            field = 0 if word in named else 1 if word in tagged else 2
            self._postings.setdefault(word, (set(), set(), set()))[field].add(slot)
        for kind, value in _memberships(listing):
            self._by.setdefault((kind, value), set()).add(slot)

    def _drop(self, extension_id: UUID) -> None:
        slot = self._slots.pop(extension_id, None)
        if slot is None:
            return
        listing = self._listings[slot]
        assert listing is not None
        self._listings[slot] = None
        self._free.append(slot)
        for word in set(listing.all_words.split()):
            postings = self._postings.get(word)
            if postings is not None:
                for found in postings:
                    found.discard(slot)
                if not any(postings):
                    del self._postings[word]
        for kind, value in _memberships(listing):
            self._by.get((kind, value), set()).discard(slot)

    def _changed(self) -> None:
        self._words = None
        self._orders.clear()
        self._everything = None
        self._rankings.clear()
        self._ranked_rows = 0


def _rows(ranking: _Ranking) -> int:
    return len(ranking.slots) + len(ranking.relevance)


class _Accept:
    """Whether a listing passes the filters (``InMemoryExtensionSearch``'s rule)."""

    def __init__(self, filters: SearchFilters) -> None:
        self._filters = filters

    def __call__(self, listing: Listing) -> bool:
        filters = self._filters
        return (
            (filters.category is None or filters.category in listing.categories)
            and (filters.tag is None or filters.tag in listing.tags)
            and (filters.publisher is None or filters.publisher == listing.namespace)
            and (filters.platform is None or filters.platform in listing.platforms or "universal" in listing.platforms)
            and (filters.paid is None or filters.paid == listing.paid)
        )


def _accepts(filters: SearchFilters) -> _Accept | None:
    unfiltered = (filters.category, filters.tag, filters.publisher, filters.platform, filters.paid) == (None,) * 5
    return None if unfiltered else _Accept(filters)


def _memberships(listing: Listing) -> list[tuple[str, str]]:
    return [
        *(("category", value) for value in listing.categories),
        *(("tag", value) for value in listing.tags),
        ("publisher", listing.namespace),
        ("paid", str(listing.paid)),
    ]
