"""What the rating use cases share: the rated extension, and restating its figures.

Every change to an extension's ratings runs with the extension row locked, then recounts the
ratings and writes the count and average to the extension and to its listing in the same
transaction: concurrent raters of one extension queue on the lock, so no recount is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository
from devforge.application.marketplace.rating_ports import RatingRepository
from devforge.application.marketplace.search import ExtensionSearch
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


async def restate_rating(
    extension: Extension, ratings: RatingRepository, extensions: ExtensionRepository, search: ExtensionSearch
) -> RatingSummary:
    summary = await ratings.summary(extension.id)
    extension.restate_rating(summary.count, summary.average)
    await extensions.update(extension)
    await search.set_rating(extension.id, summary.count, summary.average)
    return summary
