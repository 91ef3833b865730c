"""A dispute through the running system: the provider's events go through the webhook inbox and
the outbox, drained as a worker drains them, and the registered consumers hold the disputed
money in the ledger while the dispute is open and release it when it is won."""

from __future__ import annotations

from uuid import uuid4

from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.ports import CatalogRepository
from devforge.application.billing.start_checkout import CheckoutItem
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import CLEARING, DISPUTES, PROCESSOR_FEES, REFUNDS, Account
from devforge.domain.billing.money import Money
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

EUR = Currency("EUR")


async def ledger(world: PurchaseWorld) -> dict[str, int]:
    async with world.container() as scope:
        found = await (await scope.get(LedgerRepository)).balances(EUR)
    return {account.code: money.amount_minor for account, money in found.items()}


async def consumers_done(world: PurchaseWorld) -> set[str]:
    async with world.container() as scope:
        done = await (await scope.get(DeliveryLedger)).list_by_status(DeliveryStatus.DONE, 10_000)
    return {delivery.consumer for delivery in done}


async def test_an_opened_dispute_holds_the_money_and_a_won_one_releases_it_through_the_outbox() -> None:
    world = await purchase_world()
    order = await world.checkout(await world.customer())
    paid = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*paid)
    payment_id = paid[1].payment_id
    assert payment_id is not None
    sold = await ledger(world)
    fee = sold[PROCESSOR_FEES.code]  # the provider's real fee (the estimate trued up): the platform's cost
    assert fee == 287 + 30 and DISPUTES.code not in sold
    assert sold[CLEARING.code] + fee == order.total.gross.amount_minor == 9900

    await world.deliver(world.gateway.open_dispute(payment_id, at=world.clock.now()))
    held = await ledger(world)
    assert (held[CLEARING.code], held[DISPUTES.code]) == (-fee, 9900)
    assert "billing.hold_disputed_payment" in await consumers_done(world)

    await world.deliver(world.gateway.close_dispute(payment_id, lost=False, at=world.clock.now()))
    released = await ledger(world)
    assert (released[CLEARING.code], released[DISPUTES.code]) == (9900 - fee, 0)
    assert "billing.release_dispute_hold" in await consumers_done(world)
    assert sum(released.values()) == 0


async def test_a_lost_dispute_takes_back_each_sellers_whole_share() -> None:
    world = await purchase_world()
    publisher = uuid4()
    extension = CatalogProduct(
        uuid4(), "ext-lint", "Lint", ProductKind.EXTENSION, None, 14, world.clock.now(), seller_id=publisher
    )
    extension.set_price(Price(Money(1999, EUR), BillingInterval.ONE_TIME, tax_inclusive=True))
    async with world.container() as scope:
        await (await scope.get(CatalogRepository)).add(extension)
        await (await scope.get(UnitOfWork)).commit()
    order = await world.checkout(await world.customer(), "editor-pro", more=(CheckoutItem("ext-lint"),))
    paid = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*paid)
    payment_id = paid[1].payment_id
    assert payment_id is not None
    seller = Account.seller_payable(publisher).code
    share = order.lines[1].amounts.net.amount_minor * 7000 // 10000  # the default commission, fixed at payment
    assert (await ledger(world))[seller] == -share

    await world.deliver(world.gateway.open_dispute(payment_id, at=world.clock.now()))
    await world.deliver(world.gateway.close_dispute(payment_id, lost=True, at=world.clock.now()))
    lost = await ledger(world)
    assert lost[seller] == 0 and lost[DISPUTES.code] == 0
    assert lost[REFUNDS.code] == order.total.net.amount_minor - share and sum(lost.values()) == 0
