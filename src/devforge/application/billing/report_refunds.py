"""Refunds and chargebacks (lost disputes) per period and currency, from the ledger. Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.billing.report_flights import ReportFlights
from devforge.application.common.actor import Actor
from devforge.domain.billing.financial_reports import Report, refunds_report
from devforge.domain.billing.report_period import ReportPeriod


class ReportRefunds:
    def __init__(self, reader: FinanceReader, flights: ReportFlights) -> None:
        self._reader, self._flights = reader, flights

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Report:
        period = finance_period(actor, start, end, interval)
        return await self._flights.run(("refunds", period), lambda: self._report(period))

    async def _report(self, period: ReportPeriod) -> Report:
        return refunds_report(period, await self._reader.ledger_movements(period.start, period.end))
