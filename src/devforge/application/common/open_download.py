"""Open the file behind a signed download link (local-disk or in-memory storage, which cannot
sign their own URLs): whoever holds an unexpired link gets that one blob, and nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.download_links import DownloadLinks
from devforge.application.common.file_storage import FileStorage


@dataclass(frozen=True, slots=True)
class OpenedDownload:
    filename: str | None
    """The name the link offers the file under, if it names one."""
    size: int
    chunks: AsyncIterator[bytes]


class OpenDownload:
    """A tampered, malformed or expired link raises ``DownloadLinkInvalid`` (``expired`` says
    which); a link whose file has since been deleted opens ``None``."""

    def __init__(self, links: DownloadLinks, storage: FileStorage, clock: Clock) -> None:
        self._links, self._storage, self._clock = links, storage, clock

    async def __call__(self, token: str, chunk_bytes: int) -> OpenedDownload | None:
        grant = self._links.redeem(token, self._clock.now())
        size = await self._storage.size(grant.key)
        if size is None:
            return None
        return OpenedDownload(grant.filename, size, self._storage.stream(grant.key, chunk_bytes))
