"""Verify a publisher by DNS: the owner chooses a domain and gets a token to publish as a TXT
record; checking looks the record up through the resolver port."""

from __future__ import annotations

import secrets
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.dns_resolver import DnsLookupFailed, DnsTxtResolver
from devforge.application.marketplace.membership import ensure_member
from devforge.application.marketplace.ports import PublisherRepository
from devforge.application.marketplace.publication import record_events
from devforge.application.marketplace.views import PublisherView
from devforge.domain.marketplace.errors import DomainVerificationFailed, MarketplaceActionRefused


class StartDomainVerificationHandler:
    def __init__(self, uow: UnitOfWork, publishers: PublisherRepository) -> None:
        self._uow, self._publishers = uow, publishers

    async def __call__(self, actor: Actor, publisher_id: UUID, domain: str) -> PublisherView:
        publisher = ensure_member(actor, await self._publishers.get(publisher_id, for_update=True))
        if publisher.owner_id != actor.user_id:
            raise MarketplaceActionRefused("Only the publisher's owner verifies its domain.")
        publisher.start_verification(domain, secrets.token_urlsafe(24))
        await self._publishers.update(publisher)
        await self._uow.commit()
        return PublisherView(publisher)


class CheckDomainVerificationHandler:
    """A lookup that gets no answer is reported as such (try again), never as "no record"."""

    def __init__(
        self, uow: UnitOfWork, publishers: PublisherRepository, resolver: DnsTxtResolver, outbox: Outbox, clock: Clock
    ) -> None:
        self._uow, self._publishers, self._resolver = uow, publishers, resolver
        self._outbox, self._clock = outbox, clock

    async def __call__(self, actor: Actor, publisher_id: UUID) -> PublisherView:
        publisher = ensure_member(actor, await self._publishers.get(publisher_id, for_update=True))
        if publisher.challenge_name is None:
            raise DomainVerificationFailed("Start the verification first: choose your domain.", field="domain")
        try:
            records = await self._resolver.txt_records(publisher.challenge_name)
        except DnsLookupFailed as failed:
            message = f"The DNS lookup of {failed.name} got no answer ({failed.reason}); try again shortly."
            raise DomainVerificationFailed(message, field="domain") from failed
        publisher.verify(records, self._clock.now())
        await self._publishers.update(publisher)
        await record_events(self._outbox, publisher)
        await self._uow.commit()
        return PublisherView(publisher)
