"""The ledger transactions billing posts, one builder per kind of money movement.

Each builder takes the fact's own id and derives the transaction's idempotency id from it
(``sale:<order>``, ``refund:<refund>``...), and its id from that (``uuid5``), so posting the
same fact twice yields the same transaction. Debits are positive, credits negative.

| Movement | Debit | Credit |
|---|---|---|
| sale | processor clearing (gross) | revenue (net less sellers' shares), tax payable, seller payable (each share) |
| processor fee (estimate at sale) | processor fees | processor clearing |
| fee true-up (the real fee arrived) | processor fees (the difference; credit when it was less) | processor clearing |
| refund | refunds (net less give-backs), seller payable (each give-back), tax payable | processor clearing (gross) |
| dispute opened | disputes (the held amount) | processor clearing |
| dispute won | the reversal of "dispute opened" | |
| dispute lost | refunds (net less give-backs), seller payable (give-backs), tax payable (tax) | disputes (gross) |
| payout (a transfer) | seller payable (transferred + withheld) | clearing (transferred), tax withheld |
| payout returned (reversed or failed) | the reversal of "payout" | |
| service payment (the platform pays a publisher for services) | services | seller payable |

Sellers' shares and give-backs are ``revenue_share``'s figures; the processor's fee is the
platform's cost and never touches a seller's account.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from devforge.domain.billing.ledger import (
    CLEARING,
    DISPUTES,
    PROCESSOR_FEES,
    REFUNDS,
    REVENUE,
    SERVICES,
    TAX_PAYABLE,
    TAX_WITHHELD,
    Account,
    LedgerTransaction,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount

_NAMESPACE = uuid5(NAMESPACE_URL, "https://devforge.dev/billing/ledger")


def transaction_id(idempotency_id: str) -> UUID:
    return uuid5(_NAMESPACE, idempotency_id)


def _build(
    idempotency_id: str, entries: list[tuple[Account, Money]], description: str, at: datetime
) -> LedgerTransaction:
    return LedgerTransaction.of(
        id=transaction_id(idempotency_id),
        idempotency_id=idempotency_id,
        entries=entries,
        description=description,
        occurred_at=at,
    )


def sale(
    order_id: UUID,
    amounts: TaxedAmount,
    at: datetime,
    sellers: Mapping[UUID, Money] | None = None,
    *,
    renewal: str | None = None,
) -> LedgerTransaction:
    """A paid order (``sale:<order>``), or a paid renewal of its subscription (``renewal``: the
    provider's invoice of the period; ``sale:<order>:<renewal>``). ``sellers``: each developer's
    share of the net (the marketplace split)."""
    shares = dict(sellers or {})
    platform_net = amounts.net - Money.total(shares.values(), amounts.currency)
    entries = [(CLEARING, amounts.gross), (REVENUE, -platform_net), (TAX_PAYABLE, -amounts.tax)]
    entries += [(Account.seller_payable(developer), -share) for developer, share in sorted(shares.items())]
    if renewal is not None:
        return _build(f"sale:{order_id}:{renewal}", entries, f"Renewal {renewal}, order {order_id}", at)
    return _build(f"sale:{order_id}", entries, f"Sale, order {order_id}", at)


def processor_fee(payment_id: str, fee: Money, at: datetime) -> LedgerTransaction:
    return _build(f"fee:{payment_id}", [(PROCESSOR_FEES, fee), (CLEARING, -fee)], f"Processor fee, {payment_id}", at)


def fee_true_up(payment_id: str, estimated: Money, actual: Money, at: datetime) -> LedgerTransaction | None:
    """The real fee replaces the estimate posted at sale (``fee:<payment>``): the difference, or
    nothing when the estimate was right. Posted once per payment (``fee_true_up:<payment>``)."""
    difference = actual - estimated
    if difference.is_zero:
        return None
    entries = [(PROCESSOR_FEES, difference), (CLEARING, -difference)]
    return _build(f"fee_true_up:{payment_id}", entries, f"Processor fee trued up, {payment_id}", at)


def _taking_back(
    taken: TaxedAmount, given_back: Mapping[UUID, Money] | None, debit_from: Account
) -> list[tuple[Account, Money]]:
    shares = dict(given_back or {})
    platform = taken.net - Money.total(shares.values(), taken.currency)
    entries = [(REFUNDS, platform), (TAX_PAYABLE, taken.tax), (debit_from, -taken.gross)]
    return entries + [(Account.seller_payable(developer), share) for developer, share in sorted(shares.items())]


def refund(
    refund_id: UUID, credited: TaxedAmount, at: datetime, given_back: Mapping[UUID, Money] | None = None
) -> LedgerTransaction:
    """``given_back``: each developer's share of this refund (``LineSplit.given_back_between``)."""
    return _build(f"refund:{refund_id}", _taking_back(credited, given_back, CLEARING), f"Refund {refund_id}", at)


def dispute_opened(dispute_id: str, held: Money, at: datetime) -> LedgerTransaction:
    return _build(
        f"dispute_opened:{dispute_id}", [(DISPUTES, held), (CLEARING, -held)], f"Dispute {dispute_id} opened", at
    )


def dispute_won(opened: LedgerTransaction, dispute_id: str, at: datetime) -> LedgerTransaction:
    key = f"dispute_won:{dispute_id}"
    return opened.reversal(
        id=transaction_id(key), idempotency_id=key, occurred_at=at, description=f"Dispute {dispute_id} won"
    )


def dispute_lost(
    dispute_id: str, lost: TaxedAmount, at: datetime, given_back: Mapping[UUID, Money] | None = None
) -> LedgerTransaction:
    entries = _taking_back(lost, given_back, DISPUTES)
    return _build(f"dispute_lost:{dispute_id}", entries, f"Dispute {dispute_id} lost", at)


def payout(
    payout_id: str, developer: UUID, amount: Money, at: datetime, *, withheld: Money | None = None
) -> LedgerTransaction:
    """A transfer of ``amount`` to ``developer`` (``payout:<id>``; the id derives from the run
    and the developer, so a run restarted posts each payout once). ``withheld``: tax withheld
    from this payout (backup or non-US withholding), owed to the tax authority instead: the
    developer's balance goes down by ``amount + withheld``."""
    entries = [(Account.seller_payable(developer), amount), (CLEARING, -amount)]
    if withheld is not None and not withheld.is_zero:
        entries = [
            (Account.seller_payable(developer), amount + withheld),
            (CLEARING, -amount),
            (TAX_WITHHELD, -withheld),
        ]
    return _build(f"payout:{payout_id}", entries, f"Payout {payout_id}", at)


def payout_returned(paid: LedgerTransaction, payout_id: str, at: datetime) -> LedgerTransaction:
    """A reversed transfer or a failed payout: the money is owed to the developer again."""
    key = f"payout_returned:{payout_id}"
    return paid.reversal(
        id=transaction_id(key), idempotency_id=key, occurred_at=at, description=f"Payout {payout_id} returned"
    )


SERVICES_PREFIX = "services:"


def service_payment(
    payment_id: UUID, publisher: UUID, amount: Money, description: str, at: datetime
) -> LedgerTransaction:
    """The platform owes a publisher for services it rendered to the platform (``services:<id>``,
    the id chosen by the admin who records it, so recording it twice posts once). Paid out with
    the publisher's next payout; reported on Form 1099-NEC."""
    entries = [(SERVICES, amount), (Account.seller_payable(publisher), -amount)]
    return _build(f"{SERVICES_PREFIX}{payment_id}", entries, f"Services: {description}", at)
