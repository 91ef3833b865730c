"""A developer's revenue over a period, per extension, from the same ledger movements and sale
details as the statements (``statement.py``), and what the next payout should be.

- Per extension: **gross** paid by buyers for its lines, **refunded** (gross given back),
  **commission** (kept by the platform, net of what refunds gave back) and **net** (the
  developer's share less give-backs). A lost dispute's give-back names no line, so it counts in
  the period's ``chargebacks`` only: the period's ``net`` (sales + refunds + chargebacks, from the
  ledger) is the truth, and the extensions' rows add up to it less the chargebacks.
- **Paid**: what was transferred in the period less transfers returned in it (tax withheld
  apart). The **payout history** is every payout on the account, with its return if any.
- **Balance** (now): the payout runs' own reading of the account (``PayeeBalances``): total
  owed; **pending**, the shares of sales still inside the hold; **held**, the publisher's share
  of open disputes; **available**, the rest.
- **The next payout**: runs are monthly on ``day_of_month`` (UTC); its amount is what is owed
  then less the sales still inside the hold at that moment and less what open disputes hold now
  (the same rule as ``PayeeBalances``), paid only from the currency's minimum up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.statement import (
    StatementKind,
    StatementLine,
    StatementMonth,
    TransactionDetail,
    statement_lines,
)

_EARNING = (StatementKind.SALE, StatementKind.REFUND, StatementKind.CHARGEBACK)


@dataclass(frozen=True, slots=True)
class ExtensionRevenue:
    product_code: str
    name: str
    sales: int  # lines sold (a renewal counts again)
    gross: Money
    refunded: Money
    commission: Money
    net: Money


@dataclass(frozen=True, slots=True)
class MonthRevenue:
    month: StatementMonth
    gross: Money
    net: Money  # the developer's sales, refunds and chargebacks of the month


@dataclass(frozen=True, slots=True)
class PayoutRecord:
    reference: str
    paid_at: datetime
    transferred: Money
    withheld: Money
    returned_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NextPayout:
    on: datetime
    amount: Money
    minimum: Money

    @property
    def will_pay(self) -> bool:
        return not self.amount.is_zero and self.amount >= self.minimum


@dataclass(frozen=True, slots=True)
class PayoutSchedule:
    """The payout settings a developer's page shows (``bootstrap/settings/billing.py``)."""

    day_of_month: int
    hold: timedelta
    minimums: Mapping[Currency, Money]
    default_minimum: int

    def minimum(self, currency: Currency) -> Money:
        return self.minimums.get(currency, Money(self.default_minimum, currency))

    def next_run(self, now: datetime) -> datetime:
        """The next monthly run at or after ``now`` (00:00 UTC on ``day_of_month``)."""
        at = now.astimezone(UTC)
        this_month = datetime(at.year, at.month, self.day_of_month, tzinfo=UTC)
        return this_month if this_month >= at else StatementMonth.of(at).next().start.replace(day=self.day_of_month)


@dataclass(frozen=True, slots=True)
class Revenue:
    publisher_id: UUID
    currency: Currency
    start: datetime
    end: datetime
    extensions: tuple[ExtensionRevenue, ...]
    months: tuple[MonthRevenue, ...]
    sales: Money
    refunds: Money
    chargebacks: Money
    paid: Money
    balance: EarningsBalance
    payouts: tuple[PayoutRecord, ...]
    next_payout: NextPayout

    @property
    def gross(self) -> Money:
        return Money.total((e.gross for e in self.extensions), self.currency)

    @property
    def net(self) -> Money:
        return self.sales + self.refunds + self.chargebacks


@dataclass
class _Tally:
    name: str
    currency: Currency
    sales: int = 0
    gross: int = 0
    refunded: int = 0
    commission: int = 0
    net: int = 0

    def revenue(self, code: str) -> ExtensionRevenue:
        money = (Money(value, self.currency) for value in (self.gross, self.refunded, self.commission, self.net))
        return ExtensionRevenue(code, self.name, self.sales, *money)


