"""Register a publisher: a developer claims a namespace and becomes its owner."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.name_guard import NameGuard
from devforge.application.marketplace.ports import AccountDirectory, PublisherRepository
from devforge.application.marketplace.quotas import DAY, QuotaGate
from devforge.domain.marketplace.publisher import Publisher


@dataclass(frozen=True, slots=True)
class RegisterPublisher:
    namespace: str
    display_name: str


class RegisterPublisherHandler:
    """The namespace and the display name pass the name rules (``NameGuard``) in the publisher
    scope: a reserved name needs an administrator or a verified matching domain of a publisher
    the caller belongs to. At most ``publishers_per_day`` registrations per account. The
    publisher's review mails go to the registering account's address."""

    def __init__(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        accounts: AccountDirectory,
        names: NameGuard,
        quotas: QuotaGate,
        clock: Clock,
    ) -> None:
        self._uow, self._publishers, self._accounts, self._clock = uow, publishers, accounts, clock
        self._names, self._quotas = names, quotas

    async def __call__(self, actor: Actor, command: RegisterPublisher) -> Publisher:
        publisher = Publisher(
            id=uuid4(),
            namespace=command.namespace,
            display_name=command.display_name,
            owner_id=actor.user_id,
            contact_email=await self._accounts.address(actor.user_id) or "",
            created_at=self._clock.now(),
        )
        await self._quotas.spend(actor, "publishers", self._quotas.quotas.publishers_per_day, DAY)
        domains = [held.domain for held in await self._publishers.list_for_member(actor.user_id) if held.verified]
        names = (("namespace", publisher.namespace), ("displayName", publisher.display_name))
        await self._names.claim(actor, "publisher", publisher.id, names, verified_domains=filter(None, domains))
        await self._publishers.add(publisher)
        await self._uow.commit()
        return publisher
