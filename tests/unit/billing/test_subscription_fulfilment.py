"""A subscription's life: the license expires when what was paid runs out (the period's end plus
the grace period) and each paid renewal moves the expiry on, with its own invoice, receipt and
ledger sale; a failed renewal mails the buyer and leaves the grace period, a failure after it
mails again and suspends, a paid renewal reinstates; an ended subscription lets the license
lapse at the end of the period paid for; a refunded one is cancelled at the provider; and a
checkout read before its payment event still knows the payment it can be refunded through."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from devforge.application.billing.invoice_ports import InvoiceRepository, LedgerRepository
from devforge.application.billing.manage_catalog import (
    CreateCatalogProduct,
    CreateCatalogProductHandler,
    SetPrice,
    SetPriceHandler,
)
from devforge.application.billing.ports import OrderRepository, SubscriptionRepository
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.subscription_mails import PAYMENT_FAILED, RENEWED, SUSPENDED
from devforge.application.common.actor import Actor
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.ports import LicenseRepository
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.subscription import GRACE_PERIOD, SubscriptionStatus, next_period_end
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.permissions import LicensingPermission
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

MONTH = BillingInterval.MONTH


async def monthly_plan(world: PurchaseWorld) -> None:
    """Like the seeded editor plans: the policy has no duration of its own."""
    admin = Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with world.container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct("editor-monthly", "Monthly"))
    async with world.container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(
            admin, CreatePolicy(product.id, "Monthly", {"floating": True, "max_machines": 3})
        )
    async with world.container() as scope:
        await (await scope.get(CreateCatalogProductHandler))(
            CreateCatalogProduct("editor-monthly", "Pro monthly", ProductKind.EDITOR_PLAN, str(policy.id))
        )
    async with world.container() as scope:
        await (await scope.get(SetPriceHandler))(SetPrice("editor-monthly", "EUR", MONTH, 1000, True))


async def the_license(world: PurchaseWorld, user_id: UUID) -> License:
    async with world.container() as scope:
        (license,) = await (await scope.get(LicenseRepository)).list_for_user(user_id)
    return license


async def subscribed(world: PurchaseWorld) -> tuple[UUID, str, datetime]:
    """A buyer with a paid monthly subscription: (buyer, provider subscription id, first period end)."""
    await monthly_plan(world)
    buyer = await world.customer()
    await world.checkout(buyer, product="editor-monthly", interval=MONTH)
    events = world.gateway.complete_checkout(next(iter(world.gateway.checkouts)), at=world.clock.now())
    await world.deliver(*events)
    subscription_id = events[0].subscription_id
    assert subscription_id is not None
    return buyer, subscription_id, next_period_end(world.clock.now(), MONTH)


async def test_a_subscription_license_expires_with_what_was_paid_and_renewals_extend_it() -> None:
    """It used to be issued with no expiry at all: an unpaid subscription kept a valid license."""
    world = await purchase_world()
    buyer, subscription_id, first_end = await subscribed(world)
    issued = await the_license(world, buyer)
    assert issued.status is LicenseStatus.ACTIVE and issued.expires_at == first_end + GRACE_PERIOD

    world.clock.advance(first_end - world.clock.now())
    await world.deliver(world.gateway.renew(subscription_id, at=world.clock.now()))
    second_end = next_period_end(first_end, MONTH)
    assert (await the_license(world, buyer)).expires_at == second_end + GRACE_PERIOD


async def test_each_paid_renewal_is_invoiced_receipted_and_posted_once() -> None:
    """Renewals used to produce no invoice, no receipt and no ledger entry."""
    world = await purchase_world()
    buyer, subscription_id, first_end = await subscribed(world)
    world.clock.advance(first_end - world.clock.now())
    renewal = world.gateway.renew(subscription_id, at=world.clock.now())
    await world.deliver(renewal, renewal)
    async with world.container() as scope:
        (order,) = await (await scope.get(OrderRepository)).list_for_user(buyer, limit=5, offset=0)
        invoices = await scope.get(InvoiceRepository)
        purchase = await invoices.get_by_order(order.id)
        renewed = await invoices.get_by_renewal(order.id, renewal.object_id)
        ledger = await (await scope.get(LedgerRepository)).transactions(Currency("EUR"))
    assert purchase is not None and renewed is not None and purchase.id != renewed.id
    assert [str(purchase.number), str(renewed.number)] == ["DF-2026-000001", "DF-2026-000002"]
    assert (renewed.status.value, renewed.payment_id, renewed.total) == ("paid", renewal.payment_id, purchase.total)
    sales = [t.idempotency_id for t in ledger if t.idempotency_id.startswith("sale:")]
    assert sales == [f"sale:{order.id}", f"sale:{order.id}:{renewal.object_id}"]
    subjects = [mail.subject for mail in (await world.mails()).sent]
    assert subjects.count(RENEWED.subject) == 1 and len(subjects) == 2  # the purchase's receipt and the renewal's


async def test_a_subscription_renews_lapses_comes_back_and_ends() -> None:
    world = await purchase_world()
    buyer, subscription_id, first_end = await subscribed(world)

    world.clock.advance(first_end - world.clock.now())
    failed = world.gateway.fail_renewal(subscription_id, at=world.clock.now())
    await world.deliver(failed, failed)
    assert (await the_license(world, buyer)).status is LicenseStatus.ACTIVE  # the grace period
    assert [mail.subject for mail in (await world.mails()).sent][1:] == [
        PAYMENT_FAILED.subject
    ]  # failed renewals mailed nobody

    world.clock.advance(GRACE_PERIOD)
    await world.deliver(world.gateway.fail_renewal(subscription_id, at=world.clock.now()), failed)
    assert (await the_license(world, buyer)).status is LicenseStatus.SUSPENDED
    assert [mail.subject for mail in (await world.mails()).sent][1:] == [PAYMENT_FAILED.subject, SUSPENDED.subject]

    await world.deliver(world.gateway.renew(subscription_id, at=world.clock.now()), failed)  # paid at last
    second_end = next_period_end(first_end, MONTH)
    renewed = await the_license(world, buyer)
    assert (renewed.status, renewed.expires_at) == (LicenseStatus.ACTIVE, second_end + GRACE_PERIOD)

    await world.deliver(world.gateway.end_subscription(subscription_id, at=world.clock.now()))
    ended = await the_license(world, buyer)
    assert (ended.status, ended.expires_at) == (LicenseStatus.ACTIVE, second_end)  # lapses when the paid period ends


async def test_refunding_a_subscription_cancels_it_at_the_provider() -> None:
    """A refund used to revoke the license but leave the subscription running, charged monthly."""
    world = await purchase_world()
    buyer, subscription_id, _ = await subscribed(world)
    async with world.container() as scope:
        (order,) = await (await scope.get(OrderRepository)).list_for_user(buyer, limit=5, offset=0)
    async with world.container() as scope:
        refund = await (await scope.get(RefundOrderHandler))(Actor(buyer), RefundOrder(order.id, None, "no"))
    assert refund.refund.status.value == "succeeded"
    await world.deliver(*[e for e in world.gateway.events if e.type == "charge.refunded"])
    await world.deliver(*[e for e in world.gateway.events if e.type == "subscription.deleted"])
    assert world.gateway.cancelled == [subscription_id]
    assert world.gateway.subscriptions[subscription_id].ended
    async with world.container() as scope:
        ours = await (await scope.get(SubscriptionRepository)).get_by_provider_id(subscription_id)
    assert ours is not None and ours.status is SubscriptionStatus.CANCELLED
    assert (await the_license(world, buyer)).status is LicenseStatus.REVOKED


async def test_a_checkout_read_before_its_payment_event_keeps_the_payment_it_is_refunded_through() -> None:
    """Applied before the payment event, checkout.session.completed (which names no payment for a
    subscription) left the order without a payment id, and its refund answered 409."""
    world = await purchase_world()
    await monthly_plan(world)
    buyer = await world.customer()
    order = await world.checkout(buyer, product="editor-monthly", interval=MONTH)
    completed, succeeded, invoice_paid = world.gateway.complete_checkout(
        next(iter(world.gateway.checkouts)), at=world.clock.now()
    )
    assert completed.payment_id is None
    await world.deliver(completed)
    async with world.container() as scope:
        paid = await (await scope.get(OrderRepository)).get(order.id)
    assert paid is not None and paid.status.is_paid and paid.payment_id == succeeded.payment_id
    await world.deliver(succeeded, invoice_paid)
    async with world.container() as scope:
        refund = await (await scope.get(RefundOrderHandler))(Actor(buyer), RefundOrder(order.id, 500, "part"))
    assert refund.refund.status.value == "succeeded"
    assert [r.provider_payment_id for r in world.gateway.refunds.values()] == [succeeded.payment_id]
