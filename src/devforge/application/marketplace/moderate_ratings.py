"""Ratings everyone reads, and an administrator taking one down."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.rating_ports import RatingReader, RatingRepository
from devforge.application.marketplace.ratings import RatingsPage, ensure_live, rated_extension
from devforge.domain.marketplace.errors import MarketplaceActionRefused
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.rating import RatingInvalid, RatingNotFound

MAX_PAGE = 100


class ListRatings:
    """Newest first, in keyset pages, with the extension's summary (count, average, histogram)
    counted from the ratings as they are now, not read from the read model: whoever just rated
    sees their rating counted at once. A plain read of committed ratings (``RatingReader``)."""

    def __init__(self, ratings: RatingReader) -> None:
        self._ratings = ratings

    async def __call__(self, extension_id: UUID, limit: int = 20, cursor: str | None = None) -> RatingsPage:
        if not 1 <= limit <= MAX_PAGE:
            raise RatingInvalid(f"Ask for 1 to {MAX_PAGE} ratings a page.", field="limit")
        after = _decode(cursor) if cursor else None
        await ensure_live(self._ratings, extension_id)
        found = await self._ratings.page(extension_id, limit=limit + 1, after=after)
        chosen = found[:limit]
        last = chosen[-1] if len(found) > limit else None
        next_cursor = _encode(last.created_at, last.id) if last else None
        return RatingsPage(await self._ratings.summary(extension_id), tuple(chosen), next_cursor)


class RemoveRatingHandler:
    """An administrator removes anyone's rating, saying why (kept with ``marketplace.rating_removed``)."""

    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        ratings: RatingRepository,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._uow, self._publishers, self._extensions, self._ratings = uow, publishers, extensions, ratings
        self._outbox, self._clock = outbox, clock

    async def __call__(self, actor: Actor, extension_id: UUID, rating_id: UUID, reason: str) -> None:
        if not actor.may(MarketplacePermission.EXTENSIONS_REVIEW):
            raise MarketplaceActionRefused("Only administrators remove other people's ratings.")
        extension, _ = await rated_extension(self._extensions, self._publishers, extension_id, for_update=True)
        rating = await self._ratings.get(rating_id)
        if rating is None or rating.extension_id != extension.id:
            raise RatingNotFound("No rating with this id on this extension.")
        rating.remove_by_admin(actor.user_id, reason, self._clock.now())
        await self._ratings.remove(rating.id)
        await record_events(self._outbox, rating)
        await self._uow.commit()


def _encode(created_at: datetime, rating_id: UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(rating_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, UUID]:
    try:
        created_at, rating_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(created_at), UUID(rating_id)
    except (ValueError, TypeError, binascii.Error):
        raise RatingInvalid("This cursor is not one a page answered.", field="cursor") from None
