"""Tax collected per period, currency and jurisdiction (the buyer's country and region, as taxed
at checkout): invoiced less credited. Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.common.actor import Actor
from devforge.domain.billing.financial_reports import Report, tax_report


class ReportTax:
    def __init__(self, reader: FinanceReader) -> None:
        self._reader = reader

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Report:
        period = finance_period(actor, start, end, interval)
        invoiced = await self._reader.invoiced_lines(period.start, period.end)
        return tax_report(period, invoiced, await self._reader.credited_tax(period.start, period.end))
