"""The publisher's owner adds and removes members (by user id); every member may publish."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.membership import ensure_member
from devforge.application.marketplace.ports import PublisherRepository
from devforge.domain.marketplace.publisher import Publisher


class AddPublisherMemberHandler:
    def __init__(self, uow: UnitOfWork, publishers: PublisherRepository) -> None:
        self._uow, self._publishers = uow, publishers

    async def __call__(self, actor: Actor, publisher_id: UUID, user_id: UUID) -> Publisher:
        publisher = ensure_member(actor, await self._publishers.get(publisher_id, for_update=True))
        publisher.add_member(actor.user_id, user_id)
        await self._publishers.update(publisher)
        await self._uow.commit()
        return publisher


class RemovePublisherMemberHandler:
    def __init__(self, uow: UnitOfWork, publishers: PublisherRepository) -> None:
        self._uow, self._publishers = uow, publishers

    async def __call__(self, actor: Actor, publisher_id: UUID, user_id: UUID) -> Publisher:
        publisher = ensure_member(actor, await self._publishers.get(publisher_id, for_update=True))
        publisher.remove_member(actor.user_id, user_id)
        await self._publishers.update(publisher)
        await self._uow.commit()
        return publisher
