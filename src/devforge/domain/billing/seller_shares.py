"""An order's lines sold for sellers, and what each seller is owed or gives back.

A line of an order or invoice is sold for a seller (an extension's publisher) when it names one;
its split is ``revenue_share.split_line`` of the line's amounts at the commission fixed on the
line when the order was paid. Invoice and credit-note lines are the order's lines by position,
so what went back of line ``i`` is the sum of line ``i`` of the credit notes (and of a lost
dispute's breakdown). Give-backs are cumulative per line (``LineSplit.given_back_between``): any
sequence of partial refunds ending in a full one gives back exactly each seller's share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from devforge.domain.billing.credit_note import CreditBreakdown
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RevenueShareInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.revenue_share import LineSplit, developer_shares, split_line
from devforge.domain.billing.tax import TaxedAmount


@dataclass(frozen=True, slots=True)
class SellerLine:
    seller_id: UUID
    split: LineSplit


def seller_line(amounts: TaxedAmount, seller_id: UUID | None, commission_bp: int | None) -> SellerLine | None:
    """The split of one line sold for ``seller_id`` (None for the platform's own lines)."""
    if seller_id is None:
        return None
    if commission_bp is None:
        raise RevenueShareInvalid(
            "A line sold for a seller has its commission fixed at payment.", field="commission_bp"
        )
    return SellerLine(seller_id, split_line(amounts, commission_bp))


def sale_shares(lines: Sequence[SellerLine | None]) -> dict[UUID, Money]:
    """Each seller's share of one sale (``ledger_postings.sale``'s ``sellers``)."""
    return developer_shares((line.seller_id, line.split) for line in lines if line is not None)


def credited_per_line(breakdowns: Sequence[CreditBreakdown], count: int, currency: Currency) -> list[Money]:
    """What went back so far of each of ``count`` lines (gross), over the credit breakdowns."""
    taken = [Money.zero(currency)] * count
    for breakdown in breakdowns:
        taken = [before + line.gross for before, line in zip(taken, breakdown.lines, strict=True)]
    return taken


def given_back(lines: Sequence[SellerLine | None], before: Sequence[Money], this: CreditBreakdown) -> dict[UUID, Money]:
    """Each seller's give-back for one refund or lost dispute whose per-line breakdown is
    ``this``, after ``before`` (cumulative gross per line) had already gone back."""
    shares: dict[UUID, Money] = {}
    for line, already, now in zip(lines, before, this.lines, strict=True):
        if line is None:
            continue
        back = line.split.given_back_between(already, already + now.gross)
        if back.is_zero:
            continue
        shares[line.seller_id] = shares[line.seller_id] + back if line.seller_id in shares else back
    return shares
