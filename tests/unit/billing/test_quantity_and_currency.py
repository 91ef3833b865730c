"""What a payment buys: a quantity is licensed as many times as it is charged, and only the
order's total in the order's currency pays it.

- A floating product bought 3 times is one license with 3 times the seats (one key a team
  shares); a node-locked product, which allows one machine per license, is one license per
  unit, and the one receipt carries every key.
- 29,900 JPY does not pay a 299.00 USD order (the figures match, the currencies do not): the
  order stays unpaid and is flagged, nothing is licensed, invoiced or receipted.
"""

from __future__ import annotations

import re
from uuid import uuid4

from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.invoice_ports import InvoiceRepository
from devforge.application.billing.list_orders import GetOrder
from devforge.application.billing.manage_catalog import (
    CreateCatalogProduct,
    CreateCatalogProductHandler,
    SetPrice,
    SetPriceHandler,
)
from devforge.application.common.actor import Actor
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.billing.order import OrderStatus
from devforge.domain.licensing.permissions import LicensingPermission
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world


async def node_locked_plugin(world: PurchaseWorld) -> None:
    admin = Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with world.container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct("profiler", "Profiler"))
    async with world.container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(admin, CreatePolicy(product.id, "Seat", {}))
    async with world.container() as scope:
        await (await scope.get(CreateCatalogProductHandler))(
            CreateCatalogProduct("profiler", "Profiler", ProductKind.EXTENSION, str(policy.id))
        )
    async with world.container() as scope:
        await (await scope.get(SetPriceHandler))(SetPrice("profiler", "EUR", BillingInterval.ONE_TIME, 2000, True))


async def test_three_of_a_floating_plan_are_one_license_with_three_times_the_seats() -> None:
    """It used to charge three times and issue one license with the seats of one."""
    world = await purchase_world()
    buyer = await world.customer()
    order = await world.checkout(buyer, quantity=3)
    assert order.total.gross.amount_minor == 3 * 9900
    events = world.gateway.complete_checkout(next(iter(world.gateway.checkouts)), at=world.clock.now())
    await world.deliver(*events, *events)
    async with world.container() as scope:
        licenses = await (await scope.get(LicenseRepository)).list_for_user(buyer)
    assert [(lic.order_id, lic.terms.max_machines, lic.policy.max_machines) for lic in licenses] == [(order.id, 9, 3)]


async def test_two_of_a_node_locked_product_are_two_licenses_and_one_receipt_with_both_keys() -> None:
    world = await purchase_world()
    await node_locked_plugin(world)
    buyer = await world.customer()
    await world.checkout(buyer, product="profiler", quantity=2)
    events = world.gateway.complete_checkout(next(iter(world.gateway.checkouts)), at=world.clock.now())
    await world.deliver(*events, *events)
    async with world.container() as scope:
        licenses = await (await scope.get(LicenseRepository)).list_for_user(buyer)
        digests = await scope.get(LicenseKeyDigests)
    assert [lic.terms.max_machines for lic in licenses] == [1, 1]
    (receipt,) = (await world.mails()).sent
    keys = re.findall(r"license keys: (DF-[0-9A-Z-]+)", receipt.text)
    assert sorted(digests.digest(key) for key in keys) == sorted(lic.key_digest for lic in licenses)


async def test_the_same_figure_in_another_currency_pays_nothing() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    order = await world.checkout(buyer, currency="USD", country="US")
    assert (order.total.gross.amount_minor, order.currency) == (9900, "USD")
    session = next(iter(world.gateway.checkouts))
    await world.deliver(*world.gateway.complete_checkout(session, at=world.clock.now(), currency="JPY"))
    async with world.container() as scope:
        seen = await (await scope.get(GetOrder))(Actor(buyer), order.id)
        licenses = await (await scope.get(LicenseRepository)).list_for_user(buyer)
        invoice = await (await scope.get(InvoiceRepository)).get_by_order(order.id)
    assert seen.status is OrderStatus.AWAITING_PAYMENT and (licenses, invoice) == ([], None)
    assert seen.payment_problem == "Paid 9,900 JPY, but the order's total is 99.00 USD."
    assert (await world.mails()).sent == []
    store = await world.container.get(MemoryStore)
    assert [row["event"].name for row in store.table("outbox").values()].count("billing.payment_mismatched") == 1
