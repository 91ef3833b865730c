"""The reconciliation on the memory adapters, from real purchases: clean books list nothing; each
kind of difference seeded once is found once, and nothing else is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payment_gateway import ProviderBalanceTransaction
from devforge.application.billing.reconcile_payments import ReconcilePayments
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.shared.errors import NotPermitted
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

EUR = Currency("EUR")
FINANCE = Actor.holding(uuid4(), BillingPermission.FINANCE_READ)
MARCH, APRIL = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)


async def bought(world: PurchaseWorld) -> tuple[str, str]:
    """A paid order of editor-pro in EUR (9900): its id and its payment id."""
    order = await world.checkout(await world.customer())
    paid = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*paid)
    assert paid[1].payment_id is not None
    return str(order.id), paid[1].payment_id


async def reconcile(world: PurchaseWorld) -> set[tuple[str, str]]:
    async with world.container() as scope:
        found = await (await scope.get(ReconcilePayments))(FINANCE, MARCH, APRIL)
    return {(d.kind, d.reference) for d in found.differences}


async def test_clean_books_have_no_difference_and_each_seeded_one_is_found() -> None:
    world = await purchase_world()
    purchases = [await bought(world) for _ in range(5)]
    assert await reconcile(world) == set()

    (no_sale, _), (_, other_amount), (_, other_fee), (_, vanished), _ = purchases
    store = await world.container.get(MemoryStore)
    del store.table("billing_ledger_transactions")[f"sale:{no_sale}"]
    stray = uuid4()
    async with world.container() as scope:
        amounts = TaxedAmount.of(Money(1000, EUR), Money(190, EUR))
        await (await scope.get(LedgerRepository)).post(ledger_postings.sale(stray, amounts, world.clock.now()))
        await (await scope.get(UnitOfWork)).commit()
    real_fee = 287 + 30  # what the memory provider took of 9900, and the ledger holds after the true-up
    world.gateway.payments[other_amount].amount = 9800
    world.gateway.fees[other_amount] = real_fee
    world.gateway.fees[other_fee] = 999
    del world.gateway.payments[vanished]
    world.gateway.foreign_balance.append(
        ProviderBalanceTransaction("txn_stranger", "charge", 1000, 59, 941, "EUR", world.clock.now(), "pi_stranger")
    )

    assert await reconcile(world) == {
        ("order_without_sale", no_sale),
        ("sale_without_order", str(stray)),
        ("amount_differs", other_amount),
        ("fee_differs", other_fee),
        ("payment_missing_at_provider", vanished),
        ("provider_transaction_unknown", "txn_stranger"),
    }


async def test_only_the_period_is_reported_and_only_finance_may_ask() -> None:
    world = await purchase_world()
    await bought(world)
    world.gateway.foreign_balance.append(
        ProviderBalanceTransaction("txn_april", "charge", 10, 1, 9, "EUR", APRIL + timedelta(hours=1), "pi_later")
    )
    assert await reconcile(world) == set()  # April's stranger is the next report's
    async with world.container() as scope:
        with pytest.raises(NotPermitted):
            await (await scope.get(ReconcilePayments))(Actor.holding(uuid4()), MARCH, APRIL)
