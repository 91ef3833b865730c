"""Billing's use cases on the memory container: pricing, checkout, the reconciler, and what
refunds, disputes and subscription events do to the licenses a purchase issued."""

from __future__ import annotations

from datetime import timedelta

import pytest

from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.payments.memory_payment_gateway import CheckoutCrashed
from devforge.application.billing.get_pricing import GetPricing, GetPricingHandler
from devforge.application.billing.list_orders import GetOrder, ListOrders
from devforge.application.billing.reconcile_unknown_checkouts import ReconcileUnknownCheckouts
from devforge.application.common.actor import Actor
from devforge.application.licensing.ports import LicenseRepository
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.errors import EmailNotVerified, OrderNotFound, PriceNotFound
from devforge.domain.billing.order import OrderStatus
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.licensing.license import LicenseStatus
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world


async def pricing(world: PurchaseWorld, **query: str) -> dict[str, list[tuple[str, int, int, int]]]:
    async with world.container() as scope:
        prices = await (await scope.get(GetPricingHandler))(GetPricing(**query))  # type: ignore[arg-type]
    return {
        p.code: [
            (o.interval.value, o.amounts.net.amount_minor, o.amounts.tax.amount_minor, o.amounts.gross.amount_minor)
            for o in p.offers
        ]
        for p in prices.products
    }


async def test_pricing_answers_in_the_currency_asked_with_the_buyers_tax() -> None:
    world = await purchase_world()
    assert (await pricing(world, currency="EUR", country="DE"))["editor-pro"] == [
        ("one_time", 8319, 1581, 9900),
        ("month", 840, 160, 1000),
    ]
    assert (await pricing(world, currency="USD", country="US", region="CA"))["editor-pro"] == [
        ("one_time", 9900, 718, 10618)
    ]
    assert "theme-pack" not in await pricing(world, currency="JPY", country="JP")


async def test_checkout_needs_a_verified_email_and_a_price_in_that_currency() -> None:
    world = await purchase_world()
    with pytest.raises(EmailNotVerified):
        await world.checkout(await world.customer(verified=False))
    with pytest.raises(PriceNotFound):
        await world.checkout(await world.customer(), currency="JPY", interval=BillingInterval.MONTH)
    assert world.gateway.checkouts == {}


async def test_checkout_asks_the_provider_with_the_order_id_as_idempotency_key() -> None:
    world = await purchase_world()
    order = await world.checkout(await world.customer(), currency="JPY", country="JP")
    request = next(iter(world.gateway.checkouts.values()))
    assert (request.order_id, request.idempotency_key) == (order.id, str(order.id))
    assert (request.currency, request.lines[0].unit_amount, request.lines[0].tax_amount) == ("JPY", 15000, 0)
    assert order.status is OrderStatus.AWAITING_PAYMENT and order.redirect_url


async def test_a_lost_provider_answer_leaves_the_order_for_the_reconciler() -> None:
    world = await purchase_world()
    world.gateway.time_out_next, world.gateway.land_on_timeout = 1, True
    order = await world.checkout(await world.customer())
    assert order.status is OrderStatus.CHECKOUT_UNKNOWN and order.redirect_url is None
    world.clock.advance(timedelta(minutes=2))
    async with world.container() as scope:
        report = await (await scope.get(ReconcileUnknownCheckouts))()
    async with world.container() as scope:
        seen = await (await scope.get(GetOrder))(Actor(order.user_id), order.id)
    assert report.found == 1 and seen.status is OrderStatus.AWAITING_PAYMENT and seen.redirect_url


async def test_the_provider_is_asked_before_anything_is_written_and_a_crash_after_it_leaves_no_order() -> None:
    """The order is written once, with the provider's session, after the provider answered: a
    crash in between leaves an open session nobody was sent to, no half-written order, and the
    buyer's retry is a new order of its own."""
    world = await purchase_world()
    buyer = await world.customer()
    world.gateway.crash_after_next_checkout = True
    with pytest.raises(CheckoutCrashed):
        await world.checkout(buyer)
    orders = (await world.container.get(MemoryStore)).table("billing_orders")
    assert orders == {} and len(world.gateway.checkouts) == 1
    order = await world.checkout(buyer)
    assert order.status is OrderStatus.AWAITING_PAYMENT and list(orders) == [order.id]
    assert world.gateway.checkouts[order.redirect_url.rsplit("/", 1)[1]].order_id == order.id


