from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from devforge.adapters.clock import SystemClock
from devforge.adapters.storage.spool import spooled
from devforge.application.common.clock import Clock
from devforge.application.common.download_links import DownloadLinks
from devforge.application.common.file_storage import (
    DEFAULT_CONTENT_TYPE,
    BlobNotFound,
    BlobTooLarge,
    StoredBlob,
)


class InMemoryFileStorage:
    """Blobs in a dict. Signed URLs go through ``links`` when given (so the HTTP download route
    serves them in tests), else they are ``memory://`` URLs naming the key and expiry."""

    def __init__(self, links: DownloadLinks | None = None, clock: Clock | None = None) -> None:
        self._blobs: dict[str, bytes] = {}
        self.content_types: dict[str, str] = {}
        self._links = links
        self._clock = clock or SystemClock()

    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        self._blobs[key] = bytes(data)
        self.content_types[key] = content_type

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        *,
        max_bytes: int,
        content_type: str = DEFAULT_CONTENT_TYPE,
    ) -> StoredBlob:
        buffer = bytearray()
        async for chunk in chunks:
            buffer += chunk
            if len(buffer) > max_bytes:
                raise BlobTooLarge(key, max_bytes)
        await self.put(key, bytes(buffer), content_type)
        return StoredBlob(key, len(buffer), hashlib.sha256(buffer).hexdigest())

    async def get(self, key: str) -> bytes | None:
        return self._blobs.get(key)

    async def stream(self, key: str, chunk_size: int = 65_536) -> AsyncIterator[bytes]:
        data = self._blobs.get(key)
        if data is None:
            raise BlobNotFound(key)
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    def local_file(self, key: str) -> AbstractAsyncContextManager[Path | None]:
        """A private temporary copy, as a remote store would give."""
        return spooled(self.stream(key))

    async def size(self, key: str) -> int | None:
        data = self._blobs.get(key)
        return None if data is None else len(data)

    async def exists(self, key: str) -> bool:
        return key in self._blobs

    async def delete(self, key: str) -> None:
        self._blobs.pop(key, None)
        self.content_types.pop(key, None)

    async def signed_url(self, key: str, *, expires_in: timedelta, filename: str | None = None) -> str:
        expires_at = self._clock.now() + expires_in
        if self._links is not None:
            return self._links.url(key, expires_at=expires_at, filename=filename)
        return f"memory://{quote(key)}?expires={int(expires_at.timestamp())}"

    def keys(self) -> list[str]:
        return sorted(self._blobs)
