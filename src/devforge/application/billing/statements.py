"""A publisher's statements as its owner (or a billing admin) reads them: which months exist,
and one month's statement built from the ledger (``domain/billing/statement.py``).

Only the publisher's owner, or an admin with ``billing:admin``, reaches its statements; anyone
else is told there is no such publisher (404), exactly as for a missing one. A statement exists
for every month from the first movement of the publisher's account in a currency up to the
current month (a month without movements carries its balance over). Plain reads: no unit of
work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers, Seller
from devforge.application.billing.statement_details import StatementDetails
from devforge.application.billing.statement_ports import SellerLedger
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.shared_readings import SharedReadings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.statement import (
    SellerNotFound,
    Statement,
    StatementCurrencyRequired,
    StatementMonth,
    StatementMonthInvalid,
    build_statement,
)


async def managed_seller(sellers: ExtensionSellers, actor: Actor, publisher_id: UUID) -> Seller:
    """The publisher, when ``actor`` owns it or is a billing admin; else ``SellerNotFound``."""
    seller = await sellers.seller(publisher_id)
    if seller is None or not actor.owns_or_may(seller.owner_id, BillingPermission.ADMIN):
        raise SellerNotFound("No publisher you own has this id.")
    return seller


@dataclass(frozen=True, slots=True)
class StatementPeriod:
    currency: Currency
    month: StatementMonth


@dataclass(frozen=True, slots=True)
class SellerStatement:
    seller: Seller
    statement: Statement


class StatementReadings(SharedReadings):
    """One per process: the statements being built now. A statement is the same for everyone
    allowed to see it (its owner, a billing admin), so callers asking for one publisher's month in
    one currency at once share one build; each caller's permission is checked before it joins."""


class Statements:
    def __init__(
        self,
        sellers: ExtensionSellers,
        ledger: SellerLedger,
        details: StatementDetails,
        clock: Clock,
        readings: StatementReadings,
    ) -> None:
        self._sellers, self._ledger, self._details, self._clock = sellers, ledger, details, clock
        self._readings = readings

    async def seller(self, actor: Actor, publisher_id: UUID) -> Seller:
        return await managed_seller(self._sellers, actor, publisher_id)

    async def periods(self, publisher_id: UUID) -> list[StatementPeriod]:
        """Newest month first; currencies by code within a month."""
        return periods_of(await self._ledger.first_movements(publisher_id), self._clock.now())

    async def first_movements(self, publisher_id: UUID) -> dict[Currency, datetime]:
        """When the account first moved, per currency (what ``periods_of`` lists the months from)."""
        return await self._ledger.first_movements(publisher_id)

    async def statement(self, actor: Actor, publisher_id: UUID, month: str, currency: str | None) -> SellerStatement:
        seller = await self.seller(actor, publisher_id)
        period = StatementMonth.parse(month)
        if period > StatementMonth.of(self._clock.now()):
            raise StatementMonthInvalid(f"{period} has not begun yet.", field="month")
        moved = await self._ledger.first_movements(publisher_id)
        if currency is not None:
            chosen = Currency.of(currency)
        elif len(moved) == 1:
            chosen = next(iter(moved))
        else:
            raise StatementCurrencyRequired("Sales in several currencies: name one.", field="currency")
        built = await self._readings.run(
            ("statement", publisher_id, chosen, period), lambda: self.build(publisher_id, chosen, period)
        )
        return SellerStatement(seller, built)

    async def build(self, publisher_id: UUID, currency: Currency, month: StatementMonth) -> Statement:
        """The statement itself, for anyone allowed to see it (the bench builds every one)."""
        before = await self._ledger.balance_before(publisher_id, currency, month.start)
        transactions = await self._ledger.transactions(publisher_id, currency, start=month.start, end=month.end)
        details = await self._details.details(publisher_id, transactions)
        return build_statement(publisher_id, currency, month, before, transactions, details)


def periods_of(moved: Mapping[Currency, datetime], now: datetime) -> list[StatementPeriod]:
    """Every (currency, month) from the account's first movement in it to ``now``'s month: newest
    month first, currencies by code within a month."""
    current = StatementMonth.of(now)
    periods = [
        StatementPeriod(currency, month)
        for currency, first in moved.items()
        for month in StatementMonth.of(first).until(current)
    ]
    return sorted(periods, key=lambda period: (-period.month.year, -period.month.month, period.currency.code))
