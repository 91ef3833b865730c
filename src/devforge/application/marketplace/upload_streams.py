"""How many packages one process reads from their clients at once.

Rules:
- At most ``limit`` uploads stream into storage at a time in a process; the others wait for a
  slot before their first byte is read. A waiting body stays in the client's socket (the server
  stops reading a request whose body is not consumed), so waiting costs no memory.
- Reading a body is work of the event loop (a message per chunk); six 48 MiB bodies at once
  queued enough of it to put searches 2.6x their idle p99 (bench/README.md, "search during six
  reviews"). The same bytes arrive in the same total time, fewer at once.
- A slot is given back however the upload ends (stored, refused, the client gone)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class UploadStreams:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("at least one upload must be able to stream")
        self._slots = asyncio.Semaphore(limit)
        self._streaming = 0

    @property
    def streaming(self) -> int:
        """Uploads reading their body now."""
        return self._streaming

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            self._streaming += 1
            try:
                yield
            finally:
                self._streaming -= 1
