"""One publisher's revenue in one currency over a period, from the ledger (shared by the
revenue page and billing's published ``PublisherEarnings``; no authorization here: callers
decide who may see it). Plain reads: no unit of work."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.billing.payout_run_ports import PayeeBalances
from devforge.application.billing.statement_details import StatementDetails
from devforge.application.billing.statement_ports import SellerLedger
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.revenue import PayoutSchedule, Revenue, build_revenue

INSTANT = timedelta(microseconds=1)  # periods exclude their end: what happened at ``now`` counts up to now + this


class RevenueReader:
    def __init__(
        self, ledger: SellerLedger, details: StatementDetails, schedule: PayoutSchedule, balances: PayeeBalances
    ) -> None:
        self._ledger, self._details, self._schedule, self._balances = ledger, details, schedule, balances

    async def currencies(self, publisher_id: UUID) -> list[Currency]:
        return sorted(await self._ledger.first_movements(publisher_id), key=lambda currency: currency.code)

    async def revenue(
        self, publisher_id: UUID, currency: Currency, start: datetime, end: datetime, now: datetime
    ) -> Revenue:
        history = await self._ledger.transactions(publisher_id, currency, start=None, end=now + INSTANT)
        period = [t for t in history if start <= t.occurred_at < end]
        details = await self._details.details(publisher_id, period)
        now_reading = await self._balances.of(publisher_id, currency, now=now, hold=self._schedule.hold)
        return build_revenue(
            publisher_id,
            currency,
            start=start,
            end=end,
            now=now,
            history=history,
            details=details,
            schedule=self._schedule,
            balance=now_reading.balance,
        )
