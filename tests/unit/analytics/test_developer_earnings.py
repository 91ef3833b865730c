"""``developers.earnings``: a publisher's earnings per interval and currency, in minor units, from
billing's ``seller_earnings_posted``. Driven through billing's own use cases on the memory
container (checkout, the provider's events, a partial and a full refund, a lost dispute, a payout
left out), every consumer run as a worker runs it: the metric equals the ledger's credits on the
publisher's payable account less their give-backs, to the cent. A developer reads their own."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore, InMemoryLiveCounters
from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricLimits, MetricRequest
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.ports import CatalogRepository
from devforge.application.billing.published import SellerEarningsPostedV1
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.start_checkout import CheckoutItem
from devforge.application.billing.views import OrderView
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.errors import MetricNotFound
from devforge.domain.analytics.metrics import CURRENCY_DIMENSION, PUBLISHER_DIMENSION
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Filter, Interval
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account
from devforge.domain.billing.money import Money
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

from .test_metric_catalogue import AT, DEVELOPER, OwnersOfOne, asking, uncached

ANALYST = Actor.holding(uuid4(), AnalyticsPermission.READ)
EUR = Currency("EUR")


async def sells(world: PurchaseWorld, code: str, price: int, publisher: UUID) -> None:
    product = CatalogProduct(
        uuid4(), code, code, ProductKind.EXTENSION, None, 14, world.clock.now(), seller_id=publisher
    )
    product.set_price(Price(Money(price, EUR), BillingInterval.ONE_TIME, tax_inclusive=True))
    async with world.container() as scope:
        await (await scope.get(CatalogRepository)).add(product)
        await (await scope.get(UnitOfWork)).commit()


async def bought(world: PurchaseWorld, *extensions: str) -> tuple[OrderView, UUID]:
    customer = await world.customer()
    order = await world.checkout(customer, "editor-pro", more=tuple(CheckoutItem(code) for code in extensions))
    await world.deliver(*world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now()))
    return order, customer


async def refunded(world: PurchaseWorld, order: OrderView, customer: UUID, amount: int | None) -> None:
    async with world.container() as scope:
        await (await scope.get(RefundOrderHandler))(Actor(customer), RefundOrder(order.id, amount, "changed my mind"))
    await world.deliver()


async def lost_dispute(world: PurchaseWorld, order: OrderView) -> None:
    payment = next(p for p in world.gateway.payments.values() if p.order_id == order.id)
    await world.deliver(world.gateway.open_dispute(payment.payment_id, at=world.clock.now()))
    await world.deliver(world.gateway.close_dispute(payment.payment_id, lost=True, at=world.clock.now()))


async def ledger_earnings(world: PurchaseWorld, publisher: UUID) -> dict[str, int]:
    """Read from the ledger itself: each sale's credit on the publisher's payable account, less
    each refund's and lost dispute's debit on it, by the posting's kind (payouts are not earnings)."""
    account, found = Account.seller_payable(publisher), defaultdict(int)
    async with world.container() as scope:
        for transaction in await (await scope.get(LedgerRepository)).transactions(EUR):
            kind = transaction.idempotency_id.partition(":")[0]
            for entry in transaction.entries:
                if entry.account == account and kind == "sale":
                    found["credits"] -= entry.amount.amount_minor  # a credit: negative in the ledger
                elif entry.account == account and kind in ("refund", "dispute_lost"):
                    found["reversals"] += entry.amount.amount_minor  # a debit: positive
    return dict(found)


