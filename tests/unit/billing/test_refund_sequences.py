"""Property: whatever sequence of refunds is asked of an order (partial, full, too much, some
refused by the provider, some timing out), the use cases never return more than the invoice,
credit notes sum exactly to the money returned, and the ledger balances to the minor unit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from dishka import AsyncContainer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.get_invoice import GetInvoice
from devforge.application.billing.invoice_ports import InvoiceRepository, LedgerRepository
from devforge.application.billing.payment_gateway import ProviderRefund, RefundRequest
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RefundExceedsRemaining
from devforge.domain.billing.ledger import CLEARING, PROCESSOR_FEES, Account
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import RefundStatus
from tests.unit.billing.documents import NOW, line, order_paid_event, paid_order
from tests.unit.billing.documents_container import documents_container


@dataclass
class MoodyGateway(InMemoryPaymentGateway):
    """Refuses the refunds whose amount is odd, so some refunds fail at the provider."""

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        answer = await super().refund(request)
        return ProviderRefund(answer.provider_refund_id, "failed" if request.amount % 2 else "succeeded")


EUR = Currency("EUR")
asks = st.lists(st.tuples(st.one_of(st.none(), st.integers(min_value=1, max_value=30_000)), st.booleans()), max_size=8)


@pytest.fixture
def orders() -> InMemoryPaidOrders:
    return InMemoryPaidOrders()


@pytest.fixture
def gateway() -> MoodyGateway:
    return MoodyGateway()


@pytest.fixture
async def container(orders: InMemoryPaidOrders, gateway: MoodyGateway) -> AsyncIterator[AsyncContainer]:
    """One container for every example (each example buys its own order): building one is slow."""
    built = documents_container(orders, gateway, ManualClock(NOW))
    yield built
    await built.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asks, st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=3))
async def test_any_sequence_of_refunds_never_returns_more_than_the_invoice_and_always_sums_exactly(
    container: AsyncContainer,
    orders: InMemoryPaidOrders,
    gateway: MoodyGateway,
    amounts: list[tuple[int | None, bool]],
    prices: list[int],
) -> None:
    order = paid_order(*(line(price, rate_bp=rate) for price, rate in zip(prices, (1900, 700, 0), strict=False)))
    orders.add(order)
    reader = Actor(order.user_id)
    async with container() as scope:
        clearing_before = cash(await (await scope.get(LedgerRepository)).balances(EUR))
        await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(order))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        invoice = await (await scope.get(InvoiceRepository)).get_by_order(order.order_id)
    assert invoice is not None
    gross = invoice.total.gross
    returned = Money.zero(EUR)
    for amount, time_out in amounts:
        gateway.time_out_next, gateway.land_on_timeout = int(time_out), True
        async with container() as scope:
            try:
                done = await (await scope.get(RefundOrderHandler))(reader, RefundOrder(order.order_id, amount))
            except RefundExceedsRemaining:
                continue
        if done.refund.returns_money:
            returned = returned + done.refund.amount
            assert done.credit_note is not None and done.credit_note.total.gross == done.refund.amount
        else:
            assert done.credit_note is None and done.refund.status in (RefundStatus.FAILED, RefundStatus.UNKNOWN)
    async with container() as scope:
        view = await (await scope.get(GetInvoice))(reader, invoice.id)
        ledger = await (await scope.get(LedgerRepository)).balances(EUR)
    credited = Money.total((note.total.gross for note in view.credit_notes), EUR)
    assert credited == returned and returned <= gross
    assert sum(m.amount_minor for m in ledger.values()) == 0
    assert cash(ledger) - clearing_before == gross - returned
    assert view.refundable.amount_minor >= 0


def cash(ledger: dict[Account, Money]) -> Money:
    """What the processor holds for us before its fee (the fee's estimate is the platform's cost)."""
    return ledger.get(CLEARING, Money.zero(EUR)) + ledger.get(PROCESSOR_FEES, Money.zero(EUR))
