"""The ledger transactions billing posts, one builder per kind of money movement.

Each builder takes the fact's own id and derives the transaction's idempotency id from it
(``sale:<order>``, ``refund:<refund>``...), and its id from that (``uuid5``), so posting the
same fact twice yields the same transaction. Debits are positive, credits negative.

| Movement | Debit | Credit |
|---|---|---|
| sale | processor clearing (gross) | revenue (net less sellers' shares), tax payable, seller payable (each share) |
| processor fee | processor fees | processor clearing |
| refund | refunds (net), tax payable (tax) | processor clearing (gross) |
| dispute opened | disputes (the held amount) | processor clearing |
| dispute won | the reversal of "dispute opened" | |
| dispute lost | refunds (net), tax payable (tax) | disputes (gross) |
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
    TAX_PAYABLE,
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


def refund(refund_id: UUID, credited: TaxedAmount, at: datetime) -> LedgerTransaction:
    entries = [(REFUNDS, credited.net), (TAX_PAYABLE, credited.tax), (CLEARING, -credited.gross)]
    return _build(f"refund:{refund_id}", entries, f"Refund {refund_id}", at)


def dispute_opened(dispute_id: str, held: Money, at: datetime) -> LedgerTransaction:
    return _build(
        f"dispute_opened:{dispute_id}", [(DISPUTES, held), (CLEARING, -held)], f"Dispute {dispute_id} opened", at
    )


def dispute_won(opened: LedgerTransaction, dispute_id: str, at: datetime) -> LedgerTransaction:
    key = f"dispute_won:{dispute_id}"
    return opened.reversal(
        id=transaction_id(key), idempotency_id=key, occurred_at=at, description=f"Dispute {dispute_id} won"
    )


def dispute_lost(dispute_id: str, lost: TaxedAmount, at: datetime) -> LedgerTransaction:
    entries = [(REFUNDS, lost.net), (TAX_PAYABLE, lost.tax), (DISPUTES, -lost.gross)]
    return _build(f"dispute_lost:{dispute_id}", entries, f"Dispute {dispute_id} lost", at)
