"""Builders for billing's documents in tests: a paid order, an issued invoice, an order-paid event."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from devforge.application.billing.invoice_ports import PaidOrder
from devforge.application.billing.published import OrderLineV1, OrderPaidV1
from devforge.application.common.integration_events import EventEnvelope
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice, InvoiceLine, Party
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
SELLER = Party("Dev Forge Services GmbH", "billing@devforge.dev", ("Hauptstr. 1", "10115 Berlin"), "DE", "DE123456789")
BUYER = Party("Zoë Łukasiewicz", "zoe@example.com", ("ul. Piotrkowska 3", "90-001 Łódź"), "PL", None)


def line(
    amount: int, currency: str = "EUR", *, rate_bp: int = 1900, quantity: int = 1, name: str = "Dev Forge Pro"
) -> InvoiceLine:
    return InvoiceLine(name, quantity, Money.of(amount, currency), Rate.from_basis_points(rate_bp), "df-pro")


def draft(
    *lines: InvoiceLine, currency: str = "EUR", user_id: UUID | None = None, order_id: UUID | None = None
) -> Invoice:
    return Invoice(
        id=uuid4(),
        user_id=user_id or uuid4(),
        order_id=order_id,
        currency=Currency(currency),
        seller=SELLER,
        buyer=BUYER,
        lines=lines or (line(4900, currency),),
        created_at=NOW,
    )


def issued(*lines: InvoiceLine, currency: str = "EUR", sequence: int = 1, paid: bool = True) -> Invoice:
    invoice = draft(*lines, currency=currency, order_id=uuid4())
    invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, sequence), NOW)
    if paid:
        invoice.mark_paid("pi_123", NOW)
    invoice.pull_events()
    return invoice


def paid_order(
    *lines: InvoiceLine, user_id: UUID | None = None, currency: str = "EUR", refund_window_days: int = 14
) -> PaidOrder:
    return PaidOrder(
        order_id=uuid4(),
        user_id=user_id or uuid4(),
        currency=Currency(currency),
        buyer=BUYER,
        lines=lines or (line(4900, currency), line(1000, currency, rate_bp=700, quantity=3, name="Extension pack")),
        paid_at=NOW,
        payment_id=f"pi_{uuid4().hex[:10]}",
        refund_window_days=refund_window_days,
    )


def order_paid_event(order: PaidOrder) -> EventEnvelope:
    return OrderPaidV1(
        order_id=order.order_id,
        user_id=order.user_id,
        email=order.buyer.email,
        currency=order.currency.code,
        total=0,
        lines=tuple(
            OrderLineV1(product_code=ln.product_code or "", policy_id=None, quantity=ln.quantity) for ln in order.lines
        ),
    ).envelope(order.paid_at)
