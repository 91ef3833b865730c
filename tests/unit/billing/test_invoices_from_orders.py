"""Documents read the orders' own aggregates (``OrdersForInvoices``): the invoice shows exactly
what the order charged, the refund window comes from the catalog, and a refund moves the order's
running total so it records ``billing.order_refunded`` once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.adapters.tax.rates_table import RatesTableTaxCalculator
from devforge.application.billing.invoice_ports import InvoiceRepository
from devforge.application.billing.ports import CatalogRepository, OrderRepository, TaxCalculator
from devforge.application.billing.publication import PUBLICATION
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.common.actor import Actor
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order, OrderLine, OrderStatus
from devforge.domain.billing.tax import TaxedAmount, tax_from_net

EUR = Currency("EUR")


async def paid_order(container: AsyncContainer, clock: ManualClock) -> Order:
    now = clock.now()
    product = CatalogProduct(uuid4(), "df-pro", "Dev Forge Pro", ProductKind.EDITOR_PLAN, None, 30, now)
    product.prices.append(Price(Money(4900, EUR), BillingInterval.YEAR))
    amounts = tax_from_net(Money(9800, EUR), 1900)
    line = OrderLine("df-pro", "Dev Forge Pro", None, BillingInterval.YEAR, Money(4900, EUR), 2, amounts)
    order = Order(
        id=uuid4(),
        user_id=uuid4(),
        email="buyer@example.com",
        currency=EUR,
        lines=(line,),
        total=amounts,
        prices_include_tax=False,
        tax_country="DE",
        tax_region=None,
        vat_id=None,
        reverse_charge=False,
        tax_quote_id="q_1",
        created_at=now,
        updated_at=now,
    )
    order.pay("pi_42", amounts.gross, now)
    async with container() as scope:
        await (await scope.get(CatalogRepository)).add(product)
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).commit()
    return order


async def test_an_order_paid_is_invoiced_as_charged_and_a_refund_updates_the_order(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    order = await paid_order(memory_container, clock)
    [paid] = [PUBLICATION.envelope(event) for event in order.pull_events()]
    async with memory_container() as scope:
        await (await scope.get(WhenOrderPaidIssueInvoice)).handle(paid)
        await (await scope.get(UnitOfWork)).commit()
    async with memory_container() as scope:
        invoice = await (await scope.get(InvoiceRepository)).get_by_order(order.id)
    assert invoice is not None and invoice.total == order.total and invoice.payment_id == "pi_42"
    assert invoice.lines[0].description == "Dev Forge Pro (yearly)" and str(invoice.lines[0].tax_rate) == "19 %"
    assert invoice.refund_window_ends_at == order.paid_at + timedelta(days=30)

    async with memory_container() as scope:
        done = await (await scope.get(RefundOrderHandler))(Actor(order.user_id), RefundOrder(order.id, 1000))
    assert done.credit_note is not None
    gateway = await memory_container.get(InMemoryPaymentGateway)
    assert [r.amount for r in gateway.refunds.values()] == [1000]
    async with memory_container() as scope:
        stored = await (await scope.get(OrderRepository)).get(order.id)
        events = await (await scope.get(Outbox)).claim_unrelayed(100)
    assert stored is not None and stored.status is OrderStatus.PARTIALLY_REFUNDED
    tax = await memory_container.get(TaxCalculator)
    assert isinstance(tax, RatesTableTaxCalculator)
    assert tax.refunds == {f"{order.id}:refund:1000": TaxedAmount.of(Money(840, EUR), Money(160, EUR))}
    refunded = [e.payload for e in events if e.name == "billing.order_refunded"]
    assert refunded == [
        {
            "order_id": str(order.id),
            "user_id": str(order.user_id),
            "amount": 1000,
            "currency": "EUR",
            "full": False,
            "licensed": False,
        }
    ]
