"""Wiring every profile shares: settings-derived values, the clock, outbox relay and delivery."""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, from_context, provide, provide_all

from devforge.adapters.clock import SystemClock
from devforge.application.common.cache import Cache
from devforge.application.common.clock import Clock
from devforge.application.common.consumers import Subscriptions
from devforge.application.common.dead_letters import ListDeadLetters, ReviveDeadLetter
from devforge.application.common.deliver_event import DeliverEvent
from devforge.application.common.deliveries import DeliveryLedger
from devforge.application.common.idempotency import CacheIdempotencyStore, IdempotencyStore
from devforge.application.common.job_queue import JobQueue
from devforge.application.common.outbox import Outbox
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.consumers import subscriptions
from devforge.bootstrap.settings import Settings


class CoreProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)
    clock = provide(SystemClock, provides=Clock, scope=Scope.APP)
    dead_letters = provide_all(ListDeadLetters, ReviveDeadLetter, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def public_url(self, settings: Settings) -> PublicUrl:
        return PublicUrl(settings.resolved_public_base_url)

    @provide(scope=Scope.APP)
    def idempotency_store(self, cache: Cache) -> IdempotencyStore:
        return CacheIdempotencyStore(cache)

    @provide(scope=Scope.APP)
    def subscriptions(self) -> Subscriptions:
        return subscriptions()

    @provide(scope=Scope.REQUEST)
    def relay_outbox(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        queue: JobQueue,
        subs: Subscriptions,
        clock: Clock,
    ) -> RelayOutbox:
        return RelayOutbox(uow, outbox, ledger, queue, subs, clock)

    @provide(scope=Scope.REQUEST)
    def deliver_event(
        self, uow: UnitOfWork, outbox: Outbox, ledger: DeliveryLedger, clock: Clock, settings: Settings
    ) -> DeliverEvent:
        return DeliverEvent(
            uow,
            outbox,
            ledger,
            clock,
            max_attempts=settings.delivery_max_attempts,
            base_delay=timedelta(seconds=settings.delivery_retry_base_seconds),
        )
