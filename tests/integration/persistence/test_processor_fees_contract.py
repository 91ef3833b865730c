"""The processor fees' repository on memory, SQLite and PostgreSQL: one estimate per payment, the
real fee recorded on it, the open ones listed oldest first (of an order, or estimated before a
time)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.fee_ports import ProcessorFeeRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import FeeRate, FeeSchedule, ProcessorFee, ReportedFee
from tests.integration.persistence.billing_documents_backends import documents_backend
from tests.unit.billing.documents import NOW

EUR, USD = Currency("EUR"), Currency("USD")
SCHEDULE = FeeSchedule({EUR: FeeRate(290, 25)}, FeeRate(290))


@pytest.fixture(params=("memory", "sqlite", "postgres"))
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with documents_backend(
        request.param, tmp_path, InMemoryPaidOrders(), InMemoryPaymentGateway(), ManualClock(NOW)
    ) as built:
        yield built


async def test_an_estimate_is_kept_once_per_payment_and_settles_with_the_real_fee(container: AsyncContainer) -> None:
    order_id = uuid4()
    fee = ProcessorFee.estimate("pi_1", order_id, Money(10_000, EUR), SCHEDULE, NOW)
    async with container() as scope:
        fees = await scope.get(ProcessorFeeRepository)
        assert await fees.add(fee) is True
        assert await fees.add(ProcessorFee.estimate("pi_1", order_id, Money(1, EUR), SCHEDULE, NOW)) is False
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        fees = await scope.get(ProcessorFeeRepository)
        stored = await fees.get("pi_1", for_update=True)
        assert stored == fee and stored is not None and stored.estimated == Money(315, EUR)
        stored.settle(ReportedFee("txn_1", Money(320, EUR)), NOW + timedelta(minutes=1))
        await fees.update(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        settled = await (await scope.get(ProcessorFeeRepository)).get("pi_1")
    assert settled is not None and (settled.actual, settled.balance_transaction_id, settled.settled) == (
        Money(320, EUR),
        "txn_1",
        True,
    )
    assert settled.settled_at == NOW + timedelta(minutes=1)


async def test_an_estimate_added_in_a_unit_of_work_that_rolls_back_is_not_kept(container: AsyncContainer) -> None:
    """The add is the unit's first write (its read does not open a transaction on SQLite): a
    savepoint opened there was the whole transaction, and releasing it committed the estimate."""
    fee = ProcessorFee.estimate("pi_1", uuid4(), Money(10_000, EUR), SCHEDULE, NOW)
    async with container() as scope:
        assert await (await scope.get(ProcessorFeeRepository)).add(fee) is True
    async with container() as scope:
        assert await (await scope.get(ProcessorFeeRepository)).add(fee) is True
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        fees = await scope.get(ProcessorFeeRepository)
        assert await fees.get("pi_1") is None and await fees.unsettled(limit=10) == []
        assert await fees.add(fee) is True  # the next delivery records it
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(ProcessorFeeRepository)).get("pi_1") == fee


async def test_open_estimates_are_listed_oldest_first_by_order_or_age(container: AsyncContainer) -> None:
    first, second = uuid4(), uuid4()
    made = [
        ProcessorFee.estimate("pi_b", first, Money(1000, USD), SCHEDULE, NOW + timedelta(minutes=2)),
        ProcessorFee.estimate("pi_a", first, Money(1000, USD), SCHEDULE, NOW),
        ProcessorFee.estimate("pi_c", second, Money(1000, EUR), SCHEDULE, NOW + timedelta(minutes=1)),
        ProcessorFee.estimate("pi_d", second, Money(1000, EUR), SCHEDULE, NOW + timedelta(minutes=3)),
    ]
    made[3].settle(ReportedFee("txn_d", Money(40, EUR)), NOW + timedelta(minutes=4))
    async with container() as scope:
        fees = await scope.get(ProcessorFeeRepository)
        for fee in made:
            await fees.add(fee)
        await fees.update(made[3])
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        fees = await scope.get(ProcessorFeeRepository)
        assert [f.payment_id for f in await fees.unsettled(limit=10)] == ["pi_a", "pi_c", "pi_b"]
        assert [f.payment_id for f in await fees.unsettled(order_id=first, limit=10)] == ["pi_a", "pi_b"]
        assert [f.payment_id for f in await fees.unsettled(order_id=second, limit=10)] == ["pi_c"]
        before = NOW + timedelta(minutes=2)
        assert [f.payment_id for f in await fees.unsettled(before=before, limit=10)] == ["pi_a", "pi_c"]
        since = NOW + timedelta(minutes=1)
        assert [f.payment_id for f in await fees.unsettled(since=since, before=before, limit=10)] == ["pi_c"]
        assert [f.payment_id for f in await fees.unsettled(limit=1)] == ["pi_a"]
