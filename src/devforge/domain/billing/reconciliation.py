"""Reconciliation of orders, the ledger and the provider's balance transactions: every difference
listed, nothing on clean data.

Three views of the same money must agree for each paid order: the order (paid, its gross), the
ledger (its sale posting ``sale:<order>`` debiting processor clearing by the gross, and the fee of
its payment: the estimate plus any true-up), and the provider (the charge's balance transaction:
amount and fee). The differences, by kind:

- ``order_without_sale``: an order paid in the period with no sale posting;
- ``sale_without_order``: a sale posted in the period for no paid order;
- ``amount_differs``: the sale posting's gross, or the provider's charge, is not the order's gross;
- ``fee_differs``: the ledger's fee of a payment is not the provider's (an estimate not trued up);
- ``payment_missing_at_provider``: a paid order whose payment has no charge at the provider;
- ``provider_transaction_unknown``: a charge, refund or dispute movement at the provider naming a
  payment no order or invoice of ours knows.

The facts of the period are compared with the other sources read over a margin around it (a
sale is posted moments after its payment, a provider's record may carry the next second), so a
boundary is never a difference; only facts inside the period are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.billing.report_period import ReportPeriod

KNOWN_KINDS = ("charge", "refund", "dispute")


@dataclass(frozen=True, slots=True)
class PaidOrderFact:
    order_id: UUID
    payment_id: str | None
    currency: str
    gross: int
    paid_at: datetime


@dataclass(frozen=True, slots=True)
class SaleFact:
    order_id: UUID
    currency: str
    gross: int
    at: datetime


@dataclass(frozen=True, slots=True)
class RecurringSale:
    """A paid period of a subscription as the ledger recognised it: ``sale:<order>`` (the first)
    or ``sale:<order>:<renewal>``, with the gross it debited processor clearing by and the tax it
    credited tax payable with (net = gross - tax)."""

    order_id: UUID
    renewal: str | None
    currency: str
    gross: int
    tax: int
    at: datetime

    @property
    def net(self) -> int:
        return self.gross - self.tax


@dataclass(frozen=True, slots=True)
class ProviderFact:
    transaction_id: str
    kind: str
    payment_id: str | None
    currency: str
    amount: int
    fee: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str
    reference: str
    currency: str
    expected: int | None
    found: int | None
    detail: str


def reconcile(
    period: ReportPeriod,
    orders: Iterable[PaidOrderFact],
    sales: Iterable[SaleFact],
    fees: dict[str, int],
    provider: Iterable[ProviderFact],
    known_payments: set[str],
) -> list[Difference]:
    """``orders``, ``sales`` and ``provider``: read over the margin; ``fees``: the ledger's fee of
    each payment (estimate + true-up); ``known_payments``: every payment id of an order or an
    invoice of ours among those the provider named."""
    within, provider = _within(period), list(provider)
    by_order = {order.order_id: order for order in orders}
    sale_of = {sale.order_id: sale for sale in sales}
    charges = {fact.payment_id: fact for fact in provider if fact.kind == "charge" and fact.payment_id is not None}
    found: list[Difference] = []
    for order in sorted(by_order.values(), key=lambda o: (o.paid_at, str(o.order_id))):
        if not within(order.paid_at):
            continue
        found += _order_differences(order, sale_of.get(order.order_id), charges, fees)
    for sale in sorted(sale_of.values(), key=lambda s: (s.at, str(s.order_id))):
        if within(sale.at) and sale.order_id not in by_order:
            found.append(
                Difference(
                    "sale_without_order",
                    str(sale.order_id),
                    sale.currency,
                    None,
                    sale.gross,
                    "sale posted, no paid order",
                )
            )
    for fact in sorted(provider, key=lambda f: (f.at, f.transaction_id)):
        if within(fact.at) and fact.kind in KNOWN_KINDS and fact.payment_id not in known_payments:
            found.append(
                Difference(
                    "provider_transaction_unknown",
                    fact.transaction_id,
                    fact.currency,
                    None,
                    fact.amount,
                    f"{fact.kind} of {fact.payment_id or 'no payment'}",
                )
            )
    return found


def _order_differences(
    order: PaidOrderFact, sale: SaleFact | None, charges: dict[str, ProviderFact], fees: dict[str, int]
) -> list[Difference]:
    ref, currency = str(order.order_id), order.currency
    found: list[Difference] = []
    if sale is None:
        found.append(Difference("order_without_sale", ref, currency, order.gross, None, "paid, no sale posted"))
    elif (sale.currency, sale.gross) != (currency, order.gross):
        found.append(
            Difference("amount_differs", ref, currency, order.gross, sale.gross, f"sale posted in {sale.currency}")
        )
    if order.payment_id is None:
        return found
    charge = charges.get(order.payment_id)
    if charge is None:
        found.append(
            Difference("payment_missing_at_provider", order.payment_id, currency, order.gross, None, f"order {ref}")
        )
        return found
    if (charge.currency, charge.amount) != (currency, order.gross):
        found.append(
            Difference(
                "amount_differs",
                order.payment_id,
                currency,
                order.gross,
                charge.amount,
                f"provider charged {charge.currency}",
            )
        )
    ledger_fee = fees.get(order.payment_id, 0)
    if charge.currency == currency and ledger_fee != charge.fee:
        found.append(
            Difference(
                "fee_differs",
                order.payment_id,
                currency,
                charge.fee,
                ledger_fee,
                f"order {ref}: ledger fee vs the provider's",
            )
        )
    return found


def _within(period: ReportPeriod) -> Callable[[datetime], bool]:
    return lambda moment: period.start <= moment < period.end
