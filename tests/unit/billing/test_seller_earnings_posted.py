"""Which postings move a publisher's earnings from sales, and by how much: a sale's shares, a
refund's and a lost dispute's give-backs, each the entry on the seller's payable account with its
sign turned; never a payout or a service payment. The same posting tells the same events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID, uuid4

from devforge.adapters.memory.billing_documents import InMemoryLedgerRepository
from devforge.adapters.memory.outbox import InMemoryOutbox
from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.published import SellerEarningsPostedV1
from devforge.application.billing.seller_earnings_publication import post_publishing_earnings
from devforge.application.common.integration_events import EventEnvelope
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.money import Money
from devforge.domain.billing.seller_earnings import earnings_posted
from devforge.domain.billing.tax import TaxedAmount

AT = datetime(2026, 5, 4, 10, tzinfo=UTC)
ADA, BOB = UUID(int=1), UUID(int=2)


def eur(amount: int) -> Money:
    return Money.of(amount, "EUR")


def test_a_sale_credits_each_seller_and_a_refund_gives_some_back() -> None:
    order = uuid4()
    sale = ledger_postings.sale(order, TaxedAmount.of(eur(3000), eur(570)), AT, {ADA: eur(1400), BOB: eur(700)})
    assert sorted((e.publisher_id, e.movement, e.amount, e.currency) for e in earnings_posted(sale)) == [
        (ADA, "sale", 1400, "EUR"),
        (BOB, "sale", 700, "EUR"),
    ]
    refund = ledger_postings.refund(uuid4(), TaxedAmount.of(eur(1000), eur(190)), AT, {ADA: eur(467)})
    assert [(e.publisher_id, e.movement, e.amount) for e in earnings_posted(refund)] == [(ADA, "refund", -467)]
    lost = ledger_postings.dispute_lost("dp_1", TaxedAmount.of(eur(3000), eur(570)), AT, {BOB: eur(700)})
    assert [(e.movement, e.amount) for e in earnings_posted(lost)] == [("dispute_lost", -700)]
    renewal = ledger_postings.sale(order, TaxedAmount.of(eur(3000), eur(570)), AT, {ADA: eur(1400)}, renewal="in_2")
    assert [(e.movement, e.amount) for e in earnings_posted(renewal)] == [("sale", 1400)]


def test_payouts_and_service_payments_are_not_earnings_from_sales() -> None:
    assert earnings_posted(ledger_postings.payout("run-1:ada", ADA, eur(500), AT)) == []
    assert earnings_posted(ledger_postings.service_payment(uuid4(), ADA, eur(9000), "a talk", AT)) == []
    assert earnings_posted(ledger_postings.sale(uuid4(), TaxedAmount.of(eur(3000), eur(570)), AT)) == []


def test_the_same_posting_tells_the_same_events() -> None:
    order = uuid4()
    twice = [
        earnings_posted(ledger_postings.sale(order, TaxedAmount.of(eur(3000), eur(570)), AT, {ADA: eur(1400)}))
        for _ in range(2)
    ]
    assert [e.event_id for e in twice[0]] == [e.event_id for e in twice[1]]


class WrittenOutbox(InMemoryOutbox):
    """Keeps every envelope added, repeats included (the memory outbox keys by id and would hide one)."""

    def __init__(self) -> None:
        super().__init__(MemoryStore())
        self.added: list[EventEnvelope] = []

    async def add(self, events: Sequence[EventEnvelope]) -> None:
        self.added.extend(events)
        await super().add(events)


async def test_a_posting_is_published_with_its_earnings_once_however_often_it_is_posted() -> None:
    ledger, outbox = InMemoryLedgerRepository(MemoryStore()), WrittenOutbox()
    sale = ledger_postings.sale(uuid4(), TaxedAmount.of(eur(3000), eur(570)), AT, {ADA: eur(1400), BOB: eur(700)})
    assert await post_publishing_earnings(ledger, outbox, sale)
    assert not await post_publishing_earnings(ledger, outbox, sale)  # a redelivery
    published = sorted((e.publisher_id, e.amount) for e in map(SellerEarningsPostedV1.decode, outbox.added))
    assert published == [(ADA, 1400), (BOB, 700)]
    payout = ledger_postings.payout("run-1:ada", ADA, eur(500), AT)
    assert await post_publishing_earnings(ledger, outbox, payout)
    assert len(outbox.added) == 2
