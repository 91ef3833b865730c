"""Register a publisher: a developer claims a namespace and becomes its owner."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import AccountDirectory, PublisherRepository
from devforge.domain.marketplace.errors import NameSquatted
from devforge.domain.marketplace.naming import colliding_name
from devforge.domain.marketplace.publisher import Publisher


@dataclass(frozen=True, slots=True)
class RegisterPublisher:
    namespace: str
    display_name: str


class RegisterPublisherHandler:
    """Both the namespace and the display name are squat-checked against every namespace and
    display name in the registry (one edit away is refused, naming the name it collides with).
    The publisher's review mails go to the registering account's address."""

    def __init__(
        self, uow: UnitOfWork, publishers: PublisherRepository, accounts: AccountDirectory, clock: Clock
    ) -> None:
        self._uow, self._publishers, self._accounts, self._clock = uow, publishers, accounts, clock

    async def __call__(self, actor: Actor, command: RegisterPublisher) -> Publisher:
        publisher = Publisher(
            id=uuid4(),
            namespace=command.namespace,
            display_name=command.display_name,
            owner_id=actor.user_id,
            contact_email=await self._accounts.address(actor.user_id) or "",
            created_at=self._clock.now(),
        )
        names = await self._publishers.names()
        for field, candidate in (("namespace", publisher.namespace), ("displayName", publisher.display_name)):
            taken = colliding_name(candidate, names)
            if taken is not None:
                message = f"'{candidate}' is too close to the existing publisher name '{taken}'."
                raise NameSquatted(message, collides_with=taken, field=field)
        await self._publishers.add(publisher)
        await self._uow.commit()
        return publisher
