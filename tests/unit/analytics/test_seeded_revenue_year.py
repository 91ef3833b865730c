"""Issue 15's must-show: a seeded year of subscriptions with upgrades, downgrades, refunds, churn
and reactivation, driven through billing's own use cases (checkout, the provider's events through
the webhook inbox, renewals, refunds) on the memory container, with every consumer run as a worker
runs it. Analytics' MRR and its movements equal a calculation written plainly here (intervals of
each subscription, not the domain's calculator), and billing's ledger (its published read):
every charge and every month's billed and refunded sums, and each month's closing MRR rebuilt from
the ledger's own charges, to the minor unit.

Upgrades and downgrades are a customer's further subscription and the end of one of several
(billing has no change of plan within a subscription)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from dishka import Provider

from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.reconcile_revenue import ReconcileRevenue
from devforge.application.analytics.revenue_figures import RevenueFigures
from devforge.application.billing.manage_catalog import (
    CreateCatalogProduct,
    CreateCatalogProductHandler,
    SetPrice,
    SetPriceHandler,
)
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.subscription_ledger import SubscriptionLedger
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world

START = datetime(2026, 1, 1, 12, tzinfo=UTC)
MONTHS = [datetime(2026, m, 1, tzinfo=UTC) for m in range(1, 13)]
ANALYST = Actor.holding(uuid4(), AnalyticsPermission.READ)


@dataclass
class Sub:
    """What the test itself saw: who, what it charges net a period, when it started and ended."""

    customer: str
    product: str
    provider_id: str
    order_id: UUID
    currency: str
    interval: str
    net: int
    started: datetime
    ended: datetime | None = None

    @property
    def monthly(self) -> int:
        return self.net if self.interval == "month" else self.net // 12

    def active_just_before(self, moment: datetime) -> bool:
        return self.started < moment and (self.ended is None or self.ended >= moment)

    def active_just_after(self, moment: datetime) -> bool:
        return self.started <= moment and (self.ended is None or self.ended > moment)


class Year:
    def __init__(self, world: PurchaseWorld) -> None:
        self.world, self.subs, self.customers = world, list[Sub](), dict[str, UUID]()
        self.billed: dict[tuple[datetime, str], int] = defaultdict(int)
        self.refunded: dict[tuple[datetime, str], int] = defaultdict(int)

    @property
    def now(self) -> datetime:
        return self.world.clock.now()

    async def subscribe(self, customer: str, product: str, interval: str, currency: str) -> Sub:
        if customer not in self.customers:
            self.customers[customer] = await self.world.customer()
        order = await self.world.checkout(
            self.customers[customer], product=product, interval=BillingInterval(interval), currency=currency
        )
        session = list(self.world.gateway.checkouts)[-1]
        events = self.world.gateway.complete_checkout(session, at=self.now)
        await self.world.deliver(*events)
        assert events[0].subscription_id is not None
        net = order.total.net.amount_minor
        sub = Sub(customer, product, events[0].subscription_id, order.id, currency, interval, net, self.now)
        self.subs.append(sub)
        self.billed[(_month(self.now), currency)] += sub.net
        return sub

    async def end(self, *subs: Sub) -> None:
        for sub in subs:
            sub.ended = self.now
        await self.world.deliver(*(self.world.gateway.end_subscription(s.provider_id, at=self.now) for s in subs))

    async def refund(self, sub: Sub, amount: int | None) -> None:
        async with self.world.container() as scope:
            refund = await (await scope.get(RefundOrderHandler))(
                Actor(self.customers[sub.customer]), RefundOrder(sub.order_id, amount, "seeded")
            )
        self.refunded[(_month(self.now), sub.currency)] += refund.refund.amount.amount_minor
        await self.world.deliver()
        if amount is None:  # a purchase taken back in full is cancelled at the provider: churn
            sub.ended = self.now

    async def dispute(self, sub: Sub, amount: int, lost: bool) -> None:
        """The buyer disputes the first payment with their bank; lost, the money goes back and the
        subscription is taken back (churn)."""
        payment = next(p for p in self.world.gateway.payments.values() if p.order_id == sub.order_id)
        if not lost:
            await self.world.deliver(self.world.gateway.open_dispute(payment.payment_id, at=self.now, amount=amount))
            return
        await self.world.deliver(self.world.gateway.close_dispute(payment.payment_id, lost=True, at=self.now))
        self.refunded[(_month(self.now), sub.currency)] += amount
        sub.ended = self.now

    async def renew_what_is_due(self) -> None:
        for sub in self.subs:
            provider = self.world.gateway.subscriptions[sub.provider_id]
            if sub.ended is None and provider.current_period_end and provider.current_period_end <= self.now:
                await self.world.deliver(self.world.gateway.renew(sub.provider_id, at=self.now))
                self.billed[(_month(self.now), sub.currency)] += sub.net


def _month(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


async def seeded_year(*providers: Provider, **settings: object) -> Year:
    """``providers``/``settings``: the world on a database (SQL providers and its ``database_url``)."""
    world = await purchase_world(ManualClock(START), *providers, **settings)
    await plans(world)
    year = Year(world)
    script = {
        (1, 10): [("subscribe", "ada", "editor-pro", "month", "EUR")],
        (1, 20): [("subscribe", "bo", "editor-pro", "month", "EUR")],
        (2, 14): [("subscribe", "cy", "editor-pro", "year", "EUR")],
        (2, 20): [("refund", "cy", 2000)],  # a partial refund: money back, no MRR change
        (3, 3): [("subscribe", "ada", "editor-team", "month", "EUR")],  # upgrade: expansion
        (3, 5): [("subscribe", "dee", "editor-pro", "month", "USD")],
        (3, 10): [("refund", "dee", None)],  # taken back in full: churn in USD
        (4, 25): [("end", "bo")],  # churn
        (5, 2): [("subscribe", "gus", "editor-pro", "year", "EUR")],
        (5, 20): [("dispute", "gus", 10_009)],
        (6, 3): [("lost", "gus", 10_009)],  # a lost dispute: money back, and churn
        (6, 12): [("end", "ada", "editor-pro")],  # downgrade: contraction
        (7, 1): [
            ("subscribe", "eve", "editor-pro", "month", "EUR"),
            ("subscribe", "eve", "editor-team", "month", "EUR"),
        ],
        (8, 8): [("subscribe", "bo", "editor-pro", "year", "EUR")],  # reactivation, on a yearly plan
        (9, 30): [("end", "eve")],  # both at once: one churn
        (10, 2): [("subscribe", "dee", "editor-pro", "month", "USD")],  # reactivation in USD
        (11, 30): [("subscribe", "fay", "editor-team", "month", "EUR")],
    }
    while year.now < datetime(2027, 1, 1, tzinfo=UTC):
        await year.renew_what_is_due()
        for action, customer, *rest in script.get((year.now.month, year.now.day), []) if year.now.year == 2026 else []:
            mine = [s for s in year.subs if s.customer == customer and s.ended is None]
            if action == "subscribe":
                await year.subscribe(customer, *rest)  # type: ignore[arg-type]
            elif action in ("dispute", "lost"):
                await year.dispute(mine[-1], rest[0], lost=action == "lost")  # type: ignore[arg-type]
            elif action == "refund":
                await year.refund(mine[-1], rest[0])  # type: ignore[arg-type]
            else:
                await year.end(*[s for s in mine if not rest or s.product == rest[0]])
        world.clock.advance(timedelta(days=1))
    return year


async def plans(world: PurchaseWorld) -> None:
    """The seeded editor-pro (monthly EUR, tax included) gains a yearly EUR and a monthly USD price
    (tax added), and a team plan sells monthly in EUR."""
    team = CreateCatalogProduct("editor-team", "Dev Forge Team", ProductKind.EDITOR_PLAN, str(world.policy_id))
    async with world.container() as scope:
        await (await scope.get(CreateCatalogProductHandler))(team)
    prices = [
        SetPrice("editor-pro", "EUR", BillingInterval.YEAR, 10_009, tax_inclusive=True),
        SetPrice("editor-pro", "USD", BillingInterval.MONTH, 1_200),
        SetPrice("editor-team", "EUR", BillingInterval.MONTH, 2_500, tax_inclusive=True),
    ]
    for price in prices:
        async with world.container() as scope:
            await (await scope.get(SetPriceHandler))(price)


# The independent calculation: each subscription an interval [started, ended) of its monthly amount.


def mrr_just_before(subs: list[Sub], moment: datetime, currency: str) -> int:
    return sum(s.monthly for s in subs if s.currency == currency and s.active_just_before(moment))


def expected_movements(subs: list[Sub]) -> dict[tuple[datetime, str, str], int]:
    """(month, currency, kind) -> amount: per customer and currency, at each moment a subscription
    starts or ends, its MRR just before and just after."""
    found: dict[tuple[datetime, str, str], int] = defaultdict(int)
    accounts = {(s.customer, s.currency) for s in subs}
    for customer, currency in accounts:
        mine = [s for s in subs if (s.customer, s.currency) == (customer, currency)]
        moments = sorted({s.started for s in mine} | {s.ended for s in mine if s.ended})
        paid_before = False
        for moment in moments:
            before = sum(s.monthly for s in mine if s.active_just_before(moment))
            after = sum(s.monthly for s in mine if s.active_just_after(moment))
            if before == 0 and after > 0:
                kind = "reactivation" if paid_before else "new"
            elif after == 0 and before > 0:
                kind = "churn"
            elif after > before:
                kind = "expansion"
            elif after < before:
                kind = "contraction"
            else:
                continue
            found[(_month(moment), currency, kind)] += abs(after - before)
            paid_before = paid_before or after > 0
    return found


async def test_a_seeded_year_of_mrr_and_movements_equals_a_plain_calculation_and_the_ledger() -> None:
    await check_the_year(await seeded_year())


async def check_the_year(year: Year) -> None:
    """MRR, movements, ARR, accounts and ARPA per month and currency equal the plain calculation;
    the reconciliation finds nothing; the ledger's charges and refunds are the test's own record,
    and each month's closing MRR is rebuilt from the ledger's charges."""
    subs = year.subs
    async with year.world.container() as scope:
        figures = await (await scope.get(RevenueFigures)).months(ANALYST, MONTHS[0], MONTHS[-1])
        mismatches = await (await scope.get(ReconcileRevenue))(ANALYST, MONTHS[0], datetime(2027, 1, 1, tzinfo=UTC))
        ledger_charges = await (await scope.get(SubscriptionLedger)).charges(
            MONTHS[0], datetime(2027, 1, 1, tzinfo=UTC)
        )
        ledger_back = await (await scope.get(SubscriptionLedger)).given_back(
            MONTHS[0], datetime(2027, 1, 1, tzinfo=UTC)
        )

    movements = expected_movements(subs)
    kinds = ("new", "expansion", "contraction", "churn", "reactivation")
    assert {kind for (_, _, kind) in movements} == set(kinds)  # the year has every kind of movement
    by_month = {(f.month, f.currency): f for f in figures}
    for month in MONTHS:
        end = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
        for currency in ("EUR", "USD"):
            got = by_month.get((month, currency))
            opening, closing = mrr_just_before(subs, month, currency), mrr_just_before(subs, end, currency)
            wanted = {kind: movements.get((month, currency, kind), 0) for kind in kinds}
            if got is None:
                assert opening == closing == 0 and not any(wanted.values()), (month, currency)
                continue
            assert (got.opening, got.closing, got.arr) == (opening, closing, 12 * closing), (month, currency)
            assert {kind: getattr(got, kind) for kind in kinds} == wanted, (month, currency)
            paying = {s.customer for s in subs if s.currency == currency and s.active_just_before(end)}
            assert (got.accounts, got.arpa) == (len(paying), closing // len(paying) if paying else 0)
            # The ledger's own figures: each paid subscription's latest recognised charge, normalised.
            latest = {c.order_id: c for c in sorted(ledger_charges, key=lambda c: c.at) if c.at < end}
            from_ledger = sum(
                latest[s.order_id].net // (12 if s.interval == "year" else 1)
                for s in subs
                if s.currency == currency and s.active_just_before(end)
            )
            assert closing == from_ledger, (month, currency)

    assert mismatches == []
    ledger_billed: dict[tuple[datetime, str], int] = defaultdict(int)
    for charge in ledger_charges:
        ledger_billed[(_month(charge.at), charge.currency)] += charge.net
    assert dict(ledger_billed) == dict(year.billed)
    ledger_refunded: dict[tuple[datetime, str], int] = defaultdict(int)
    for back in ledger_back:
        ledger_refunded[(_month(back.at), back.currency)] += back.amount
    assert dict(ledger_refunded) == dict(year.refunded)
