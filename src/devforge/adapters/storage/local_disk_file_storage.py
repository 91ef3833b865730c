from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path


class LocalDiskFileStorage:
    """Blobs as files under ``root``, the key's segments as directories (``a/b/c.zip``).

    A key is relative, ``/``-separated, with no empty, ``.`` or ``..`` segment, no backslash
    and no NUL; anything else raises ``ValueError``, so no key reaches outside ``root``. A
    write lands whole or not at all (temp file in the same directory, fsync, ``os.replace``),
    so a reader sees the old blob or the new one. Files are private to the service user
    (mode 0600, from ``mkstemp``). The content type is not kept, and on disk a key cannot be
    both a blob and a prefix of other keys."""

    def __init__(self, root: Path) -> None:
        self._root = root

    async def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        await asyncio.to_thread(self._write, self._path(key), bytes(data))

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._read, self._path(key))

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._remove, self._path(key))

    def _path(self, key: str) -> Path:
        segments = key.split("/")
        if not key or "\\" in key or "\x00" in key or any(segment in ("", ".", "..") for segment in segments):
            raise ValueError(f"Unsafe file storage key: {key!r}.")
        return self._root.joinpath(*segments)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            path.unlink()
