"""How many package reviews a process runs at once.

A review unpacks and reads a package of up to the upload limit: its memory and CPU grow with
the package, and a burst of uploads must not take the process (and the requests it serves) down
with it. At most ``capacity`` reviews run at once; the others wait their turn, in the order they
came, and then run as usual. Waiting is not failing: a review that waits is the same review.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ReviewSlots:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("At least one review must be able to run.")
        self.capacity = capacity
        self._free = asyncio.Semaphore(capacity)
        self.running = self.waiting = 0

    @asynccontextmanager
    async def taken(self) -> AsyncIterator[None]:
        """Holds a slot for the block, after waiting for one to free up if none is."""
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self._free.release()
