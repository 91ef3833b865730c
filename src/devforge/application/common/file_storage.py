"""Object storage: blobs by key, written whole or streamed under a size cap, read back, and
handed to clients as short-lived signed download URLs.

Non-transactional: a blob written inside a failed unit of work stays; callers delete it or
let a sweeper do so. Keys are chosen by the application, never by a client.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

DEFAULT_CONTENT_TYPE = "application/octet-stream"


class BlobTooLarge(Exception):
    """A streamed upload went over its cap; nothing is left under the key (an older blob there
    is kept as it was)."""

    def __init__(self, key: str, max_bytes: int) -> None:
        super().__init__(f"The upload for {key!r} is larger than {max_bytes} bytes.")
        self.key = key
        self.max_bytes = max_bytes


class BlobNotFound(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(f"No blob under {key!r}.")
        self.key = key


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """What a streamed upload wrote: its size and the SHA-256 (hex) of its bytes."""

    key: str
    size: int
    sha256: str


class FileStorage(Protocol):
    """Blobs by key (``a/b/c.zip``). A write replaces the blob under the key as a whole: a reader
    sees the old bytes or the new ones, never a mix."""

    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None: ...

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        *,
        max_bytes: int,
        content_type: str = DEFAULT_CONTENT_TYPE,
    ) -> StoredBlob:
        """Write the chunks as they come, never holding the whole upload in memory. Raises
        ``BlobTooLarge`` as soon as more than ``max_bytes`` arrived, leaving nothing behind."""
        ...

    async def get(self, key: str) -> bytes | None: ...

    def stream(self, key: str, chunk_size: int = 65_536) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks; raises ``BlobNotFound`` (on first iteration) when absent."""
        ...

    def local_file(self, key: str) -> AbstractAsyncContextManager[Path | None]:
        """The blob as a file on this machine's disk, to read while the block runs (never to
        write): the stored file itself on local disk, else a private temporary copy streamed there
        (never held in memory whole) and removed when the block ends. ``None``: no blob under the key."""
        ...

    async def size(self, key: str) -> int | None:
        """Size in bytes, or ``None`` when there is no blob under the key."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Idempotent: deleting a missing key is not an error."""
        ...

    async def signed_url(self, key: str, *, expires_in: timedelta, filename: str | None = None) -> str:
        """An absolute URL anyone holding it can GET the blob from until it expires, with
        ``Content-Disposition: attachment; filename=...`` when a filename is given. Does not
        check that the blob exists (the download answers 404 then)."""
        ...
