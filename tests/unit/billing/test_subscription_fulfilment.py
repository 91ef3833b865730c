"""A subscription's life as licensing sees it: the license expires when what was paid runs out
(the period's end plus the grace period), each paid renewal moves the expiry on, a failed
renewal leaves the grace period, a failure after it suspends, a paid renewal reinstates, and an
ended subscription lets the license lapse at the end of the period paid for."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from devforge.application.billing.manage_catalog import (
    CreateCatalogProduct,
    CreateCatalogProductHandler,
    SetPrice,
    SetPriceHandler,
)
from devforge.application.licensing.caller import Caller
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.ports import LicenseRepository
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.billing.subscription import GRACE_PERIOD, next_period_end
from devforge.domain.licensing.license import License, LicenseStatus
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

MONTH = BillingInterval.MONTH


async def monthly_plan(world: PurchaseWorld) -> None:
    """Like the seeded editor plans: the policy has no duration of its own."""
    admin = Caller(uuid4(), is_admin=True)
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


async def test_a_subscription_renews_lapses_comes_back_and_ends() -> None:
    world = await purchase_world()
    buyer, subscription_id, first_end = await subscribed(world)

    world.clock.advance(first_end - world.clock.now())
    failed = world.gateway.fail_renewal(subscription_id, at=world.clock.now())
    await world.deliver(failed)
    assert (await the_license(world, buyer)).status is LicenseStatus.ACTIVE  # the grace period

    world.clock.advance(GRACE_PERIOD)
    await world.deliver(world.gateway.fail_renewal(subscription_id, at=world.clock.now()), failed)
    assert (await the_license(world, buyer)).status is LicenseStatus.SUSPENDED

    await world.deliver(world.gateway.renew(subscription_id, at=world.clock.now()), failed)  # paid at last
    second_end = next_period_end(first_end, MONTH)
    renewed = await the_license(world, buyer)
    assert (renewed.status, renewed.expires_at) == (LicenseStatus.ACTIVE, second_end + GRACE_PERIOD)

    await world.deliver(world.gateway.end_subscription(subscription_id, at=world.clock.now()))
    ended = await the_license(world, buyer)
    assert (ended.status, ended.expires_at) == (LicenseStatus.ACTIVE, second_end)  # lapses when the paid period ends
