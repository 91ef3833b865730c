"""Billing's published read of what the ledger recognised for subscriptions, for analytics'
reconciliation (bootstrap wires it; analytics reads none of billing's tables). Plain values,
integer minor units, ``[start, end)`` in UTC, by the postings' moments. Reads only.

- ``charges``: each paid period of a subscription, tax excluded (``sale:<order>`` and
  ``sale:<order>:<renewal>`` of an order that started one: gross less tax);
- ``given_back``: per day and currency, the money given back to buyers, tax included, for any
  order: refunds (processor clearing credited) and lost disputes (disputes credited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import UUID

from devforge.application.billing.finance_ports import FinanceReader

_GIVING_BACK = {"refund": "processor_clearing", "dispute_lost": "disputes"}


@dataclass(frozen=True, slots=True)
class RecognisedCharge:
    order_id: UUID
    renewal: str | None
    currency: str
    net: int
    at: datetime


@dataclass(frozen=True, slots=True)
class GivenBackOnDay:
    day: date
    currency: str
    amount: int

    @property
    def at(self) -> datetime:
        return datetime.combine(self.day, time(), UTC)


class SubscriptionLedger:
    def __init__(self, reader: FinanceReader) -> None:
        self._reader = reader

    async def charges(self, start: datetime, end: datetime) -> list[RecognisedCharge]:
        sales = await self._reader.recurring_sales(start, end)
        return [RecognisedCharge(s.order_id, s.renewal, s.currency, s.net, s.at) for s in sales]

    async def given_back(self, start: datetime, end: datetime) -> list[GivenBackOnDay]:
        sums: dict[tuple[date, str], int] = {}
        for movement in await self._reader.ledger_movements(start, end):
            if _GIVING_BACK.get(movement.kind) == movement.account:
                key = (movement.day, movement.currency)
                sums[key] = sums.get(key, 0) - movement.amount
        return [GivenBackOnDay(day, currency, amount) for (day, currency), amount in sorted(sums.items()) if amount]
