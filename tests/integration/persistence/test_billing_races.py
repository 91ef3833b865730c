"""Provider events about one order applied at the same moment by two workers (two engines on
PostgreSQL, as two processes, reading one provider): the row lock serializes them, the order is
paid once and ``billing.order_paid`` is published once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.adapters.payments.memory_provider_activity import MemoryPayment
from devforge.application.billing.payment_gateway import PaymentGateway, ProviderEvent
from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.process_provider_event import ProcessProviderEvent
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing.order import OrderStatus
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database
from tests.unit.billing.test_order import an_order

PROVIDER = InMemoryPaymentGateway()


def sql_container(url: str) -> AsyncContainer:
    one_provider = Provider(scope=Scope.APP)
    one_provider.provide(lambda: PROVIDER, provides=PaymentGateway)
    return make_container(
        settings_for_tests(database_url=url),
        SqlaPersistenceProvider(),
        SqlaBillingProvider(),
        one_provider,
        base=memory_providers(),
    )


@pytest.fixture
async def two_workers() -> AsyncIterator[tuple[AsyncContainer, AsyncContainer]]:
    async with postgres_database() as url:
        first, second = sql_container(url), sql_container(url)
        try:
            yield first, second
        finally:
            await first.close()
            await second.close()


async def apply(container: AsyncContainer, event: ProviderEvent) -> str:
    async with container() as scope:
        outcome = await (await scope.get(ProcessProviderEvent)).apply(event)
        await (await scope.get(UnitOfWork)).commit()
        return outcome


async def test_two_workers_paying_one_order_pay_it_once(two_workers: tuple[AsyncContainer, AsyncContainer]) -> None:
    first, second = two_workers
    order = an_order()
    async with first() as scope:
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).commit()
    PROVIDER.payments["pi_1"] = MemoryPayment("pi_1", "ch_1", order.id, 9900, "EUR")
    completed = ProviderEvent(
        "evt_a", "checkout.completed", datetime.now(UTC), order.id, "cs_1", 9900, "EUR", "pi_1", None, None
    )
    succeeded = replace(completed, event_id="evt_b", type="payment.succeeded", object_id="pi_1")

    outcomes = await asyncio.gather(*(apply(c, e) for c, e in [(first, completed), (second, succeeded)] * 3))

    assert sorted(outcomes) == ["applied"] + ["no change"] * 5
    async with first() as scope:
        paid = await (await scope.get(OrderRepository)).get(order.id)
        published = await (await scope.get(Outbox)).claim_unrelayed(100)
    assert paid is not None and paid.status is OrderStatus.PAID
    assert [event.name for event in published] == ["billing.order_paid"]
