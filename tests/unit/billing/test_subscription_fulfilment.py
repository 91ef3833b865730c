"""A subscription's life as licensing sees it: renewals extend the license, a failed renewal
leaves a grace period, a failure after it suspends, a paid renewal reinstates, the end revokes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

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
from devforge.domain.billing.subscription import GRACE_PERIOD
from devforge.domain.licensing.license import License, LicenseStatus
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

MONTH = timedelta(days=30)


async def monthly_plan(world: PurchaseWorld) -> None:
    admin = Caller(uuid4(), is_admin=True)
    async with world.container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct("editor-monthly", "Monthly"))
    async with world.container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(
            admin, CreatePolicy(product.id, "Monthly", {"duration": MONTH})
        )
    async with world.container() as scope:
        await (await scope.get(CreateCatalogProductHandler))(
            CreateCatalogProduct("editor-monthly", "Pro monthly", ProductKind.EDITOR_PLAN, str(policy.id))
        )
    async with world.container() as scope:
        await (await scope.get(SetPriceHandler))(SetPrice("editor-monthly", "EUR", BillingInterval.MONTH, 1000, True))


async def the_license(world: PurchaseWorld, user_id: object) -> License:
    async with world.container() as scope:
        (license,) = await (await scope.get(LicenseRepository)).list_for_user(user_id)  # type: ignore[arg-type]
    return license


async def test_a_subscription_renews_lapses_comes_back_and_ends() -> None:
    world = await purchase_world()
    await monthly_plan(world)
    buyer = await world.customer()
    await world.checkout(buyer, product="editor-monthly", interval=BillingInterval.MONTH)
    start = world.clock.now()
    completed, succeeded = world.gateway.complete_checkout(next(iter(world.gateway.checkouts)), at=start)
    first_invoice = replace(completed, event_id="evt_inv_1", type="invoice.paid", period_end=start + MONTH)
    await world.deliver(completed, succeeded, first_invoice)
    issued = await the_license(world, buyer)
    assert issued.status is LicenseStatus.ACTIVE and issued.expires_at == start + MONTH

    world.clock.advance(MONTH)
    await world.deliver(replace(first_invoice, event_id="evt_inv_2", period_end=start + 2 * MONTH))
    assert (await the_license(world, buyer)).expires_at == start + 2 * MONTH

    world.clock.advance(MONTH)
    failed = replace(first_invoice, event_id="evt_fail_1", type="invoice.payment_failed", period_end=None)
    await world.deliver(failed)
    assert (await the_license(world, buyer)).status is LicenseStatus.ACTIVE  # the grace period

    world.clock.advance(GRACE_PERIOD)
    await world.deliver(replace(failed, event_id="evt_fail_2"))
    assert (await the_license(world, buyer)).status is LicenseStatus.SUSPENDED

    await world.deliver(replace(first_invoice, event_id="evt_inv_3", period_end=start + 3 * MONTH))
    assert (await the_license(world, buyer)).status is LicenseStatus.ACTIVE

    await world.deliver(replace(first_invoice, event_id="evt_end", type="subscription.deleted", period_end=None))
    assert (await the_license(world, buyer)).status is LicenseStatus.REVOKED
