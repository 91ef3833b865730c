"""Developer payables and payouts, per developer and currency: the balance owed before the
period, its movements (sales, give-backs, payouts, returns) and the balance after, from the
ledger's seller accounts. The interval does not cut this report. Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.billing.report_flights import ReportFlights
from devforge.application.common.actor import Actor
from devforge.domain.billing.financial_reports import Report, payables_report
from devforge.domain.billing.report_period import ReportPeriod


class ReportPayables:
    def __init__(self, reader: FinanceReader, flights: ReportFlights) -> None:
        self._reader, self._flights = reader, flights

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Report:
        period = finance_period(actor, start, end, interval)
        return await self._flights.run(("payables", period), lambda: self._report(period))

    async def _report(self, period: ReportPeriod) -> Report:
        opening = await self._reader.seller_balances(period.start)
        return payables_report(opening, await self._reader.ledger_movements(period.start, period.end))
