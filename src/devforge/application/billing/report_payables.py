"""Developer payables and payouts, per developer and currency: the balance owed before the
period, its movements (sales, give-backs, payouts, returns) and the balance after, from the
ledger's seller accounts. The interval does not cut this report. Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.financial_report_access import finance_period
from devforge.application.common.actor import Actor
from devforge.domain.billing.financial_reports import Report, payables_report


class ReportPayables:
    def __init__(self, reader: FinanceReader) -> None:
        self._reader = reader

    async def __call__(self, actor: Actor, start: datetime, end: datetime, interval: str = "month") -> Report:
        period = finance_period(actor, start, end, interval)
        opening = await self._reader.seller_balances(period.start)
        return payables_report(opening, await self._reader.ledger_movements(period.start, period.end))
