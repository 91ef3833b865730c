"""Financial reports asked at once share one reading (single flight), per process.

Rules:
- Callers asking for the same report over the same period while it is being read wait for that
  reading and all get its answer: at most one reading per report and period in flight in a
  process. Nothing is kept once it lands; the next caller reads again, so an answer is never
  older than the moment the reading began (at most the reading's own milliseconds before a
  caller that joined it arrived).
- The permission check comes first, in each caller's own use case: a flight is joined only by a
  caller that may see the report. A report's answer does not depend on who asks (finance:read
  sees the whole company's figures).
- A reading that fails fails its starter; a caller that joined it reads for itself (the
  starter's request may have ended and taken its database session with it).
- Answers are shared, so they are immutable (frozen dataclasses and tuples).

Why: a report costs a few milliseconds of CPU (SQL, folding days into intervals); a finance
team's dashboard opened by many at once, or a client retrying, repeated all of it per caller
(bench/README.md, the sweep: 32 concurrent readers of one report, p99 over 200 ms)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from devforge.application.common.single_flight import SingleFlight

T = TypeVar("T")


class ReportFlights:
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
