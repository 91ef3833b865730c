"""Containers for the document use cases: memory (or SQL) adapters, a fake provider and a
stand-in for the paid orders."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.invoice_ports import OrderRefunds, PaidOrders
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.common.clock import Clock
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing_documents import (
    BillingDocumentsUseCasesProvider,
    MemoryBillingDocumentsProvider,
)
from tests.conftest import settings_for_tests


def fakes_provider(orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway, clock: ManualClock) -> Provider:
    provider = Provider(scope=Scope.APP)
    provider.provide(lambda: orders, provides=PaidOrders)
    provider.provide(lambda: orders, provides=OrderRefunds)
    provider.provide(lambda: gateway, provides=PaymentGateway)
    provider.provide(lambda: clock, provides=Clock)
    return provider


def documents_container(
    orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway, clock: ManualClock, *sql: Provider, **settings: object
) -> AsyncContainer:
    """Memory throughout unless ``sql`` providers (persistence and documents on SQL) are given."""
    return make_container(
        settings_for_tests(**settings),
        BillingDocumentsUseCasesProvider(),
        MemoryBillingDocumentsProvider(),
        *sql,
        fakes_provider(orders, gateway, clock),
        base=memory_providers(),
    )
