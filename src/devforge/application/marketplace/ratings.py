"""What the rating use cases share: the rated extension, locked while its ratings change.

Every change to an extension's ratings runs with the extension row locked (one rating per user
and extension holds under concurrent writes) and publishes what changed; the extension's count
and average (on its row and its listing) are a read model its consumer restates from the ratings
(``read_models.py``). The reviews page counts the ratings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository
from devforge.application.marketplace.rating_ports import RatingReader
from devforge.domain.marketplace.errors import ExtensionNotFound
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.rating import Rating, RatingSummary


@dataclass(frozen=True)
class RatingView:
    rating: Rating


@dataclass(frozen=True)
class RatingsPage:
    summary: RatingSummary
    ratings: tuple[Rating, ...]
    next_cursor: str | None


async def rated_extension(
    extensions: ExtensionRepository, publishers: PublisherRepository, extension_id: UUID, *, for_update: bool = False
) -> tuple[Extension, Publisher]:
    """A live extension and its publisher; a deleted or missing one is not found."""
    extension = await extensions.get(extension_id, for_update=for_update)
    publisher = await publishers.get(extension.publisher_id) if extension else None
    if extension is None or publisher is None or extension.deleted:
        raise ExtensionNotFound("No extension with this id.")
    return extension, publisher


async def ensure_live(ratings: RatingReader, extension_id: UUID) -> None:
    """The reads' version of ``rated_extension``: a deleted or missing extension is not found."""
    if not await ratings.live(extension_id):
        raise ExtensionNotFound("No extension with this id.")
