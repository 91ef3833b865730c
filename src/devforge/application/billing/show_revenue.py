"""A publisher's revenue for its owner (or a billing admin): per currency and extension over a
period, gross, refunded, commission and net; the balance now (pending, held, available); what was
paid in the period and every payout; the next payout's date and amount; the statements to
download. From the ledger's account of the publisher (``domain/billing/revenue.py``). Plain
reads: no unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.billing.extension_sellers import Seller
from devforge.application.billing.payout_run_ports import PayeeBalances
from devforge.application.billing.statement_details import StatementDetails
from devforge.application.billing.statement_ports import SellerLedger
from devforge.application.billing.statements import StatementPeriod, Statements
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.revenue import PayoutSchedule, Revenue, build_revenue
from devforge.domain.billing.statement import StatementMonth
from devforge.domain.shared.errors import RuleViolated

_INSTANT = timedelta(microseconds=1)  # the end is excluded: what happened at ``now`` counts


class RevenuePeriodInvalid(RuleViolated):
    code = "revenue_period_invalid"


@dataclass(frozen=True, slots=True)
class PublisherRevenue:
    seller: Seller
    start: datetime
    end: datetime
    revenues: tuple[Revenue, ...]
    statements: tuple[StatementPeriod, ...]


class ShowRevenue:
    def __init__(
        self,
        statements: Statements,
        ledger: SellerLedger,
        details: StatementDetails,
        schedule: PayoutSchedule,
        balances: PayeeBalances,
        clock: Clock,
    ) -> None:
        self._statements, self._ledger, self._details, self._balances = statements, ledger, details, balances
        self._schedule, self._clock = schedule, clock

    async def __call__(
        self,
        actor: Actor,
        publisher_id: UUID,
        start: datetime | None = None,
        end: datetime | None = None,
        currency: str | None = None,
    ) -> PublisherRevenue:
        """``start``..``end`` (end excluded) defaults to this month so far."""
        for moment, name in ((start, "from"), (end, "to")):
            if moment is not None and moment.utcoffset() is None:
                raise RevenuePeriodInvalid("A moment names its offset (2026-05-01T00:00:00Z).", field=name)
        seller = await self._statements.seller(actor, publisher_id)
        now = self._clock.now()
        start = start or StatementMonth.of(now).start
        end = end or now + _INSTANT
        if end <= start:
            raise RevenuePeriodInvalid("The period ends after it starts.", field="to")
        moved = await self._ledger.first_movements(publisher_id)
        currencies = [Currency.of(currency)] if currency else sorted(moved, key=lambda c: c.code)
        revenues = [await self.revenue(publisher_id, each, start, end, now) for each in currencies]
        return PublisherRevenue(
            seller, start, end, tuple(revenues), tuple(await self._statements.periods(publisher_id))
        )

    async def revenue(
        self, publisher_id: UUID, currency: Currency, start: datetime, end: datetime, now: datetime
    ) -> Revenue:
        history = await self._ledger.transactions(publisher_id, currency, start=None, end=now + _INSTANT)
        period = [t for t in history if start <= t.occurred_at < end]
        details = await self._details.details(publisher_id, period)
        hold = self._schedule.hold
        now_reading = await self._balances.of(publisher_id, currency, now=now, hold=hold)
        at_run = await self._balances.of(publisher_id, currency, now=self._schedule.next_run(now), hold=hold)
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
            upcoming=at_run.balance.payable,
        )
