"""Invoices' view of orders: ``PaidOrders`` and ``OrderRefunds`` served by the orders' repository
and the catalog (one context, so documents read orders directly, not through events).

The invoice lines carry exactly the amounts the order charged (its tax quote was rounded once
for the whole order); the rate shown per line is that tax over that net, in basis points. The
refund window is the shortest of the order's products' windows. The notes say who accounts for
the VAT: the reverse charge with the VIES consultation that verified the buyer's VAT id (number
and date), or the order's tax note when the id could not be verified and VAT was charged.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from uuid import UUID

from devforge.application.billing.invoice_ports import PaidOrder
from devforge.application.billing.ports import CatalogRepository, OrderRepository, TaxCalculator
from devforge.application.billing.publication import record_events
from devforge.application.common.outbox import Outbox
from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.invoice import InvoiceLine, Party
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order, OrderLine
from devforge.domain.billing.rate import BASIS_POINTS_PER_UNIT, Rate
from devforge.domain.billing.rounding import round_to_minor
from devforge.domain.billing.seller_shares import SellerLine, seller_line
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress

DEFAULT_REFUND_WINDOW_DAYS = 14
REVERSE_CHARGE_NOTE = "Reverse charge: VAT to be accounted for by the recipient."


def invoice_notes(order: Order) -> tuple[str, ...]:
    notes: list[str] = []
    if order.reverse_charge:
        notes.append(REVERSE_CHARGE_NOTE)
    check = order.vat_id_check
    if order.reverse_charge and check is not None and check.valid:
        when = f" on {check.checked_at:%Y-%m-%d}" if check.checked_at else ""
        number = f", consultation number {check.consultation_number}" if check.consultation_number else ""
        notes.append(f"VAT id {check.vat_id} verified with VIES{when}{number}.")
    if order.tax_note:
        notes.append(order.tax_note)
    return tuple(notes)


def _shown_rate(line: OrderLine) -> Rate:
    net, tax = line.amounts.net.amount_minor, line.amounts.tax.amount_minor
    if net == 0 or tax == 0:
        return Rate.zero()
    return Rate.from_basis_points(round_to_minor(Fraction(tax * BASIS_POINTS_PER_UNIT, net)))


def _line(line: OrderLine) -> InvoiceLine:
    every = {"month": " (monthly)", "year": " (yearly)"}.get(line.interval.value, "")
    return InvoiceLine(
        description=f"{line.product_name}{every}",
        quantity=line.quantity,
        unit_amount=line.unit_amount,
        tax_rate=_shown_rate(line),
        product_code=line.product_code,
        amounts=line.amounts,
    )


def _seller_lines(order: Order) -> tuple[SellerLine | None, ...]:
    return tuple(seller_line(line.amounts, line.seller_id, line.commission_bp) for line in order.lines)


class OrdersForInvoices:
    def __init__(self, orders: OrderRepository, catalog: CatalogRepository, tax: TaxCalculator, outbox: Outbox) -> None:
        self._orders, self._catalog, self._tax, self._outbox = orders, catalog, tax, outbox

    async def get(self, order_id: UUID) -> PaidOrder | None:
        order = await self._orders.get(order_id)
        if order is None or not order.status.is_paid or order.paid_at is None:
            return None
        return PaidOrder(
            order_id=order.id,
            user_id=order.user_id,
            currency=order.currency,
            buyer=Party(name=order.email, email=order.email, country=order.tax_country, vat_id=order.vat_id),
            lines=tuple(_line(line) for line in order.lines),
            paid_at=order.paid_at,
            payment_id=order.payment_id,
            prices_include_tax=order.prices_include_tax,
            refund_window_days=await self._refund_window(order),
            notes=invoice_notes(order),
            sellers=_seller_lines(order),
        )

    async def seller_lines(self, order_id: UUID) -> tuple[SellerLine | None, ...]:
        order = await self._orders.get(order_id)
        return _seller_lines(order) if order is not None else ()

    async def _refund_window(self, order: Order) -> int:
        windows = []
        for line in order.lines:
            product = await self._catalog.get_by_code(line.product_code)
            windows.append(product.refund_window_days if product else DEFAULT_REFUND_WINDOW_DAYS)
        return min(windows, default=DEFAULT_REFUND_WINDOW_DAYS)

    async def refunded_total(self, order_id: UUID) -> Money | None:
        order = await self._orders.get(order_id)
        return order.refunded_amount if order else None

    async def refunded_to(self, order_id: UUID, total_refunded: Money, now: datetime) -> None:
        """Records ``billing.order_refunded`` through the order itself, in the caller's transaction,
        and reports the tax that went back, exactly as the provider's ``charge.refunded`` would
        (same split, same refund id: whichever comes first reports it, the other is old news)."""
        order = await self._orders.get(order_id, for_update=True)
        if order is None:
            return
        before = order.refunded_amount
        if not order.refunded_to(total_refunded, now):
            return
        weights = [order.total.net.amount_minor, order.total.tax.amount_minor]
        net, tax = allocate(order.refunded_amount - before, weights)
        refund_id = f"{order.id}:refund:{order.refunded_amount.amount_minor}"
        address = TaxAddress(order.tax_country, order.tax_region, order.vat_id)
        await self._tax.reverse(str(order.id), refund_id, address, TaxedAmount.of(net, tax))
        await self._orders.update(order)
        await record_events(self._outbox, order)
