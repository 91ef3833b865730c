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
weights 3, 2, 1), in arrays of 4 bytes a slot, or, for a word of one listing only (a name's number),
one int (``slot * 3 + field``); per filter value its slots. A page is computed
top-k, never by ranking every match: a query's matches are grouped by relevance (set unions and
intersections over the words it starts, cached per query words), intersected with the filters'
listings (cached per filter combination), and each group's first members are found in an order
of the whole catalogue that does not change between writes: downloads, recent and name, or, by
relevance, the catalogue ranked as if every listing had the group's relevance and recency bonus
(one list per pair, two C sorts). Finding them walks that order in C (``filter`` over ``islice``)
when the group is dense, else takes the ``nsmallest`` by rank; the groups' candidates are merged
on the exact sort key, so the order is ``listing.sort_key``'s to the last float. Finished pages
are cached (per filters, order, limit and cursor; a relevance page only between the instants at
which some listing's recency bonus flips), least recently used first. Any change drops what
was derived.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
import heapq
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
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
NOTHING: set[int] = set()  # shared: never added to
FREEZE_FROM = 5_000  # listings from which a full load moves what is alive out of the collector's reach
WALK = 8  # walk an order for a page's members while that looks under WALK times cheaper than sorting them
MAX_FILTERS = 256  # filter combinations whose listings are kept
MAX_PAGES = 15_000  # pages kept (a string key, one bytes object and a tuple: about 400 bytes a page of 20)
MAX_MATCHED_ROWS = 25_000
"""Listings kept across the cached query words' relevance groups (sets of slots: about 40 bytes a
row, the set's table; the ints are the index's own, shared). A group missing costs a union of the
words' postings (tenths of a millisecond at 20,000 listings); the sweep's random words kept the
cache at 250,000 rows, 25 MiB of the API process after it (bench/README.md, issue 12). The search
mix (a Zipf draw, most pages answered from the page cache) unions 0.38 words a search at 25,000
rows against 0.34 at 100,000, for 5 MiB less held (issue 12)."""


class ChangeFeed(Protocol):
    """Marks the index's listings stale as other processes commit changes to them."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class ListingIndex:
    """One per process and database (APP scope). Not transactional: it only ever holds what a
    transaction committed."""

    def __init__(
        self, *, enabled: bool = True, max_matched_rows: int = MAX_MATCHED_ROWS, max_pages: int = MAX_PAGES
    ) -> None:
        self.enabled = enabled
        self.subscribed = False  # kept by the change feed, when there is one (PostgreSQL)
        self.refreshing = asyncio.Lock()  # one reload at a time; the others wait and find it current
        self._feed: ChangeFeed | None = None
        self._feed_started = False
        self._max_rows = max_matched_rows
        self._max_pages = max_pages
        # A listing lives in a slot (an int: hashing UUIDs costs a Python call each).
        self._slots: dict[UUID, int] = {}
        # Each slot's one int object: every cached set and order holds these, not a fresh int (28
        # bytes) per member, which iterating an array would make.
        self._ints: list[int] = []
        self._listings: list[Listing | None] = []
        self._static: list[float] = []
        self._ids: list[str] = []
        self._free: list[int] = []
        # word -> the slots whose best field holding it is the name, a tag, the description (4 bytes
        # a slot), or for a word of one listing, slot * 3 + field: one int instead of a tuple and an
        # array (about 110 bytes less a word; 20,000 such words at 20,000 seeded listings)
        self._postings: dict[str, tuple[array[int], array[int], array[int]] | int] = {}
        self._words: list[str] | None = None
        self._by: dict[tuple[str, str], array[int]] = {}
        self._orders: dict[SortOrder, tuple[list[int], array[int]]] = {}  # every slot ranked, and each one's rank
        self._everything: set[int] | None = None
        self._keys: dict[tuple[float, float], array[float]] = {}
        self._by_id: list[int] | None = None
        self._pairs: dict[tuple[float, float], tuple[list[int], array[int], array[float]]] = {}
        self._by_update: list[int] | None = None
        self._bonus: tuple[set[int], datetime | None, datetime | None] | None = None
        self._matched: OrderedDict[tuple[str, ...], dict[float, set[int]]] = (
            OrderedDict()
        )  # words -> matches by relevance
        self._matched_rows = 0
        self._filtered: dict[tuple[str | bool | None, ...], set[int]] = {}
        # (filters, order, limit, after) as one string -> the page (its slots and an index into its
        # relevances per member, in one bytes object; the distinct relevances), and the instants
        # between which it holds. Strings, bytes, floats and datetimes: nothing the collector tracks
        # once a pass has seen the tuples, about 400 bytes a page of 20.
        self._pages: OrderedDict[str, tuple[bytes, tuple[float, ...], datetime | None, datetime | None]] = OrderedDict()
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
    def cached_pages(self) -> int:
        """Finished pages kept (tests and benches read it)."""
        return len(self._pages)

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
        self._ints.clear()
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
            # Collected first: frozen garbage is never freed, and at the served thresholds
            # (entrypoints/http/asgi.py) up to 50,000 objects of the requests' cycles may be pending.
            gc.collect()
            gc.freeze()

    def apply(self, listings: Iterable[Listing], gone: Iterable[UUID]) -> None:
        """What was derived (orders, ranked pairs, cached matches and pages) is dropped only when a
        listing really changed: a review of a version not yet published restates its extension's
        listing as it was, or removes one that was never listed, and the next search must not pay
        for rebuilding the orders of the whole catalogue (tenths of a second at 20,000 listings)."""
        changed = False
        for extension_id in gone:
            changed = self._drop(extension_id) or changed
        for listing in listings:
            slot = self._slots.get(listing.extension_id)
            if slot is not None and self._listings[slot] == listing:
                continue
            self._drop(listing.extension_id)
            self._add(listing)
            changed = True
        if changed:
            self._changed()

    def page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        cache_key = _page_key(filters, order, limit, after)
        hit = self._pages.get(cache_key)
        if hit is not None and (hit[2] is None or now > hit[2]) and (hit[3] is None or now <= hit[3]):
            self._pages.move_to_end(cache_key)
            listings, weights, encoded = self._listings, hit[1], hit[0]
            count = len(encoded) // 5
            slots = memoryview(encoded)[: 4 * count].cast("i")
            return [Match(listings[slot], weights[at]) for slot, at in zip(slots, encoded[4 * count :], strict=True)]  # type: ignore[arg-type]
        groups = self._groups(tuple(words(filters.text)))
        allowed = self._allowed(filters)
        if allowed is not None:
            groups = {weight: members & allowed for weight, members in groups.items()}
        if order is SortOrder.RELEVANCE:
            chosen, valid_after, valid_until = self._top_by_relevance(groups, now, limit, after)
        else:
            chosen, valid_after, valid_until = self._top_in_order(groups, order, now, limit, after), None, None
        self._pages[cache_key] = (*_encoded(chosen), valid_after, valid_until)
        if len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        listings = self._listings
        return [Match(listings[slot], weight) for slot, weight in chosen]  # type: ignore[arg-type]

    def _top_by_relevance(
        self, groups: dict[float, set[int]], now: datetime, limit: int, after: SortKey | None
    ) -> tuple[list[tuple[int, float]], datetime | None, datetime | None]:
        """The first ``limit`` matches in (score, id) order after ``after``: per (relevance, bonus)
        group, its first members in that group's own order of the whole catalogue, then merged.
        Valid while no listing's recency bonus flips."""
        recent, valid_after, valid_until = self._recent(now)
        ids = self._ids
        runs: list[list[tuple[float, str, int, float]]] = []
        for weight, members in groups.items():
            for bonus, part in ((RECENT_BONUS, members & recent), (0.0, members - recent)):
                if not part:
                    continue
                ranked, rank, negated = self._pair(weight, bonus)
                start = 0
                if after is not None:
                    start = bisect.bisect_right(ranked, after, key=lambda slot: (negated[slot], ids[slot]))
                found = _first(ranked, rank, part, limit, start)
                if found:  # in (key, id) order already: the runs are merged, only their heads compared
                    runs.append([(negated[slot], ids[slot], slot, weight) for slot in found])
        merged = runs[0] if len(runs) == 1 else heapq.merge(*runs)
        chosen = [(slot, weight) for _, _, slot, weight in islice(merged, limit)]
        return chosen, valid_after, valid_until

    def _top_in_order(
        self, groups: dict[float, set[int]], order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[tuple[int, float]]:
        """The first ``limit`` matches in the catalogue's order (downloads, recent, name: no clock)."""
        ranked, rank = self._order(order, now)
        start = 0
        if after is not None:
            start = bisect.bisect_right(ranked, after, key=lambda slot: self._key(slot, 1.0, order, now))
        matched = next(iter(groups.values())) if len(groups) == 1 else set().union(*groups.values())
        slots = (
            ranked[start : start + limit]
            if matched is self._everything
            else _first(ranked, rank, matched, limit, start)
        )
        if len(groups) == 1:
            weight = next(iter(groups))
            return [(slot, weight) for slot in slots]
        chosen = []
        for slot in slots:
            for weight, members in groups.items():
                if slot in members:
                    chosen.append((slot, weight))
                    break
        return chosen

    def _pair(self, weight: float, bonus: float) -> tuple[list[int], array[int], array[float]]:
        """Every listing in the relevance order it would have with this relevance and bonus, each
        one's rank in it, and the keys: two C sorts (by id, then stably by key)."""
        known = self._pairs.get((weight, bonus))
        if known is None:
            negated = self._negated(weight, bonus)
            if self._by_id is None:
                self._by_id = sorted(self._slots.values(), key=self._ids.__getitem__)
            ranked = sorted(self._by_id, key=negated.__getitem__)
            if len(self._pairs) >= MAX_KEY_LISTS:
                self._pairs.pop(next(iter(self._pairs)))
            rank = array("i", bytes(4 * len(self._listings)))  # 4 bytes a slot: a dict of ranks was ~1.3 MiB a pair
            for position, slot in enumerate(ranked):
                rank[slot] = position
            known = self._pairs[(weight, bonus)] = (ranked, rank, negated)
        return known

    def _groups(self, terms: tuple[str, ...]) -> dict[float, set[int]]:
        """The listings every term starts a word of, grouped by ``listing.relevance`` (the mean of
        each term's best field weight): set operations only, no Python call per listing."""
        if not terms:
            if self._everything is None:
                self._everything = set(self._slots.values())
            return {1.0: self._everything}
        known = self._matched.get(terms)
        if known is not None:
            self._matched.move_to_end(terms)
            return known
        if len(terms) == 1:
            best = zip((NAME_WEIGHT, TAG_WEIGHT, TEXT_WEIGHT), self._best(terms[0]), strict=True)
            return self._keep(terms, {weight: members for weight, members in best if members})
        totals: dict[float, set[int]] | None = None
        for term in terms:
            single = self._groups((term,))
            fields = tuple((weight, single.get(weight, NOTHING)) for weight in (NAME_WEIGHT, TAG_WEIGHT, TEXT_WEIGHT))
            if totals is None:
                totals = {weight: members for weight, members in fields if members}
                continue
            summed: dict[float, set[int]] = {}
            for total, members in totals.items():
                for weight, field in fields:
                    part = members & field
                    if part:
                        summed.setdefault(total + weight, set()).update(part)
            totals = summed
        assert totals is not None
        return self._keep(terms, {total / len(terms): members for total, members in totals.items()})

    def _keep(self, terms: tuple[str, ...], groups: dict[float, set[int]]) -> dict[float, set[int]]:
        rows = sum(map(len, groups.values()))
        while self._matched and self._matched_rows + rows > self._max_rows:
            _, dropped = self._matched.popitem(last=False)
            self._matched_rows -= sum(map(len, dropped.values()))
        self._matched[terms] = groups
        self._matched_rows += rows
        return groups

    def _allowed(self, filters: SearchFilters) -> set[int] | None:
        """The listings the filters let through (None: no filter)."""
        key = (filters.category, filters.tag, filters.publisher, filters.platform, filters.paid)
        if key == (None,) * 5:
            return None
        known = self._filtered.get(key)
        if known is None:
            by, shared = self._by, self._ints.__getitem__
            sets = [
                set(map(shared, by.get((kind, value), EMPTY)))
                for kind, value in (
                    ("category", filters.category),
                    ("tag", filters.tag),
                    ("publisher", filters.publisher),
                )
                if value is not None
            ]
            if filters.paid is not None:
                sets.append(set(map(shared, by.get(("paid", str(filters.paid)), EMPTY))))
            if filters.platform is not None:
                platform, universal = (
                    by.get(("platform", filters.platform), EMPTY),
                    by.get(("platform", "universal"), EMPTY),
                )
                sets.append(set(map(shared, platform)) | set(map(shared, universal)))
            known = set.intersection(*sets)
            if len(self._filtered) >= MAX_FILTERS:
                self._filtered.pop(next(iter(self._filtered)))
            self._filtered[key] = known
        return known

    def _negated(self, weight: float, bonus: float) -> array[float]:
        """Per slot, the relevance order's key for this relevance and bonus: -((weight + static) + bonus)."""
        known = self._keys.get((weight, bonus))
        if known is None:
            known = array("d", [-((weight + static) + bonus) for static in self._static])
            if len(self._keys) >= MAX_KEY_LISTS:
                self._keys.pop(next(iter(self._keys)))
            self._keys[(weight, bonus)] = known
        return known

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

    def _order(self, order: SortOrder, now: datetime) -> tuple[list[int], array[int]]:
        """Every listing in the order (one that does not depend on the clock), and each slot's rank."""
        known = self._orders.get(order)
        if known is None:
            taken = list(self._slots.values())
            ranked = sorted(taken, key=lambda slot: self._key(slot, 1.0, order, now))
            rank = array("i", bytes(4 * len(self._listings)))
            for position, slot in enumerate(ranked):
                rank[slot] = position
            known = self._orders[order] = (ranked, rank)
        return known

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
        shared = self._ints.__getitem__
        fields = (named, tagged, described)
        for word in self._words[start:end]:
            postings = self._postings[word]
            if isinstance(postings, int):
                slot, field = divmod(postings, 3)
                fields[field].add(shared(slot))
                continue
            in_name, in_tag, in_text = postings
            named.update(map(shared, in_name))
            tagged.update(map(shared, in_tag))
            described.update(map(shared, in_text))
        tagged -= named
        described -= named | tagged
        return named, tagged, described

    def _add(self, listing: Listing) -> None:
        if self._free:
            slot = self._free.pop()
            self._listings[slot], self._static[slot], self._ids[slot] = listing, 0.0, ""
        else:
            slot = len(self._listings)
            self._ints.append(slot)
            self._listings.append(listing)
            self._static.append(0.0)
            self._ids.append("")
        self._slots[listing.extension_id] = slot
        self._static[slot] = static_score(listing)
        self._ids[slot] = str(listing.extension_id)
        named, tagged = set(listing.name_words.split()), set(listing.tag_words.split())
        for word in set(listing.all_words.split()):
            field = 0 if word in named else 1 if word in tagged else 2
            postings = self._postings.get(word)
            if postings is None:
                self._postings[word] = slot * 3 + field
                continue
            if isinstance(postings, int):
                postings = self._postings[word] = _arrays(postings)
            if postings[field] is EMPTY:  # most words are in few listings: no empty arrays kept
                postings = self._postings[word] = (*postings[:field], array("i"), *postings[field + 1 :])  # type: ignore[assignment]
            postings[field].append(slot)
        for kind, value in _memberships(listing):
            self._by.setdefault((kind, value), array("i")).append(slot)

    def _drop(self, extension_id: UUID) -> bool:
        """False: it was not listed."""
        slot = self._slots.pop(extension_id, None)
        if slot is None:
            return False
        listing = self._listings[slot]
        assert listing is not None
        self._listings[slot] = None
        self._free.append(slot)
        for word in set(listing.all_words.split()):
            postings = self._postings.get(word)
            if isinstance(postings, int):
                if postings // 3 == slot:
                    del self._postings[word]
            elif postings is not None:
                for found in postings:
                    if slot in found:
                        found.remove(slot)
                if not any(postings):
                    del self._postings[word]
        for kind, value in _memberships(listing):
            members = self._by.get((kind, value))
            if members is not None and slot in members:
                members.remove(slot)
        return True

    def _changed(self) -> None:
        self._words = None
        self._orders.clear()
        self._everything = None
        self._keys.clear()
        self._pairs.clear()
        self._by_id = self._by_update = self._bonus = None
        self._matched.clear()
        self._matched_rows = 0
        self._filtered.clear()
        self._pages.clear()


def _arrays(single: int) -> tuple[array[int], array[int], array[int]]:
    """A one-listing word's postings (``slot * 3 + field``) as arrays, for a second listing."""
    slot, field = divmod(single, 3)
    fields = [EMPTY, EMPTY, EMPTY]
    fields[field] = array("i", (slot,))
    return fields[0], fields[1], fields[2]


def _first(ranked: list[int], rank: array[int] | list[int], members: set[int], limit: int, start: int) -> list[int]:
    """The first ``limit`` of ``members`` in ``ranked`` from ``start``: walked in C (expected
    ``limit * len(ranked) / len(members)`` steps) when that is cheaper than sorting them."""
    if not members:
        return []
    if limit * len(ranked) < WALK * len(members) * len(members):
        return list(islice(filter(members.__contains__, islice(ranked, start, None)), limit))
    chosen = members if not start else [slot for slot in members if rank[slot] >= start]
    return heapq.nsmallest(limit, chosen, key=rank.__getitem__)


def _page_key(filters: SearchFilters, order: SortOrder, limit: int, after: SortKey | None) -> str:
    """A cached page's key: its parts joined by a character none of them holds."""
    parts = (filters.text, filters.category, filters.tag, filters.publisher, filters.platform, filters.paid)
    return "\x1f".join((order.value, str(limit), repr(after), *map(str, parts)))


def _encoded(chosen: list[tuple[int, float]]) -> tuple[bytes, tuple[float, ...]]:
    """A page as its slots (4 bytes each) then, per member, the index of its relevance (1 byte: a
    page holds at most 100), and the distinct relevances (a handful: the words' field weights)."""
    distinct: dict[float, int] = {}
    at = bytes(distinct.setdefault(weight, len(distinct)) for _, weight in chosen)
    return array("i", [slot for slot, _ in chosen]).tobytes() + at, tuple(distinct)


def _memberships(listing: Listing) -> list[tuple[str, str]]:
    return [
        *(("category", value) for value in listing.categories),
        *(("tag", value) for value in listing.tags),
        *(("platform", value) for value in listing.platforms),
        ("publisher", listing.namespace),
        ("paid", str(listing.paid)),
    ]