def by_extension(
    lines_and_details: Sequence[tuple[StatementKind, TransactionDetail | None]], currency: Currency
) -> tuple[ExtensionRevenue, ...]:
    tallies: dict[str, _Tally] = {}
    for kind, detail in lines_and_details:
        if detail is None or kind not in (StatementKind.SALE, StatementKind.REFUND):
            continue
        for part in detail.parts:
            tally = tallies.setdefault(part.product_code, _Tally(part.name, currency))
            if kind is StatementKind.SALE:
                tally.sales += 1
                tally.gross += part.gross.amount_minor
                tally.commission += part.commission.amount_minor
                tally.net += part.developer.amount_minor
            else:
                tally.refunded += part.gross.amount_minor
                tally.commission -= part.commission.amount_minor
                tally.net -= part.developer.amount_minor
    return tuple(tally.revenue(code) for code, tally in sorted(tallies.items(), key=lambda item: item[1].name))


def payout_history(lines: Sequence[StatementLine]) -> tuple[PayoutRecord, ...]:
    """Newest first; a returned payout carries when it came back."""
    returned = {line.reference: line.occurred_at for line in lines if line.kind is StatementKind.PAYOUT_RETURNED}
    paid = [
        PayoutRecord(line.reference, line.occurred_at, -line.payout, -line.tax_withheld, returned.get(line.reference))
        for line in lines
        if line.kind is StatementKind.PAYOUT
    ]
    return tuple(sorted(paid, key=lambda record: record.paid_at, reverse=True))


def build_revenue(
    publisher_id: UUID,
    currency: Currency,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    history: Sequence[LedgerTransaction],
    details: Mapping[str, TransactionDetail],
    schedule: PayoutSchedule,
    balance: EarningsBalance,
) -> Revenue:
    """``history``: every transaction on the account up to ``now``; ``details``: those of the
    period's sales and refunds; ``balance``: the payout runs' reading of the account now
    (pending, held, available: ``PayeeBalances``). The next run pays what is owed then less the
    sales still inside the hold at that moment and less what open disputes hold now."""
    lines = statement_lines(publisher_id, currency, history, details)
    within = [line for line in lines if start <= line.occurred_at < end]
    kinds = [(line.kind, details.get(line.fact)) for line in within]
    run = schedule.next_run(now)
    still_pending = Money.total(
        (line.amount for line in lines if line.kind is StatementKind.SALE and line.occurred_at + schedule.hold > run),
        currency,
    )
    upcoming = balance.total - still_pending - balance.held
    return Revenue(
        publisher_id=publisher_id,
        currency=currency,
        start=start,
        end=end,
        extensions=by_extension(kinds, currency),
        months=_months(within, currency),
        sales=_sum(within, currency, StatementKind.SALE),
        refunds=_sum(within, currency, StatementKind.REFUND),
        chargebacks=_sum(within, currency, StatementKind.CHARGEBACK),
        paid=-Money.total((line.payout for line in within), currency),
        balance=balance,
        payouts=payout_history(lines),
        next_payout=NextPayout(run, max(upcoming, Money.zero(currency)), schedule.minimum(currency)),
    )


def _sum(lines: Sequence[StatementLine], currency: Currency, kind: StatementKind) -> Money:
    return Money.total((line.amount for line in lines if line.kind is kind), currency)


def _months(lines: Sequence[StatementLine], currency: Currency) -> tuple[MonthRevenue, ...]:
    months: dict[StatementMonth, tuple[Money, Money]] = {}
    for line in lines:
        if line.kind not in _EARNING:
            continue
        month = StatementMonth.of(line.occurred_at)
        gross, net = months.get(month, (Money.zero(currency), Money.zero(currency)))
        gross = gross + line.gross if line.gross is not None and line.kind is StatementKind.SALE else gross
        months[month] = (gross, net + line.amount)
    return tuple(MonthRevenue(month, gross, net) for month, (gross, net) in sorted(months.items()))
