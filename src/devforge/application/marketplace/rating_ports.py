"""Ports of ratings and reviews, and of who downloaded what. The repositories are transactional
(they join the unit of work); ``RatingReader`` reads committed ratings outside any."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.marketplace.rating import Rating, RatingSummary


class Downloaders(Protocol):
    """Who downloaded an extension while signed in: what entitles a user to rate it."""

    async def record(self, extension_id: UUID, user_id: UUID, at: datetime) -> None:
        """Idempotent: the first download's time stays; a concurrent second insert is no error."""
        ...

    async def has(self, extension_id: UUID, user_id: UUID) -> bool: ...

    async def first_downloaded_at(self, extension_id: UUID, user_id: UUID) -> datetime | None:
        """When the user first downloaded it signed in; ``None``: never."""
        ...


class RatingRepository(Protocol):
    async def get(self, rating_id: UUID) -> Rating | None: ...

    async def find(self, extension_id: UUID, user_id: UUID) -> Rating | None: ...

    async def add(self, rating: Rating) -> None:
        """At most one rating per (extension, user): the callers lock the extension first."""
        ...

    async def update(self, rating: Rating) -> None: ...

    async def remove(self, rating_id: UUID) -> None: ...

    async def summary(self, extension_id: UUID) -> RatingSummary: ...

    async def page(self, extension_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Rating]:
        """Newest first (created_at, then id, both descending), strictly after the keyset ``after``."""
        ...


class RatingReader(Protocol):
    """Committed ratings, for the pages that only show them (the public reviews, a user's own):
    plain reads outside any unit of work (on SQL the common read path, one statement each, no
    transaction, no lock). The use cases that change ratings read through the repository."""

    async def live(self, extension_id: UUID) -> bool:
        """The extension exists, is not deleted, and its publisher exists."""
        ...

    async def find(self, extension_id: UUID, user_id: UUID) -> Rating | None: ...

    async def summary(self, extension_id: UUID) -> RatingSummary: ...

    async def page(self, extension_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Rating]:
        """Newest first, keyset after (created_at, id), as ``RatingRepository.page``."""
        ...
