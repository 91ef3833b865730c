"""A dispute through the running system: the provider's events go through the webhook inbox and
the outbox, drained as a worker drains them, and the registered consumers hold the disputed
money in the ledger while the dispute is open and release it when it is won."""

from __future__ import annotations

from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import CLEARING, DISPUTES
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
    assert sold[CLEARING.code] == order.total.gross.amount_minor == 9900 and DISPUTES.code not in sold

    await world.deliver(world.gateway.open_dispute(payment_id, at=world.clock.now()))
    held = await ledger(world)
    assert (held[CLEARING.code], held[DISPUTES.code]) == (0, 9900)
    assert "billing.hold_disputed_payment" in await consumers_done(world)

    await world.deliver(world.gateway.close_dispute(payment_id, lost=False, at=world.clock.now()))
    released = await ledger(world)
    assert (released[CLEARING.code], released[DISPUTES.code]) == (9900, 0)
    assert "billing.release_dispute_hold" in await consumers_done(world)
    assert sum(released.values()) == 0
