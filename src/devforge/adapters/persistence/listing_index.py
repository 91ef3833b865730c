"""Every listing in the process's memory, so browse and search answer without a database call.

The listings table stays the truth; this is a copy kept per process (about 1.5 KiB a listing, so
some 30 MiB at 20,000 listings) that ``SqlaExtensionSearch`` fills from the table and refreshes:
a listing written in this process is marked stale when its transaction commits, one written in
another process when PostgreSQL delivers the transaction's NOTIFY (``listing_changes.py``). A
read first reloads what is stale (every listing at the first read, the marked ones after), so it
answers what was committed before it began. While the copy cannot be trusted (no subscription in
PostgreSQL), ``usable`` is False and the adapter asks SQL.

What it keeps, besides the listings (in slots: ints hash in C, UUIDs do not): per word, the
slots whose best field holding it is the name, a tag or the description (``listing.relevance``'s
weights 3, 2, 1), in arrays of 4 bytes a slot, so a query word's matches are set unions over the
words it starts (a range of the sorted words); per filter value its slots; per sort order that
does not depend on the clock (downloads, recent, name) the whole catalogue ranked, so a query's
matches are sorted by their rank in it (or, when they are many, the ranking is walked); and per
query, its matches and their relevance ranking, built without a Python call per match (grouped
by relevance and recency bonus, keyed from a precomputed list per group, two C sorts). A relevance
ranking depends on the clock through the bonus: it holds between the instants at which some
listing's bonus flips. Filters either walk a ranking or, when a filter value leaves few
listings, rank those few. Any change drops what was derived; the cached queries are bounded by
the rows they hold, least recently used first.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
from array import array
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

MAX_KEY_LISTS = 32  # (relevance, bonus) pairs whose relevance keys are kept for every slot
EMPTY = array("i")  # shared by every word's empty fields: never added to
NONE = (EMPTY, EMPTY, EMPTY)
FREEZE_FROM = 5_000  # listings from which a full load moves what is alive out of the collector's reach
SPARSE = 16  # sort the matches rather than walk the catalogue's order when they are fewer than 1/SPARSE
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

    def __init__(self, *, enabled: bool = True, max_ranked_rows: int = 300_000) -> None:
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
        self._postings: dict[str, tuple[array[int], array[int], array[int]]] = {}  # 4 bytes a slot
        self._words: list[str] | None = None
        self._by: dict[tuple[str, str], array[int]] = {}
        self._orders: dict[SortOrder, tuple[list[int], list[int]]] = {}  # every slot ranked, and each one's rank
        self._everything: dict[int, float] | None = None
        self._keys: dict[tuple[float, float], array[float]] = {}
        self._ranks_by_id: list[int] | None = None
        self._by_update: list[int] | None = None
        self._bonus: tuple[set[int], datetime | None, datetime | None] | None = None
        self._rankings: OrderedDict[tuple[str, ...], _Ranking] = OrderedDict()  # relevance order, per words
        self._ranked_rows = 0
        self._matched: OrderedDict[tuple[str, ...], dict[int, float]] = OrderedDict()  # words -> matches
        self._matched_rows = 0
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
        if len(self._slots) >= FREEZE_FROM:
            # Tens of thousands of long-lived objects: the collector's full passes would walk them
            # all (0.1-0.5 s each on a busy core: the p99 of every request meanwhile). Frozen, they
            # are skipped; they are still freed when no longer referenced (cycles among them are not).
            gc.freeze()

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
        terms = tuple(words(filters.text))
        matched: dict[int, float] | None = None  # set when the walk must skip listings the words miss
        if order is SortOrder.RELEVANCE:
            ranking = self._ranking(terms, now)
            slots, relevance = ranking.slots, ranking.relevance
        else:  # the catalogue's order: the matches sorted by their rank in it, or the order walked
            relevance = self._relevance(terms)
            ranked, rank = self._order(order, now)
            if not terms:
                slots = ranked
            elif len(relevance) * SPARSE < len(ranked):
                slots = sorted(relevance, key=rank.__getitem__)
            else:
                slots, matched = ranked, relevance
        start = 0
        if after is not None:
            start = bisect.bisect_right(
                slots, after, key=lambda slot: self._key(slot, relevance.get(slot, 1.0), order, now)
            )
        accept = _accepts(filters)
        few = None if accept is None else self._fewest(filters)
        if accept is not None and few is not None and len(few) * FEW < len(slots) - start:
            return self._rank_few(few, relevance, accept, order, now, limit, after)
        listings = self._listings
        if accept is None and matched is None:
            return [Match(listings[slot], relevance[slot]) for slot in slots[start : start + limit]]  # type: ignore[arg-type]
        chosen: list[Match] = []
        for position in range(start, len(slots)):
            slot = slots[position]
            if matched is not None and slot not in matched:
                continue
            listing = listings[slot]
            if listing is not None and (accept is None or accept(listing)):
                chosen.append(Match(listing, relevance[slot]))
                if len(chosen) == limit:
                    break
        return chosen

    def _rank_few(
        self,
        few: array[int],
        relevance: dict[int, float],
        accept: _Accept,
        order: SortOrder,
        now: datetime,
        limit: int,
        after: SortKey | None,
    ) -> list[Match]:
        keyed = []
        for slot in few:
            weight = relevance.get(slot)
            listing = self._listings[slot]
            if weight is not None and listing is not None and accept(listing):
                key = self._key(slot, weight, order, now)
                if after is None or key > after:
                    keyed.append((key, Match(listing, weight)))
        keyed.sort(key=lambda pair: pair[0])
        return [match for _, match in keyed[:limit]]

    def _ranking(self, terms: tuple[str, ...], now: datetime) -> _Ranking:
        """The matches of the words in relevance order, cached while no listing's bonus flips."""
        cached = self._rankings.get(terms)
        if cached is not None and cached.valid_at(now):
            self._rankings.move_to_end(terms)
            return cached
        ranking = self._by_relevance(terms, now)
        self._remember(terms, ranking)
        return ranking

    def _by_relevance(self, terms: tuple[str, ...], now: datetime) -> _Ranking:
        """Sorted without a Python call per match: the matches are grouped by (relevance, bonus);
        a group's keys are one precomputed list's, taken with ``map``; then a sort by id and a
        stable sort by key give ``(key, id)`` order."""
        relevance, groups = self._weights(terms)
        recent, after, until = self._recent(now)
        keys: dict[int, float] = {}
        for weight, members in groups.items():
            for bonus, part in ((RECENT_BONUS, members & recent), (0.0, members - recent)):
                if part:
                    negated = self._negated(weight, bonus)
                    keys.update(zip(part, map(negated.__getitem__, part), strict=True))
        slots = sorted(keys, key=self._id_rank().__getitem__)
        slots.sort(key=keys.__getitem__)
        return _Ranking(slots, relevance, after, until)

    def _negated(self, weight: float, bonus: float) -> array[float]:
        """Per slot, the relevance order's key for this relevance and bonus: -((weight + static) + bonus)."""
        known = self._keys.get((weight, bonus))
        if known is None:
            known = array("d", [-((weight + static) + bonus) for static in self._static])
            if len(self._keys) >= MAX_KEY_LISTS:
                self._keys.pop(next(iter(self._keys)))
            self._keys[(weight, bonus)] = known
        return known

    def _id_rank(self) -> list[int]:
        if self._ranks_by_id is None:
            rank = [0] * len(self._ids)
            for position, slot in enumerate(sorted(range(len(self._ids)), key=self._ids.__getitem__)):
                rank[slot] = position
            self._ranks_by_id = rank
        return self._ranks_by_id

    def _recent(self, now: datetime) -> tuple[set[int], datetime | None, datetime | None]:
        """The listings with the recency bonus at ``now``, and the instants between which that holds."""
        known = self._bonus
        if known is not None and (known[1] is None or now > known[1]) and (known[2] is None or now <= known[2]):
            return known
        if self._by_update is None:
            taken = [slot for slot in self._slots.values()]
            self._by_update = sorted(taken, key=lambda slot: self._listings[slot].updated_at)  # type: ignore[union-attr]
        by_update = self._by_update
        since = now - RECENT
        first = bisect.bisect_left(by_update, since, key=lambda slot: self._listings[slot].updated_at)  # type: ignore[union-attr]
        holders = set(by_update[first:])
        until = self._listings[by_update[first]].updated_at + RECENT if first < len(by_update) else None  # type: ignore[union-attr]
        after = self._listings[by_update[first - 1]].updated_at + RECENT if first > 0 else None  # type: ignore[union-attr]
        self._bonus = (holders, after, until)
        return self._bonus

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

    def _remember(self, key: tuple[str, ...], ranking: _Ranking) -> None:
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

    def _relevance(self, terms: tuple[str, ...]) -> dict[int, float]:
        ranked = self._rankings.get(terms)
        if ranked is not None:
            return ranked.relevance
        known = self._matched.get(terms)
        if known is None:
            known = self._weights(terms)[0]
            while self._matched and self._matched_rows + len(known) > self._max_rows // 4:
                _, dropped = self._matched.popitem(last=False)
                self._matched_rows -= len(dropped)
            self._matched[terms] = known
            self._matched_rows += len(known)
        self._matched.move_to_end(terms)
        return known

    def _weights(self, terms: tuple[str, ...]) -> tuple[dict[int, float], dict[float, set[int]]]:
        """Every listing each term starts a word of, with ``listing.relevance`` (the mean of each
        term's best field weight, summed in the terms' order), and the listings per relevance."""
        if not terms:
            if self._everything is None:
                self._everything = {slot: 1.0 for slot in self._slots.values()}
            return self._everything, {1.0: set(self._everything)}
        fields = [self._best(term) for term in terms]
        if len(fields) == 1:
            named, tagged, described = fields[0]
            relevance = dict.fromkeys(described, TEXT_WEIGHT)
            relevance.update(dict.fromkeys(tagged, TAG_WEIGHT))
            relevance.update(dict.fromkeys(named, NAME_WEIGHT))
            return relevance, {NAME_WEIGHT: named, TAG_WEIGHT: tagged, TEXT_WEIGHT: described}
        common = set.intersection(*(named | tagged | described for named, tagged, described in fields))
        weights: dict[int, float] = {}
        groups: dict[float, set[int]] = {}
        for slot in common:
            total = 0.0
            for named, tagged, _ in fields:
                total += NAME_WEIGHT if slot in named else TAG_WEIGHT if slot in tagged else TEXT_WEIGHT
            value = weights[slot] = total / len(terms)
            groups.setdefault(value, set()).add(slot)
        return weights, groups

    def _best(self, term: str) -> tuple[set[int], set[int], set[int]]:
        """The listings ``term`` starts a word of, by the best field of such a word: the name, a
        tag, the description."""
        if self._words is None:
            self._words = sorted(self._postings)
        start = bisect.bisect_left(self._words, term)
        end = bisect.bisect_left(self._words, term + "\U0010ffff", start)
        named: set[int] = set()
        tagged: set[int] = set()
        described: set[int] = set()
        for word in self._words[start:end]:
            in_name, in_tag, in_text = self._postings[word]
            named.update(in_name)
            tagged.update(in_tag)
            described.update(in_text)
        tagged -= named
        described -= named | tagged
        return named, tagged, described

    def _fewest(self, filters: SearchFilters) -> array[int] | None:
        """The smallest set of listings a selective filter allows (the platform filter, which lets
        every universal listing through, is not one)."""
        sets = [
            self._by.get((kind, value), EMPTY)
            for kind, value in (("category", filters.category), ("tag", filters.tag), ("publisher", filters.publisher))
            if value is not None
        ]
        if filters.paid is not None:
            sets.append(self._by.get(("paid", str(filters.paid)), EMPTY))
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
            postings = self._postings.get(word, NONE)
            if postings[field] is EMPTY:  # most words are in few listings: no empty arrays kept
                postings = self._postings[word] = (*postings[:field], array("i"), *postings[field + 1 :])  # type: ignore[assignment]
            postings[field].append(slot)
        for kind, value in _memberships(listing):
            self._by.setdefault((kind, value), array("i")).append(slot)

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
                    if slot in found:
                        found.remove(slot)
                if not any(postings):
                    del self._postings[word]
        for kind, value in _memberships(listing):
            members = self._by.get((kind, value))
            if members is not None and slot in members:
                members.remove(slot)

    def _changed(self) -> None:
        self._words = None
        self._orders.clear()
        self._everything = None
        self._keys.clear()
        self._ranks_by_id = self._by_update = self._bonus = None
        self._rankings.clear()
        self._ranked_rows = 0
        self._matched.clear()
        self._matched_rows = 0


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
