"""The marketplace's revenue share: how one paid line's money divides between the tax authority,
the platform and the extension's developer, and how a refund or a lost dispute takes it back.

The rules (one of each, so a statement can be checked by hand):

- **Tax** is what the invoice line says; it never belongs to either party.
- **The developer's share** is the line's net (gross less tax) times ``1 - commission``,
  *floored* in minor units; **the platform's commission** is the rest of the net, so the minor
  unit that cannot be split always goes to the platform and share + commission + tax = gross.
- **The processor's fee is the platform's cost**, paid out of its commission (as the app stores
  do): the fee is known only when the provider's balance transaction arrives, and a true-up then
  moves platform money only. A developer's earnings never change after the sale except by a
  refund or a lost dispute of that sale. A fee larger than the commission (a tiny sale) is a loss
  the platform books; it is never passed on.
- **The commission rate** comes from a ``CommissionSchedule``: a default (30 %), and rules for
  one publisher, for a period, or for a publisher's first months on the marketplace; the most
  specific rule in force at the moment of sale wins, and the rate is fixed at that moment (a
  later rule never rewrites a past sale).
- **Taking back** is cumulative and proportional: after a line's buyers got back ``taken`` of
  its gross, the developer has given back ``floor(share x taken / gross)``. Each refund gives
  back the difference from the previous figure, so any sequence of partial refunds that ends in
  a full one gives back exactly the share, never a minor unit more or less, whatever the order
  in which the provider reports them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.billing.errors import RevenueShareInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import BASIS_POINTS_PER_UNIT
from devforge.domain.billing.tax import TaxedAmount

DEFAULT_COMMISSION_BP = 3_000


def _check_basis_points(value: int, field: str) -> None:
    if type(value) is not int:
        raise TypeError(f"A commission is int basis points, not {type(value).__name__}.")
    if not 0 <= value <= BASIS_POINTS_PER_UNIT:
        raise RevenueShareInvalid("A commission is between 0 and 10000 basis points.", field=field)


@dataclass(frozen=True, slots=True)
class CommissionRule:
    """A commission in force for ``publisher`` (every publisher when None), from ``starts_at``
    until before ``ends_at`` (open when None), or, with ``first_days``, for that many days after
    the publisher joined the marketplace (a lower first-year rate)."""

    commission_bp: int
    publisher: UUID | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    first_days: int | None = None

    def __post_init__(self) -> None:
        _check_basis_points(self.commission_bp, "commission_bp")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise RevenueShareInvalid("A commission rule ends after it starts.", field="ends_at")
        if self.first_days is not None and self.first_days <= 0:
            raise RevenueShareInvalid("A first-days rule lasts at least one day.", field="first_days")

    def applies(self, publisher: UUID, joined_at: datetime, at: datetime) -> bool:
        if self.publisher is not None and self.publisher != publisher:
            return False
        if self.starts_at is not None and at < self.starts_at:
            return False
        if self.ends_at is not None and at >= self.ends_at:
            return False
        return self.first_days is None or at < joined_at + timedelta(days=self.first_days)

    @property
    def specificity(self) -> tuple[int, int, int]:
        """One publisher beats everyone; a bounded period beats an open one; first days beat both."""
        bounded = self.starts_at is not None or self.ends_at is not None
        return (self.publisher is not None, self.first_days is not None, bounded)


@dataclass(frozen=True, slots=True)
class CommissionSchedule:
    default_bp: int = DEFAULT_COMMISSION_BP
    rules: tuple[CommissionRule, ...] = ()

    def __post_init__(self) -> None:
        _check_basis_points(self.default_bp, "default_bp")

    def commission_bp(self, publisher: UUID, joined_at: datetime, at: datetime) -> int:
        """The rate in force for ``publisher`` at the moment of sale ``at``. Among rules equally
        specific, the lower rate wins (a promise to a developer is never undercut by another)."""
        candidates = [rule for rule in self.rules if rule.applies(publisher, joined_at, at)]
        if not candidates:
            return self.default_bp
        best = max(rule.specificity for rule in candidates)
        return min(rule.commission_bp for rule in candidates if rule.specificity == best)


@dataclass(frozen=True, slots=True)
class LineSplit:
    """One paid line divided: ``developer + commission + tax == gross`` exactly."""

    gross: Money
    tax: Money
    developer: Money
    commission: Money
    commission_bp: int

    def __post_init__(self) -> None:
        if self.developer.amount_minor + self.commission.amount_minor + self.tax.amount_minor != (
            self.gross.amount_minor
        ):
            raise RevenueShareInvalid("A split adds up to the line's gross.", field="gross")

    def given_back(self, taken: Money) -> Money:
        """The developer's share given back once buyers got ``taken`` of this line's gross back
        (cumulative): floored, and exactly the whole share when all of the gross went back."""
        if taken.is_negative or taken > self.gross:
            raise RevenueShareInvalid("A line gives back between nothing and its gross.", field="amount")
        if self.gross.is_zero:
            return Money.zero(self.gross.currency)
        return Money(self.developer.amount_minor * taken.amount_minor // self.gross.amount_minor, taken.currency)

    def given_back_between(self, before: Money, after: Money) -> Money:
        """What one refund gives back: the step from ``before`` to ``after`` (cumulative figures)."""
        if after < before:
            raise RevenueShareInvalid("Refunded amounts only grow.", field="amount")
        return self.given_back(after) - self.given_back(before)


def split_line(amounts: TaxedAmount, commission_bp: int) -> LineSplit:
    """The developer's share of one paid line, floored; the platform keeps the remainder."""
    _check_basis_points(commission_bp, "commission_bp")
    if amounts.net.is_negative or amounts.tax.is_negative:
        raise RevenueShareInvalid("A sold line has a non-negative net and tax.", field="amount")
    developer_bp = BASIS_POINTS_PER_UNIT - commission_bp
    developer = Money(amounts.net.amount_minor * developer_bp // BASIS_POINTS_PER_UNIT, amounts.currency)
    return LineSplit(amounts.gross, amounts.tax, developer, amounts.net - developer, commission_bp)


def developer_shares(lines: Iterable[tuple[UUID, LineSplit]]) -> dict[UUID, Money]:
    """Each developer's total share over one order's lines (for the sale's ledger posting)."""
    shares: dict[UUID, Money] = {}
    for developer, split in lines:
        if split.developer.is_zero:
            continue
        shares[developer] = shares[developer] + split.developer if developer in shares else split.developer
    return shares
