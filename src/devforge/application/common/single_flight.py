"""Single flight: callers asking for the same key while it is being computed wait for that one
computation and share its result (or its failure).

Rules:
- One computation per key in flight in a process; it is a task of its own, shielded, so a
  caller that gives up (its client gone) does not cancel what the others wait for.
- Nothing is kept once it lands: keeping (a TTL, an LRU, by content) is the caller's choice
  (``FigureCache``, ``KeptPdfs``, ``ReportFlights``).
- A failure is shared by the callers waiting then, and not remembered: the next caller computes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class SingleFlight:
    def __init__(self) -> None:
        self._flying: dict[Hashable, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        """Computations in flight now."""
        return len(self._flying)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._flying

    async def run(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        flying = self._flying.get(key)
        if flying is None:
            flying = asyncio.ensure_future(compute())
            self._flying[key] = flying
            flying.add_done_callback(lambda done: self._landed(key, done))
        return cast(T, await asyncio.shield(flying))

    def _landed(self, key: Hashable, done: asyncio.Future[Any]) -> None:
        if self._flying.get(key) is done:
            del self._flying[key]
        if not done.cancelled():
            done.exception()  # retrieved: never "exception was never retrieved"
