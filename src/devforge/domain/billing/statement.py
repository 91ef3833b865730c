"""A developer's monthly statement: what the platform owed one publisher in one currency at the
start of a month, every movement of that month, and what it owed at the end.

The ledger's ``seller_payable:<publisher>`` account is the only source of the figures: each
transaction with an entry on it is one statement line, and the line's amount is that entry seen
from the developer's side (a credit to the account is money owed to them, so positive). So:

- **opening** is the account's balance before the month, **closing** its balance after it,
  both negated (owed to the developer is positive; a negative balance is owed by them);
- ``closing == opening + sales + refunds + chargebacks + payouts + tax withheld + adjustments``,
  to the minor unit, and each total is the sum of its lines;
- a payout line splits the account's debit into what was transferred and what was withheld for
  tax (the transaction's ``tax_withheld`` leg); a returned payout gives both back;
- **commission** and **gross** are shown for the lines whose sale or refund is known (the order's
  lines at the commission fixed at payment): they explain the developer's amount, they are not
  added to the balance again (the share credited is already net of commission);
- **fees**: none. The platform pays the payment processor's fees out of its commission, so the
  column is there and says zero (``PLATFORM_BEARS_FEES``).

Kinds come from the transaction's idempotency id (``sale:``, ``refund:``, ``dispute_lost:``,
``payout:``, ``payout_returned:``); anything else on the account is an adjustment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import TAX_WITHHELD, Account, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.shared.errors import NotFound, RuleViolated

PLATFORM_BEARS_FEES = (
    "Payment processing fees are paid by the platform out of its commission: none is deducted from your earnings."
)


class StatementMonthInvalid(RuleViolated):
    code = "statement_month_invalid"


class StatementCurrencyRequired(RuleViolated):
    code = "statement_currency_required"


class SellerNotFound(NotFound):
    """No such publisher, or one the caller may not see (the same answer, so ids cannot be probed)."""

    code = "publisher_not_found"


class StatementKind(StrEnum):
    SALE = "sale"
    REFUND = "refund"
    CHARGEBACK = "chargeback"
    PAYOUT = "payout"
    PAYOUT_RETURNED = "payout_returned"
    ADJUSTMENT = "adjustment"


_KINDS = {
    "sale": StatementKind.SALE,
    "refund": StatementKind.REFUND,
    "dispute_lost": StatementKind.CHARGEBACK,
    "payout": StatementKind.PAYOUT,
    "payout_returned": StatementKind.PAYOUT_RETURNED,
}
_GIVING_BACK = (StatementKind.REFUND, StatementKind.CHARGEBACK)


def kind_of(idempotency_id: str) -> StatementKind:
    return _KINDS.get(idempotency_id.partition(":")[0], StatementKind.ADJUSTMENT)


@dataclass(frozen=True, slots=True, order=True)
class StatementMonth:
    """A calendar month in UTC: ``start <= occurred_at < end``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 2000 <= self.year <= 9999):
            raise StatementMonthInvalid("A month is YYYY-MM, from 2000-01.", field="month")

    @classmethod
    def parse(cls, text: str) -> StatementMonth:
        year, dash, month = text.partition("-")
        if not (dash and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()):
            raise StatementMonthInvalid(f"{text!r} is not a month (YYYY-MM).", field="month")
        return cls(int(year), int(month))

    @classmethod
    def of(cls, at: datetime) -> StatementMonth:
        at = at.astimezone(UTC)
        return cls(at.year, at.month)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return self.next().start

    def next(self) -> StatementMonth:
        return StatementMonth(self.year + self.month // 12, self.month % 12 + 1)

    def until(self, last: StatementMonth) -> list[StatementMonth]:
        """This month and every one after it up to ``last``, inclusive."""
        months, month = [], self
        while month <= last:
            months.append(month)
            month = month.next()
        return months

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class ExtensionPart:
    """One order line of the publisher's behind a sale or a give-back, as magnitudes: what the
    buyer paid (or got back) of it, its tax, the platform's commission and the developer's share."""

    product_code: str
    name: str
    gross: Money
    tax: Money
    commission: Money
    developer: Money


@dataclass(frozen=True, slots=True)
class TransactionDetail:
    order_id: UUID | None
    parts: tuple[ExtensionPart, ...] = ()


@dataclass(frozen=True, slots=True)
class StatementLine:
    """``amount`` is the change in what the developer is owed: ``payout + tax_withheld`` for a
    payout, the share (or give-back) otherwise. ``gross``/``commission`` are None when unknown."""

    occurred_at: datetime
    kind: StatementKind
    reference: str
    order_id: UUID | None
    extensions: tuple[str, ...]
    gross: Money | None
    commission: Money | None
    fees: Money
    tax_withheld: Money
    payout: Money
    amount: Money
    fact: str = ""  # the ledger transaction's idempotency id


@dataclass(frozen=True, slots=True)
class Statement:
    publisher_id: UUID
    currency: Currency
    month: StatementMonth
    opening: Money
    lines: tuple[StatementLine, ...]
    notes: tuple[str, ...] = field(default=(PLATFORM_BEARS_FEES,))

    def _sum(self, *kinds: StatementKind) -> Money:
        return Money.total((line.amount for line in self.lines if line.kind in kinds), self.currency)

    @property
    def sales(self) -> Money:
        return self._sum(StatementKind.SALE)

    @property
    def refunds(self) -> Money:
        return self._sum(StatementKind.REFUND)

    @property
    def chargebacks(self) -> Money:
        return self._sum(StatementKind.CHARGEBACK)

    @property
    def adjustments(self) -> Money:
        return self._sum(StatementKind.ADJUSTMENT)

    @property
    def payouts(self) -> Money:
        """Transferred (negative), net of returned transfers."""
        return Money.total((line.payout for line in self.lines), self.currency)

    @property
    def tax_withheld(self) -> Money:
        return Money.total((line.tax_withheld for line in self.lines), self.currency)

    @property
    def gross_sales(self) -> Money:
        return Money.total((line.gross for line in self.lines if line.gross is not None), self.currency)

    @property
    def commission(self) -> Money:
        """The platform's commission on the month's sales less what it gave back with refunds."""
        return Money.total((line.commission for line in self.lines if line.commission is not None), self.currency)

    @property
    def fees(self) -> Money:
        return Money.zero(self.currency)

    @property
    def closing(self) -> Money:
        return self.opening + Money.total((line.amount for line in self.lines), self.currency)


def build_statement(
    publisher_id: UUID,
    currency: Currency,
    month: StatementMonth,
    balance_before: Money,
    transactions: Sequence[LedgerTransaction],
    details: Mapping[str, TransactionDetail] | None = None,
) -> Statement:
    """The statement of ``month`` from the account's balance before it (``balance_before``, the
    ledger's sign: negative when owed to the developer) and the month's transactions on it."""
    within = [t for t in transactions if month.start <= t.occurred_at < month.end]
    lines = statement_lines(publisher_id, currency, within, details)
    return Statement(publisher_id, currency, month, -balance_before, lines)


def statement_lines(
    publisher_id: UUID,
    currency: Currency,
    transactions: Sequence[LedgerTransaction],
    details: Mapping[str, TransactionDetail] | None = None,
) -> tuple[StatementLine, ...]:
    """A line per transaction in ``currency`` that moves the publisher's account."""
    account = Account.seller_payable(publisher_id)
    known = details or {}
    lines = []
    for transaction in transactions:
        if transaction.currency != currency:
            continue
        entry = Money.total((e.amount for e in transaction.entries if e.account == account), currency)
        if entry.is_zero:
            continue
        lines.append(_line(transaction, -entry, known.get(transaction.idempotency_id)))
    return tuple(lines)


def _line(transaction: LedgerTransaction, amount: Money, detail: TransactionDetail | None) -> StatementLine:
    currency = transaction.currency
    kind = kind_of(transaction.idempotency_id)
    withheld = Money.zero(currency)
    if kind in (StatementKind.PAYOUT, StatementKind.PAYOUT_RETURNED):
        withheld = Money.total((e.amount for e in transaction.entries if e.account == TAX_WITHHELD), currency)
    payout = (
        amount - withheld if kind in (StatementKind.PAYOUT, StatementKind.PAYOUT_RETURNED) else Money.zero(currency)
    )
    gross = commission = None
    parts = detail.parts if detail else ()
    if parts:
        sign = -1 if kind in _GIVING_BACK else 1
        gross = Money.total((part.gross for part in parts), currency) * sign
        commission = Money.total((part.commission for part in parts), currency) * sign
    return StatementLine(
        occurred_at=transaction.occurred_at,
        kind=kind,
        reference=transaction.idempotency_id.partition(":")[2] or transaction.idempotency_id,
        order_id=detail.order_id if detail else None,
        extensions=tuple(dict.fromkeys(part.name for part in parts)),
        gross=gross,
        commission=commission,
        fees=Money.zero(currency),
        tax_withheld=withheld,
        payout=payout,
        amount=amount,
        fact=transaction.idempotency_id,
    )
