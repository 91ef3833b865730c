"""File storage adapters: blobs by key on the local disk (the S3 adapter sits beside it)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from devforge.adapters.clock import SystemClock
from devforge.application.common.clock import Clock
from devforge.application.common.download_links import DownloadLinks
from devforge.application.common.file_storage import (
    DEFAULT_CONTENT_TYPE,
    BlobNotFound,
    BlobTooLarge,
    StoredBlob,
)

WRITE_BATCH_BYTES = 1 << 20


class LocalDiskFileStorage:
    """Blobs as files under ``root``, the key's segments as directories (``a/b/c.zip``).

    A key is relative, ``/``-separated, with no empty, ``.`` or ``..`` segment, no backslash
    and no NUL; anything else raises ``ValueError``, so no key reaches outside ``root``. A
    write lands whole or not at all (temp file in the same directory, fsync, ``os.replace``),
    so a reader sees the old blob or the new one. Files are private to the service user
    (mode 0600, from ``mkstemp``). The content type is not kept, and on disk a key cannot be
    both a blob and a prefix of other keys. Signed URLs are the service's own HMAC-signed
    ``/files/{token}`` links (``links``), served by the storage download route."""

    def __init__(self, root: Path, links: DownloadLinks | None = None, clock: Clock | None = None) -> None:
        self._root = root
        self._links = links
        self._clock = clock or SystemClock()

    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        await asyncio.to_thread(self._write, self._path(key), bytes(data))

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        *,
        max_bytes: int,
        content_type: str = DEFAULT_CONTENT_TYPE,
    ) -> StoredBlob:
        path = self._path(key)
        file, temp = await asyncio.to_thread(self._open_temp, path)
        digest, size, batch, batched = hashlib.sha256(), 0, list[bytes](), 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise BlobTooLarge(key, max_bytes)
                batch.append(chunk)  # the chunk itself: no copy on the event loop
                batched += len(chunk)
                if batched >= WRITE_BATCH_BYTES:
                    await asyncio.to_thread(_hash_and_write, digest, file, batch)
                    batch, batched = [], 0
            await asyncio.to_thread(_hash_and_write, digest, file, batch)
            await asyncio.to_thread(self._finish, file, temp, path)
        except BaseException:
            await asyncio.to_thread(self._discard, file, temp)
            raise
        return StoredBlob(key, size, digest.hexdigest())

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._read, self._path(key))

    async def stream(self, key: str, chunk_size: int = 65_536) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file, chunk = await asyncio.to_thread(_open_reading, path, chunk_size)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise BlobNotFound(key) from None
        try:
            while chunk:
                yield chunk
                if len(chunk) < chunk_size:  # a file's short read is its end: no hop for the empty one
                    return
                chunk = await asyncio.to_thread(file.read, chunk_size)
        finally:
            file.close()

    @contextlib.asynccontextmanager
    async def local_file(self, key: str) -> AsyncIterator[Path | None]:
        """The stored file itself: a later write of the key replaces it by rename, never in place."""
        path = self._path(key)
        yield path if await asyncio.to_thread(self._size, path) is not None else None

    async def size(self, key: str) -> int | None:
        return await asyncio.to_thread(self._size, self._path(key))

    async def exists(self, key: str) -> bool:
        return await self.size(key) is not None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._remove, self._path(key))

    async def signed_url(self, key: str, *, expires_in: timedelta, filename: str | None = None) -> str:
        self._path(key)
        if self._links is None:
            raise RuntimeError("LocalDiskFileStorage needs download links to sign URLs")
        return self._links.url(key, expires_at=self._clock.now() + expires_in, filename=filename)

    def _path(self, key: str) -> Path:
        segments = key.split("/")
        if not key or "\\" in key or "\x00" in key or any(segment in ("", ".", "..") for segment in segments):
            raise ValueError(f"Unsafe file storage key: {key!r}.")
        return self._root.joinpath(*segments)

    @staticmethod
    def _open_temp(path: Path) -> tuple[BinaryIO, str]:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        return os.fdopen(fd, "wb"), temp

    @staticmethod
    def _finish(file: BinaryIO, temp: str, path: Path) -> None:
        with file:
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)

    @staticmethod
    def _discard(file: BinaryIO, temp: str) -> None:
        file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)

    @classmethod
    def _write(cls, path: Path, data: bytes) -> None:
        file, temp = cls._open_temp(path)
        try:
            file.write(data)
            cls._finish(file, temp, path)
        except BaseException:
            cls._discard(file, temp)
            raise

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    @staticmethod
    def _size(path: Path) -> int | None:
        try:
            return path.stat().st_size if path.is_file() else None
        except (FileNotFoundError, NotADirectoryError):
            return None

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            path.unlink()


def _hash_and_write(digest: hashlib._Hash, file: BinaryIO, batch: list[bytes]) -> None:
    """Off the event loop: an upload's hashing and writing is work the requests beside it should
    not wait for. The chunks go as they came, never joined: a join (or a ``bytearray`` gathering
    them) is a copy of every byte, and past 128 KiB each copy is a fresh mapping whose pages fault
    in (bootstrap/allocator.py); on the loop, that was half of what reading a body cost it."""
    for chunk in batch:
        digest.update(chunk)
        file.write(chunk)


def _open_reading(path: Path, chunk_size: int) -> tuple[BinaryIO, bytes]:
    """The file opened and its first chunk read in one trip to a worker thread (a package is
    usually one chunk: its download is one trip, not three)."""
    file = path.open("rb")
    try:
        return file, file.read(chunk_size)
    except BaseException:
        file.close()
        raise
