"""A purchase's provider events delivered 5x over, reordered, and with one lost then replayed:
exactly one order paid, one license issued, one invoice, one receipt mailed (carrying that
license's key), and a ledger that balances with the sale posted once."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import timedelta

from devforge.application.billing.invoice_ports import InvoiceRepository, LedgerRepository
from devforge.application.billing.list_orders import GetOrder
from devforge.application.billing.receive_provider_event import ReplayProviderEvents
from devforge.application.common.actor import Actor
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.domain.billing.order import OrderStatus
from devforge.domain.licensing.license import LicenseStatus
from tests.outbox_drain import drain
from tests.unit.billing.purchase_world import purchase_world


async def test_duplicated_reordered_and_lost_events_fulfil_the_order_exactly_once() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    order = await world.checkout(buyer)
    session_id = next(iter(world.gateway.checkouts))
    completed, succeeded = world.gateway.complete_checkout(session_id, at=world.clock.now())
    late_failure = world.gateway.emit(
        replace(succeeded, event_id="evt_late_failure", type="payment.failed", created=world.clock.now())
    )
    delivered = [completed, late_failure] * 5  # ``succeeded`` is lost on the way
    random.Random(7).shuffle(delivered)

    await world.deliver(*delivered)
    async with world.container() as scope:
        await (await scope.get(ReplayProviderEvents))(world.clock.now() - timedelta(hours=1))
    await drain(world.container, rounds=10)
    await world.deliver(completed, succeeded, late_failure)

    async with world.container() as scope:
        seen = await (await scope.get(GetOrder))(Actor(buyer), order.id)
        licenses = await (await scope.get(LicenseRepository)).list_for_user(buyer)
        digests = await scope.get(LicenseKeyDigests)
        invoices = await scope.get(InvoiceRepository)
        invoice = await invoices.get_by_order(order.id)
        ledger = await scope.get(LedgerRepository)
        assert invoice is not None
        transactions = await ledger.transactions(invoice.currency)
        balances = await ledger.balances(invoice.currency)
    assert seen.status is OrderStatus.PAID
    assert invoice.order_id == order.id and invoice.number is not None
    assert [t.idempotency_id for t in transactions].count(f"sale:{order.id}") == 1
    assert all(sum(e.amount.amount_minor for e in t.entries) == 0 for t in transactions)
    assert sum(money.amount_minor for money in balances.values()) == 0
    assert [(lic.order_id, lic.status) for lic in licenses] == [(order.id, LicenseStatus.ACTIVE)]
    receipts = (await world.mails()).sent
    assert len(receipts) == 1
    key = re.search(r"license key: (DF-[0-9A-Z-]+)", receipts[0].text)
    assert key is not None and digests.digest(key.group(1)) == licenses[0].key_digest


async def test_an_unlicensed_purchase_is_receipted_on_payment_without_a_key() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    await world.checkout(buyer, product="theme-pack")
    events = world.gateway.complete_checkout(next(iter(world.gateway.checkouts)), at=world.clock.now())
    await world.deliver(*events, *events)

    receipts = (await world.mails()).sent
    assert len(receipts) == 1
    assert "license key" not in receipts[0].text and "5.00 EUR" in receipts[0].text
