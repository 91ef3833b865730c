"""A publisher's revenue for its owner (or a billing admin): per currency and extension over a
period, gross, refunded, commission and net; the balance now (pending, held, available); what was
paid in the period and every payout; the next payout's date and amount; the statements to
download. From the ledger's account of the publisher (``domain/billing/revenue.py``). Plain
reads: no unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.billing.extension_sellers import Seller
from devforge.application.billing.revenue_reader import INSTANT, RevenueReader
from devforge.application.billing.statements import StatementPeriod, Statements, periods_of
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.revenue import Revenue
from devforge.domain.billing.statement import StatementMonth
from devforge.domain.shared.errors import RuleViolated


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
    def __init__(self, statements: Statements, reader: RevenueReader, clock: Clock) -> None:
        self._statements, self._reader, self._clock = statements, reader, clock

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
        end = end or now + INSTANT
        if end <= start:
            raise RevenuePeriodInvalid("The period ends after it starts.", field="to")
        # One read of the account's first movements serves both the currencies and the statements.
        moved = await self._statements.first_movements(publisher_id)
        currencies = [Currency.of(currency)] if currency else sorted(moved, key=lambda each: each.code)
        revenues = [await self._reader.revenue(publisher_id, each, start, end, now) for each in currencies]
        return PublisherRevenue(seller, start, end, tuple(revenues), tuple(periods_of(moved, self._clock.now())))
