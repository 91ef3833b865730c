"""Processor fees per period and currency: the estimates at sale and their true-ups, from the
ledger. Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.common.actor import Actor
from devforge.domain.billing.financial_reports import Report, fees_report


class ReportFees:
    def __init__(self, reader: FinanceReader) -> None:
        self._reader = reader

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Report:
        period = finance_period(actor, start, end, interval)
        return fees_report(period, await self._reader.ledger_movements(period.start, period.end))
