"""The reconciliation report: orders, the ledger and the provider's balance transactions of a
period compared (``domain/billing/reconciliation.py``), every difference listed. The other
sources are read over a day's margin around the period, so a boundary is never a difference.
Plain reads; the provider not answering raises ``PaymentProviderUnavailable``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.report_flights import ReportFlights
from devforge.application.common.actor import Actor
from devforge.domain.billing.reconciliation import Difference, ProviderFact, reconcile
from devforge.domain.billing.report_period import ReportPeriod

MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    period: ReportPeriod
    orders: int
    sales: int
    provider_transactions: int
    differences: tuple[Difference, ...]


class ReconcilePayments:
    def __init__(self, reader: FinanceReader, gateway: PaymentGateway, flights: ReportFlights) -> None:
        self._reader, self._gateway, self._flights = reader, gateway, flights

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Reconciliation:
        period = finance_period(actor, start, end, interval)
        return await self._flights.run(("reconciliation", period), lambda: self._reconcile(period))

    async def _reconcile(self, period: ReportPeriod) -> Reconciliation:
        wide_start, wide_end = period.start - MARGIN, period.end + MARGIN
        # The provider first: the reader's reads hold a database connection until the request
        # ends, and a provider call meanwhile would hold it too (the sandbox's store takes a second
        # one: 32 reports at once took every pooled connection and waited for a 33rd for 30 s).
        provider = [
            ProviderFact(t.transaction_id, t.type, t.payment_id, t.currency, t.amount, t.fee, t.created)
            for t in await self._gateway.balance_transactions(wide_start, wide_end)
        ]
        orders = await self._reader.paid_orders(wide_start, wide_end)
        sales = await self._reader.sales(wide_start, wide_end)
        known_orders = {order.order_id for order in orders}
        orders += await self._reader.orders_named([s.order_id for s in sales if s.order_id not in known_orders])
        fees = await self._reader.fees_of([order.payment_id for order in orders if order.payment_id])
        known = await self._reader.known_payments({fact.payment_id for fact in provider if fact.payment_id})
        differences = reconcile(period, orders, sales, fees, provider, known)

        def inside(moment: datetime) -> bool:
            return period.start <= moment < period.end

        return Reconciliation(
            period,
            orders=sum(1 for order in orders if inside(order.paid_at)),
            sales=sum(1 for sale in sales if inside(sale.at)),
            provider_transactions=sum(1 for fact in provider if inside(fact.at)),
            differences=tuple(differences),
        )
