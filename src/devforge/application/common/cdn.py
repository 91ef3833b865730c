"""The CDN in front of downloads: purge cached copies when an artifact is yanked or deleted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class CdnPurgeFailed(Exception):
    """The CDN refused or could not be reached; callers run purges from a job so it is retried."""


class ContentDeliveryNetwork(Protocol):
    """Non-transactional. ``purge`` takes absolute URLs or storage keys (a key is resolved against
    the CDN's public base URL); an empty list does nothing. Purging what is not cached is fine."""

    async def purge(self, targets: Sequence[str]) -> None: ...
