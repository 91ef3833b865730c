"""Reads asked at once share one reading (single flight), per process; nothing is kept.

Rules:
- Callers asking the same key while it is being read wait for that reading and all get its
  answer: at most one reading per key in flight in a process. Nothing is kept once it lands; the
  next caller reads again, so an answer is never older than the moment the reading began.
- The caller checks its permission first and puts its scope in the key (who it reads for: a
  user's id, or "all" for a permission that sees everything): a reading is joined only by callers
  entitled to exactly its answer.
- A reading that fails fails its starter; a caller that joined it reads for itself (the
  starter's request may have ended and taken its database session with it).
- Answers are shared, so they are immutable (frozen dataclasses and tuples).

Used by the financial reports (``ReportFlights``), the developer's dashboard, the analytics
dashboard, the analytics reports' list and the publishers' statements (``StatementReadings``):
pages opened by many at once, or by one client retrying, that repeated a few milliseconds of reads
and folding per caller (bench/README.md)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from devforge.application.common.single_flight import SingleFlight

T = TypeVar("T")


class SharedReadings:
    def __init__(self) -> None:
        self._flight = SingleFlight()

    def __len__(self) -> int:
        """Readings in flight now."""
        return len(self._flight)

    async def run(self, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        joined = key in self._flight
        try:
            return await self._flight.run(key, read)
        except Exception:
            if not joined:
                raise
            return await read()
