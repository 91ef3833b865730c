"""The payment processor's fee: estimated at the sale, trued up once the processor says what it took.

The fee is the platform's cost (``processor_fees`` debited, ``processor_clearing`` credited) and
never touches a seller's account. At the sale billing does not know it yet, so it posts an
estimate from the configured rate of the currency (``FeeSchedule``: basis points of what was
charged plus a fixed amount, e.g. 2.9 % + 30 cents), rounded half up to the minor unit and never
more than the charge. When the processor reports the real fee (its balance transaction for the
payment), the difference is posted once (``ledger_postings.fee_true_up``) and the fee is settled:
a later report of the same payment changes nothing. A fee reported in another currency than the
charge (the processor converted it) is settled without a true-up: the estimate stands, and the
reconciliation report shows the difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.money import Money

BASIS_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class FeeRate:
    """``basis_points`` of the amount charged (290: 2.9 %) plus ``fixed_minor`` minor units."""

    basis_points: int
    fixed_minor: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.basis_points <= BASIS_POINTS or self.fixed_minor < 0:
            raise ValueError("A fee rate is 0 to 10000 basis points plus a fixed amount of 0 or more.")

    def of(self, charged: Money) -> Money:
        """The fee on ``charged``: half up to the minor unit, at most the charge, nothing on nothing."""
        if charged.amount_minor <= 0:
            return Money.zero(charged.currency)
        proportional = (charged.amount_minor * self.basis_points * 2 + BASIS_POINTS) // (2 * BASIS_POINTS)
        return Money(min(proportional + self.fixed_minor, charged.amount_minor), charged.currency)


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """The rate of each listed currency, ``default`` for the others."""

    rates: Mapping[Currency, FeeRate] = field(default_factory=dict)
    default: FeeRate = FeeRate(0)

    def estimate(self, charged: Money) -> Money:
        return self.rates.get(charged.currency, self.default).of(charged)


@dataclass(frozen=True, slots=True)
class ReportedFee:
    """What the processor says it took for a payment (its balance transaction)."""

    balance_transaction_id: str
    fee: Money


@dataclass
class ProcessorFee:
    """One payment's fee: the estimate posted at the sale (``fee:<payment>``), then what the
    processor reported (``actual``) once it did."""

    payment_id: str
    order_id: UUID
    estimated: Money
    estimated_at: datetime
    actual: Money | None = None
    balance_transaction_id: str | None = None
    settled_at: datetime | None = None

    @classmethod
    def estimate(
        cls, payment_id: str, order_id: UUID, charged: Money, schedule: FeeSchedule, at: datetime
    ) -> ProcessorFee:
        return cls(payment_id, order_id, schedule.estimate(charged), at)

    @property
    def settled(self) -> bool:
        return self.settled_at is not None

    def estimate_posting(self) -> LedgerTransaction | None:
        """``fee:<payment>``; None for a zero estimate (a ledger transaction moves some money)."""
        if self.estimated.is_zero:
            return None
        return ledger_postings.processor_fee(self.payment_id, self.estimated, self.estimated_at)

    def settle(self, reported: ReportedFee, at: datetime) -> LedgerTransaction | None:
        """Records the real fee, once, and answers the true-up to post (None: nothing to post,
        because the estimate was right, the fee was already settled, or it came in another
        currency)."""
        if self.settled:
            return None
        self.actual, self.balance_transaction_id, self.settled_at = reported.fee, reported.balance_transaction_id, at
        if reported.fee.currency != self.estimated.currency:
            return None
        return ledger_postings.fee_true_up(self.payment_id, self.estimated, reported.fee, at)
