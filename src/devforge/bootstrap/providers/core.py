"""Wiring every profile shares: settings-derived values, the clock, outbox relay and delivery."""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, from_context, provide, provide_all

from devforge.adapters.clock import SystemClock
from devforge.adapters.resilience.connection_outages import ConnectionOutageDetector
from devforge.application.common.cache import Cache
from devforge.application.common.claim_deliveries import ClaimDueDeliveries
from devforge.application.common.clock import Clock
from devforge.application.common.consumers import Subscriptions
from devforge.application.common.dead_letters import ListDeadLetters, ReviveDeadLetter
from devforge.application.common.deliver_event import DeliverEvent
from devforge.application.common.deliver_event_batch import DeliverEventBatch
from devforge.application.common.deliveries import DeliveryLedger
from devforge.application.common.idempotency import CacheIdempotencyStore, IdempotencyStore
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.open_download import OpenDownload
from devforge.application.common.outages import OutageDetector
from devforge.application.common.outbox import Outbox
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.relay_outbox import RelayOutbox
from devforge.application.common.send_queued_mail import SentMailMemo
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.context import Contexts
from devforge.bootstrap.settings import Settings


class CoreProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)
    contexts = from_context(provides=Contexts, scope=Scope.APP)
    clock = provide(SystemClock, provides=Clock, scope=Scope.APP)
    dead_letters = provide_all(ListDeadLetters, ReviveDeadLetter, scope=Scope.REQUEST)
    outages = provide(ConnectionOutageDetector, provides=OutageDetector, scope=Scope.APP)
    outgoing_mail = provide(OutgoingMail, scope=Scope.REQUEST)
    open_download = provide(OpenDownload, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def sent_mail_memo(self) -> SentMailMemo:
        return SentMailMemo()

    @provide(scope=Scope.APP)
    def public_url(self, settings: Settings) -> PublicUrl:
        return PublicUrl(settings.http.resolved_public_base_url)

    @provide(scope=Scope.APP)
    def idempotency_store(self, cache: Cache) -> IdempotencyStore:
        return CacheIdempotencyStore(cache)

    @provide(scope=Scope.APP)
    def subscriptions(self, contexts: Contexts) -> Subscriptions:
        """Every consumer of every context, by what it subscribes to."""
        return contexts.subscriptions()

    @provide(scope=Scope.REQUEST)
    def relay_outbox(
        self, uow: UnitOfWork, outbox: Outbox, ledger: DeliveryLedger, subs: Subscriptions, clock: Clock
    ) -> RelayOutbox:
        return RelayOutbox(uow, outbox, ledger, subs, clock)

    @provide(scope=Scope.REQUEST)
    def claim_deliveries(
        self, uow: UnitOfWork, ledger: DeliveryLedger, clock: Clock, settings: Settings
    ) -> ClaimDueDeliveries:
        return ClaimDueDeliveries(uow, ledger, clock, lease=timedelta(seconds=settings.delivery.delivery_lease_seconds))

    @provide(scope=Scope.REQUEST)
    def deliver_event(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        clock: Clock,
        outages: OutageDetector,
        settings: Settings,
    ) -> DeliverEvent:
        return DeliverEvent(
            uow,
            outbox,
            ledger,
            clock,
            outages,
            max_attempts=settings.delivery.delivery_max_attempts,
            base_delay=timedelta(seconds=settings.delivery.delivery_retry_base_seconds),
            outage_delay=timedelta(seconds=settings.delivery.delivery_outage_retry_seconds),
        )

    @provide(scope=Scope.REQUEST)
    def deliver_event_batch(
        self, uow: UnitOfWork, outbox: Outbox, ledger: DeliveryLedger, clock: Clock, outages: OutageDetector,
        one: DeliverEvent,
    ) -> DeliverEventBatch:  # fmt: skip
        return DeliverEventBatch(uow, outbox, ledger, clock, outages, one)