async def test_a_checkout_that_never_landed_is_cancelled_after_an_hour() -> None:
    world = await purchase_world()
    world.gateway.time_out_next = 1
    order = await world.checkout(await world.customer())
    world.clock.advance(timedelta(hours=2))
    async with world.container() as scope:
        report = await (await scope.get(ReconcileUnknownCheckouts))()
    assert report.cancelled == 1
    async with world.container() as scope:
        assert (await (await scope.get(GetOrder))(Actor(order.user_id), order.id)).status is OrderStatus.CANCELLED


async def test_orders_are_private_to_their_buyer_and_visible_to_admins() -> None:
    world = await purchase_world()
    order = await world.checkout(await world.customer())
    stranger = await world.customer()
    async with world.container() as scope:
        with pytest.raises(OrderNotFound):
            await (await scope.get(GetOrder))(Actor(stranger), order.id)
        assert await (await scope.get(ListOrders))(Actor(stranger)) == []
        assert [
            v.id for v in await (await scope.get(ListOrders))(Actor.holding(stranger, BillingPermission.ADMIN))
        ] == [order.id]


async def paid_purchase(world: PurchaseWorld, **options: object) -> tuple[object, list[object]]:
    buyer = await world.customer()
    order = await world.checkout(buyer, **options)
    events = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*events)
    return order, events


async def license_statuses(world: PurchaseWorld, user_id: object) -> list[LicenseStatus]:
    async with world.container() as scope:
        return [lic.status for lic in await (await scope.get(LicenseRepository)).list_for_user(user_id)]  # type: ignore[arg-type]


async def test_a_partial_refund_keeps_the_license_and_a_full_one_revokes_it() -> None:
    world = await purchase_world()
    order, events = await paid_purchase(world)
    payment_id = events[1].payment_id  # type: ignore[attr-defined]
    refund = world.gateway.refund_at_provider(payment_id, 1000, at=world.clock.now())
    await world.deliver(refund)
    assert await license_statuses(world, order.user_id) == [LicenseStatus.ACTIVE]  # type: ignore[attr-defined]
    await world.deliver(world.gateway.refund_at_provider(payment_id, 8900, at=world.clock.now()), refund)
    assert await license_statuses(world, order.user_id) == [LicenseStatus.REVOKED]  # type: ignore[attr-defined]
    async with world.container() as scope:
        seen = await (await scope.get(GetOrder))(Actor(order.user_id), order.id)  # type: ignore[attr-defined]
    assert (seen.status, seen.refunded) == (OrderStatus.REFUNDED, 9900)


async def test_a_lost_dispute_revokes_the_license_and_a_won_one_does_not() -> None:
    world = await purchase_world()
    order, events = await paid_purchase(world)
    payment_id = events[1].payment_id  # type: ignore[attr-defined]
    await world.deliver(world.gateway.open_dispute(payment_id), world.gateway.close_dispute(payment_id, lost=False))
    assert await license_statuses(world, order.user_id) == [LicenseStatus.ACTIVE]  # type: ignore[attr-defined]
    await world.deliver(world.gateway.open_dispute(payment_id), world.gateway.close_dispute(payment_id, lost=True))
    assert await license_statuses(world, order.user_id) == [LicenseStatus.REVOKED]  # type: ignore[attr-defined]


async def test_a_payment_of_the_wrong_amount_fulfils_nothing_and_is_flagged() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    other = await world.checkout(buyer)
    short = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now(), amount=100)
    await world.deliver(*short, *short)
    async with world.container() as scope:
        seen = await (await scope.get(GetOrder))(Actor(buyer), other.id)
    assert seen.status is OrderStatus.AWAITING_PAYMENT
    assert seen.payment_problem == "Paid 1.00 EUR, but the order's total is 99.00 EUR."
    assert await license_statuses(world, buyer) == []
    store = await world.container.get(MemoryStore)
    assert {entry.outcome for entry in store.table("billing_inbox").values()} == {"applied", "no change"}
    outbox = [row["event"].name for row in store.table("outbox").values()]
    assert outbox.count("billing.payment_mismatched") == 1 and "billing.order_paid" not in outbox
