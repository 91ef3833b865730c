"""Revenue by period, currency, product and publisher, from the paid invoices. Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.billing.report_flights import ReportFlights
from devforge.application.common.actor import Actor
from devforge.domain.billing.financial_reports import Report, revenue_report
from devforge.domain.billing.report_period import ReportPeriod


class ReportRevenue:
    def __init__(self, reader: FinanceReader, flights: ReportFlights) -> None:
        self._reader, self._flights = reader, flights

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Report:
        period = finance_period(actor, start, end, interval)
        return await self._flights.run(("revenue", period), lambda: self._report(period))

    async def _report(self, period: ReportPeriod) -> Report:
        return revenue_report(period, await self._reader.invoiced_lines(period.start, period.end))