async def test_a_publishers_earnings_equal_the_ledgers_credits_less_reversals_to_the_cent() -> None:
    world = await purchase_world()
    ada, bob = uuid4(), uuid4()
    await sells(world, "ext-lint", 1999, ada)
    await sells(world, "ext-fmt", 1250, bob)
    first, _ = await bought(world, "ext-lint")
    second, second_buyer = await bought(world, "ext-lint", "ext-fmt")
    world.clock.advance(timedelta(days=1))
    third, third_buyer = await bought(world, "ext-lint")
    await refunded(world, second, second_buyer, 3333)  # a part of the cart: a share of each seller's back
    await refunded(world, third, third_buyer, None)  # all of it: ada's whole share of it back
    await lost_dispute(world, first)
    async with world.container() as scope:  # a payout moves ada's balance, not her earnings
        payout = ledger_postings.payout("run-1:ada", ada, Money(500, EUR), world.clock.now())
        await (await scope.get(LedgerRepository)).post(payout)
        await (await scope.get(UnitOfWork)).commit()
    await world.deliver()

    start = world.clock.now() - timedelta(days=2)
    async with world.container() as scope:
        evaluate = await scope.get(EvaluateMetric)
        for publisher in (ada, bob):
            ledger = await ledger_earnings(world, publisher)
            assert ledger["credits"] > 0 and ledger["reversals"] > 0  # both moved, or the test proves nothing
            mine = (Filter(PUBLISHER_DIMENSION, (str(publisher),)),)
            request = MetricRequest("developers.earnings", start, world.clock.now() + timedelta(hours=1), filters=mine)
            series = await evaluate(ANALYST, request)
            assert {p.breakdown for p in series.points} == {"EUR"}
            assert sum(p.value for p in series.points) == ledger["credits"] - ledger["reversals"]
            monthly = await evaluate(ANALYST, replace(request, interval=Interval.MONTH))
            assert [p.value for p in monthly.points] == [ledger["credits"] - ledger["reversals"]]


def earned(publisher: UUID, amount: int, currency: str, movement: str = "sale") -> SellerEarningsPostedV1:
    return SellerEarningsPostedV1(
        transaction_id=uuid4(), publisher_id=publisher, movement=movement, amount=amount, currency=currency
    )


async def recorded(*facts: tuple[SellerEarningsPostedV1, timedelta]) -> InMemoryAnalyticsStore:
    store = InMemoryAnalyticsStore()
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    for fact, after in facts:
        envelope = fact.envelope(AT + after)
        await consumer.handle(envelope)
        await consumer.handle(envelope)  # redelivered: counted once
    return store


async def test_a_developer_reads_their_own_earnings_per_day_and_currency_never_added_across() -> None:
    mine, theirs = uuid4(), uuid4()
    store = await recorded(
        (earned(mine, 1399, "EUR"), timedelta()),
        (earned(mine, 700, "USD"), timedelta()),
        (earned(mine, -467, "EUR", "refund"), timedelta(hours=2)),
        (earned(mine, 1399, "EUR"), -timedelta(days=1)),
        (earned(theirs, 875, "EUR"), timedelta()),
    )
    evaluate = EvaluateMetric(CONTEXTS.metric_catalogue(), store, OwnersOfOne(mine), MetricLimits(), uncached())
    series = await evaluate(DEVELOPER, asking("developers.earnings"))
    day = AT.replace(hour=0)
    assert sorted((p.bucket, p.breakdown, p.value) for p in series.points) == [
        (day - timedelta(days=1), "EUR", 1399),
        (day, "EUR", 932),
        (day, "USD", 700),
    ]
    refunds = await evaluate(
        DEVELOPER, asking("developers.earnings", filters=(Filter("properties.movement", ("refund",)),))
    )
    assert [(p.breakdown, p.value) for p in refunds.points] == [("EUR", -467)]
    euros = (Filter(CURRENCY_DIMENSION, ("EUR",)),)
    in_euros = await evaluate(DEVELOPER, asking("developers.earnings", filters=euros))
    assert sum(p.value for p in in_euros.points) == 1399 + 932
    theirs_asked = (Filter(PUBLISHER_DIMENSION, (str(theirs),)),)
    with pytest.raises(MetricNotFound):
        await evaluate(DEVELOPER, asking("developers.earnings", filters=theirs_asked))
