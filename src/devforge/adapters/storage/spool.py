"""A blob streamed to a private temporary file, for adapters whose blobs are not on local disk."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import BinaryIO

from devforge.application.common.file_storage import BlobNotFound

WRITE_BATCH_BYTES = 1 << 20


@contextlib.asynccontextmanager
async def spooled(chunks: AsyncIterable[bytes]) -> AsyncIterator[Path | None]:
    """The chunks written to a temporary file (mode 0600, in 1 MiB writes off the event loop),
    removed when the block ends; ``None`` when the source raises ``BlobNotFound``."""
    fd, name = await asyncio.to_thread(tempfile.mkstemp, prefix="devforge-blob-", suffix=".tmp")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            found = await _copy(chunks, file)
        yield path if found else None
    finally:
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)


async def _copy(chunks: AsyncIterable[bytes], file: BinaryIO) -> bool:
    pending = bytearray()
    write = file.write
    try:
        async for chunk in chunks:
            pending += chunk
            if len(pending) >= WRITE_BATCH_BYTES:
                await asyncio.to_thread(write, bytes(pending))
                pending.clear()
    except BlobNotFound:
        return False
    await asyncio.to_thread(write, bytes(pending))
    return True
