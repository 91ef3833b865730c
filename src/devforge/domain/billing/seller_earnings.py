"""Which ledger postings move a publisher's earnings from sales, and by how much: the entries on
``seller_payable:<publisher>`` of a sale (a renewal too: ``sale:<order>:<renewal>``), a refund and a
lost dispute. A payout, a returned payout and a service payment move the same account but are
not earnings from sales (paying out what was earned; the platform paying for services).

Each is one ``SellerEarningsPosted`` per publisher, its id derived from the posting and the
publisher, so the same posting always tells the same events."""

from __future__ import annotations

from uuid import UUID, uuid5

from devforge.domain.billing.events import SellerEarningsPosted
from devforge.domain.billing.ledger import AccountKind, LedgerTransaction

EARNING_MOVEMENTS = ("sale", "refund", "dispute_lost")
"""The postings' kinds (their idempotency id's prefix) that move earnings from sales."""


def movement_of(transaction: LedgerTransaction) -> str | None:
    kind = transaction.idempotency_id.partition(":")[0]
    return kind if kind in EARNING_MOVEMENTS else None


def earnings_posted(transaction: LedgerTransaction) -> list[SellerEarningsPosted]:
    """Earnings are what the publisher is owed: a credit on their payable account (negative in
    the ledger) is a positive amount here."""
    movement = movement_of(transaction)
    if movement is None:
        return []
    return [
        SellerEarningsPosted(
            occurred_at=transaction.occurred_at,
            event_id=uuid5(transaction.id, entry.account.code),
            transaction_id=transaction.id,
            publisher_id=_uuid(entry.account.party),
            movement=movement,
            amount=-entry.amount.amount_minor,
            currency=transaction.currency.code,
        )
        for entry in transaction.entries
        if entry.account.kind is AccountKind.SELLER_PAYABLE
    ]


def _uuid(party: str | None) -> UUID:
    return UUID(str(party))
