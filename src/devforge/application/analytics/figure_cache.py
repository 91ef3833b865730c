"""Recent figures, shared: a metric's series asked again within ``ttl_seconds`` is answered from
memory, and callers asking the same thing at once share one store query (single flight).

Aggregates may be a little stale; an analytics engine answering the same dashboard to every
caller of a busy minute is waste (and, over HTTP to a ClickHouse server, a queue). The key is
everything the answer depends on, the scope the caller may see included (``all``, or the sorted
ids of a developer's own extensions or publishers), so one developer's figures are never served
to another. Bounded: at most ``max_entries`` answers, the least recently used dropped first.
Per process (each API process keeps its own; none is shared through Redis): at most one store
query per key and TTL per process. A failure (the budget, the engine away) is not kept: the
callers waiting on it all get it, the next caller asks again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar, cast

from devforge.application.common.single_flight import SingleFlight

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    value: T
    computed_at: datetime


class FigureCache:
    def __init__(self, ttl_seconds: float, max_entries: int, now: Callable[[], datetime]) -> None:
        self._ttl, self._max, self._now = timedelta(seconds=ttl_seconds), max_entries, now
        self._kept: OrderedDict[Hashable, Cached[Any]] = OrderedDict()
        self._flight = SingleFlight()

    @property
    def ttl_seconds(self) -> float:
        return self._ttl.total_seconds()

    def __len__(self) -> int:
        return len(self._kept)

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> Cached[T]:
        kept = self._kept.get(key)
        if kept is not None:
            if self._now() - kept.computed_at < self._ttl:
                self._kept.move_to_end(key)
                return cast(Cached[T], kept)
            del self._kept[key]
        # a caller that gives up (its client gone) does not cancel the others' query
        return await self._flight.run(key, lambda: self._compute(key, compute))

    async def _compute(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> Cached[T]:
        cached = Cached(await compute(), self._now())
        self._kept[key] = cached
        self._kept.move_to_end(key)
        while len(self._kept) > self._max:
            self._kept.popitem(last=False)
        return cached
