"""A user's own rating of an extension: write (create or edit), show, and take back. A rater
proved their email address and first downloaded the extension, signed in, at least
``RatingRules.min_download_age`` ago (``DEVFORGE_MARKETPLACE_RATING_MIN_DOWNLOAD_HOURS``). Each change
is published (``marketplace.rating_written``, ``marketplace.rating_withdrawn``); the extension's
count and average follow through their consumer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import AccountDirectory, ExtensionRepository, PublisherRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.rating_ports import Downloaders, RatingReader, RatingRepository
from devforge.application.marketplace.ratings import RatingView, ensure_live, rated_extension
from devforge.domain.marketplace.rating import Rating, RatingNotFound, ensure_may_rate


@dataclass(frozen=True, slots=True)
class RateExtension:
    extension_id: UUID
    stars: int
    title: str = ""
    body: str = ""


@dataclass(frozen=True, slots=True)
class RatingRules:
    """How long after a user's first signed-in download they may rate (a setting, checked at start)."""

    min_download_age: timedelta = timedelta(hours=24)


class _RatingUseCase:
    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        ratings: RatingRepository,
        downloaders: Downloaders,
        outbox: Outbox,
        clock: Clock,
        accounts: AccountDirectory,
        rules: RatingRules,
    ) -> None:
        self._uow, self._publishers, self._extensions, self._ratings = uow, publishers, extensions, ratings
        self._downloaders, self._outbox, self._clock = downloaders, outbox, clock
        self._accounts, self._rules = accounts, rules


class RateExtensionHandler(_RatingUseCase):
    """One rating per user and extension: the first write creates it, later ones edit it in place
    (marked edited), and writing the same stars and text again changes nothing."""

    async def __call__(self, actor: Actor, command: RateExtension) -> RatingView:
        extension, publisher = await rated_extension(
            self._extensions, self._publishers, command.extension_id, for_update=True
        )
        now = self._clock.now()
        ensure_may_rate(
            downloaded_at=await self._downloaders.first_downloaded_at(extension.id, actor.user_id),
            publisher_member=publisher.is_member(actor.user_id),
            email_verified=await self._accounts.email_verified(actor.user_id),
            now=now,
            min_download_age=self._rules.min_download_age,
        )
        rating = await self._ratings.find(extension.id, actor.user_id)
        if rating is None:
            rating = Rating.write(
                rating_id=uuid4(),
                extension_id=extension.id,
                user_id=actor.user_id,
                stars=command.stars,
                title=command.title,
                body=command.body,
                now=now,
            )
            await self._ratings.add(rating)
        elif rating.edit(stars=command.stars, title=command.title, body=command.body, now=now):
            await self._ratings.update(rating)
        else:
            return RatingView(rating)
        await record_events(self._outbox, rating)
        await self._uow.commit()
        return RatingView(rating)


class GetMyRating:
    """A plain read of committed ratings (``RatingReader``: no unit of work)."""

    def __init__(self, ratings: RatingReader) -> None:
        self._ratings = ratings

    async def __call__(self, actor: Actor, extension_id: UUID) -> RatingView:
        await ensure_live(self._ratings, extension_id)
        rating = await self._ratings.find(extension_id, actor.user_id)
        if rating is None:
            raise RatingNotFound("You have not rated this extension.")
        return RatingView(rating)


class RemoveMyRating(_RatingUseCase):
    """The user may rate again later."""

    async def __call__(self, actor: Actor, extension_id: UUID) -> None:
        extension, _ = await rated_extension(self._extensions, self._publishers, extension_id, for_update=True)
        rating = await self._ratings.find(extension.id, actor.user_id)
        if rating is None:
            raise RatingNotFound("You have not rated this extension.")
        rating.withdraw(self._clock.now())
        await self._ratings.remove(rating.id)
        await record_events(self._outbox, rating)
        await self._uow.commit()
