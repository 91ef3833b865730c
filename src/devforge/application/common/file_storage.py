from __future__ import annotations

from typing import Protocol


class FileStorage(Protocol):
    """Blobs by key (``a/b/c.zip``). Keys are chosen by the application, never by a client."""

    async def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    async def get(self, key: str) -> bytes | None: ...

    async def delete(self, key: str) -> None: ...
