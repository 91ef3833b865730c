from __future__ import annotations

from collections.abc import Sequence


class NoOpCdn:
    """No CDN in front of downloads (embedded profile): nothing is cached, so nothing to purge.
    Keeps what it was asked to purge, so tests can see that a yank purged."""

    def __init__(self) -> None:
        self.purged: list[str] = []

    async def purge(self, targets: Sequence[str]) -> None:
        self.purged.extend(targets)
