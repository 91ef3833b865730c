"""Selling extensions: a publisher's owner prices its extension (object-level: anyone else is
told there is no such extension), a cart mixes sellers under one charge, the commission is fixed
on each line when it is paid, and refunds give back each seller's share in proportion, exactly
the whole share once everything went back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.adapters.memory.billing import InMemoryCatalogRepository
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.application.billing.commission_rates import CommissionRates
from devforge.application.billing.extension_sellers import SellableExtension
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.manage_catalog import SetPrice, SetPriceHandler
from devforge.application.billing.ports import CatalogRepository, OrderRepository
from devforge.application.billing.price_extension import (
    ExtensionPrice,
    PriceExtension,
    PriceExtensionHandler,
    extension_product_code,
)
from devforge.application.billing.start_checkout import CheckoutItem
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.credit_note import CreditBreakdown, credit_note_for
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import (
    CartInvalid,
    ExtensionNotForSale,
    ExtensionNotLicensed,
    OrderNotPayable,
    PolicyNotOfProduct,
    PriceInvalid,
    ProductCodeInvalid,
)
from devforge.domain.billing.ledger import Account
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import OrderLine
from devforge.domain.billing.revenue_share import CommissionRule, CommissionSchedule
from devforge.domain.billing.seller_shares import credited_per_line, given_back, sale_shares, seller_line
from devforge.domain.billing.tax import TaxedAmount, tax_from_gross
from devforge.domain.marketplace.publisher import Publisher
from tests.fakes.extension_sellers import FakeExtensionSellers
from tests.unit.billing.purchase_world import purchase_world
from tests.unit.billing.test_order import an_order

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
EUR = Currency("EUR")


def a_paid_extension(sellers: FakeExtensionSellers) -> tuple[SellableExtension, UUID]:
    product, policy = uuid4(), uuid4()
    extension = SellableExtension(uuid4(), "Lint", uuid4(), uuid4(), product)
    sellers.extensions[extension.extension_id] = extension
    sellers.policies[policy] = product
    return extension, policy


def one_price(amount: int = 1999, interval: BillingInterval = BillingInterval.ONE_TIME) -> tuple[ExtensionPrice, ...]:
    return (ExtensionPrice("EUR", interval, amount, tax_inclusive=True),)


async def test_the_owner_prices_an_extension_sold_for_its_publisher_and_a_second_price_adds_to_it() -> None:
    store, sellers = MemoryStore(), FakeExtensionSellers()
    extension, policy = a_paid_extension(sellers)
    owner = Actor(extension.owner_id)
    handler = PriceExtensionHandler(
        InMemoryUnitOfWork(store), InMemoryCatalogRepository(store), sellers, ManualClock(NOW)
    )
    await handler(owner, PriceExtension(extension.extension_id, policy, one_price()))
    later = PriceExtensionHandler(
        InMemoryUnitOfWork(store), InMemoryCatalogRepository(store), sellers, ManualClock(NOW)
    )
    monthly = one_price(299, BillingInterval.MONTH)
    product = await later(owner, PriceExtension(extension.extension_id, policy, monthly))
    assert product.code == extension_product_code(extension.extension_id)
    assert (product.kind, product.seller_id, product.policy_id) == (
        ProductKind.EXTENSION,
        extension.publisher_id,
        str(policy),
    )
    stored = await InMemoryCatalogRepository(store).get_by_code(product.code)
    assert stored is not None and sorted(p.amount.amount_minor for p in stored.prices) == [299, 1999]


@pytest.mark.parametrize("who", ["a stranger", "a missing extension"])
async def test_anyone_but_the_owner_is_told_there_is_no_such_extension(who: str) -> None:
    store, sellers = MemoryStore(), FakeExtensionSellers()
    extension, policy = a_paid_extension(sellers)
    handler = PriceExtensionHandler(
        InMemoryUnitOfWork(store), InMemoryCatalogRepository(store), sellers, ManualClock(NOW)
    )
    actor, target = (
        (Actor(uuid4()), extension.extension_id)
        if who == "a stranger"
        else (
            Actor(extension.owner_id),
            uuid4(),
        )
    )
    with pytest.raises(ExtensionNotForSale):
        await handler(actor, PriceExtension(target, policy, one_price()))
    assert await InMemoryCatalogRepository(store).list_active() == []


async def test_bad_input_is_refused_naming_the_field() -> None:
    store, sellers = MemoryStore(), FakeExtensionSellers()
    extension, policy = a_paid_extension(sellers)
    owner = Actor(extension.owner_id)
    handler = PriceExtensionHandler(
        InMemoryUnitOfWork(store), InMemoryCatalogRepository(store), sellers, ManualClock(NOW)
    )
    free = SellableExtension(uuid4(), "Theme", extension.publisher_id, extension.owner_id, None)
    sellers.extensions[free.extension_id] = free
    with pytest.raises(ExtensionNotLicensed) as refused:
        await handler(owner, PriceExtension(free.extension_id, policy, one_price()))
    assert refused.value.field == "extensionId"
    others = uuid4()
    sellers.policies[others] = uuid4()
    with pytest.raises(PolicyNotOfProduct) as refused_policy:
        await handler(owner, PriceExtension(extension.extension_id, others, one_price()))
    assert refused_policy.value.field == "policyId"
    with pytest.raises(PriceInvalid) as refused_price:
        await handler(owner, PriceExtension(extension.extension_id, policy, (*one_price(), *one_price(0))))
    assert refused_price.value.field == "prices[1].amount"
    with pytest.raises(PriceInvalid) as twice:
        await handler(owner, PriceExtension(extension.extension_id, policy, (*one_price(), *one_price(500))))
    assert twice.value.field == "prices[1].interval"


def test_only_an_extension_is_sold_for_a_seller() -> None:
    with pytest.raises(ProductCodeInvalid):
        CatalogProduct(uuid4(), "editor-pro", "Pro", ProductKind.EDITOR_PLAN, None, 14, NOW, seller_id=uuid4())


def order_for_sellers(*sellers: UUID | None, gross: int = 9900):  # type: ignore[no-untyped-def]
    order = an_order(gross)
    own = order.lines[0]
    order.lines = tuple(
        OrderLine(f"p{index}", "P", None, own.interval, own.unit_amount, 1, own.amounts, seller_id=seller)
        for index, seller in enumerate(sellers)
    )
    total = TaxedAmount.zero(EUR)
    for line in order.lines:
        total = total + line.amounts
    order.total = total
    return order


def test_the_commission_is_fixed_on_each_sold_line_when_the_order_is_paid_and_never_again() -> None:
    publisher = uuid4()
    order = order_for_sellers(None, publisher)
    assert order.pay("pi_1", order.total.gross, NOW, commissions=(None, 1500))
    order.pay("pi_1", order.total.gross, NOW, commissions=(None, 4000))  # a repeated report: old news
    assert [line.commission_bp for line in order.lines] == [None, 1500]


def test_a_sale_for_a_seller_is_not_paid_without_its_rate() -> None:
    order = order_for_sellers(uuid4())
    with pytest.raises(OrderNotPayable):
        order.pay("pi_1", order.total.gross, NOW)


async def test_the_rate_in_force_at_payment_counts_a_publishers_first_days_from_its_joining() -> None:
    newcomer, veteran, favoured = uuid4(), uuid4(), uuid4()
    sellers = FakeExtensionSellers()
    sellers.joined = {newcomer: NOW - timedelta(days=10), veteran: NOW - timedelta(days=400)}
    schedule = CommissionSchedule(
        rules=(CommissionRule(1500, first_days=365), CommissionRule(1000, publisher=favoured))
    )
    order = order_for_sellers(None, newcomer, veteran, favoured)
    assert await CommissionRates(schedule, sellers).for_order(order, NOW) == (None, 1500, 3000, 1000)


def test_the_settings_build_the_schedule() -> None:
    favoured = uuid4()
    settings = BillingSettings(
        commission_default_bp=2000,
        commission_publisher_bp=[f"{favoured}=500"],
        commission_first_days=90,
        commission_first_days_bp=1000,
    )
    schedule = settings.commission_schedule()
    assert schedule.commission_bp(favoured, NOW, NOW) == 500
    assert schedule.commission_bp(uuid4(), NOW, NOW) == 1000
    assert schedule.commission_bp(uuid4(), NOW - timedelta(days=91), NOW) == 2000


@given(
    grosses=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=4),
    sold=st.lists(st.booleans(), min_size=4, max_size=4),
    commission=st.integers(min_value=0, max_value=10_000),
    cuts=st.lists(st.integers(min_value=1, max_value=10**7), max_size=5),
)
def test_refunds_give_back_each_sellers_share_in_proportion_and_all_of_it_at_the_end(
    grosses: list[int], sold: list[bool], commission: int, cuts: list[int]
) -> None:
    sellers = [uuid4() if sold[index] else None for index in range(len(grosses))]
    amounts = [tax_from_gross(Money(gross, EUR), 1900) for gross in grosses]
    lines = [seller_line(a, s, commission if s else None) for a, s in zip(amounts, sellers, strict=True)]
    shares = sale_shares(lines)
    notes: list[CreditBreakdown] = []
    back: dict[UUID, Money] = {}
    total = sum(grosses)
    for cut in [*cuts, total]:  # partial refunds, then whatever remains
        left = total - sum(note.total.gross.amount_minor for note in notes)
        if left == 0:
            break
        note = credit_note_for(amounts, Money(min(cut, left), EUR), already_credited=notes)
        step = given_back(lines, credited_per_line(notes, len(amounts), EUR), note)
        assert all(not money.is_negative for money in step.values())
        for seller, money in step.items():
            back[seller] = back.get(seller, Money.zero(EUR)) + money
            assert back[seller] <= shares[seller]
        notes.append(note)
    assert back == shares


async def test_a_cart_charges_its_lines_together_only_when_they_can_be() -> None:
    world = await purchase_world()
    buyer = await world.customer()
    for price in (
        SetPrice("theme-pack", "EUR", BillingInterval.YEAR, 900, tax_inclusive=True),
        SetPrice("theme-pack", "USD", BillingInterval.ONE_TIME, 500, tax_inclusive=True),
    ):
        async with world.container() as scope:
            await (await scope.get(SetPriceHandler))(price)
    cart = await world.checkout(buyer, "editor-pro", more=(CheckoutItem("theme-pack", quantity=3),))
    assert [(line.product_code, line.quantity) for line in cart.lines] == [("editor-pro", 1), ("theme-pack", 3)]
    assert cart.total.gross == Money(9900 + 3 * 500, EUR)
    refused = {
        "a subscription with a one-off line": ("EUR", BillingInterval.MONTH, CheckoutItem("theme-pack")),
        "two intervals": ("EUR", BillingInterval.MONTH, CheckoutItem("theme-pack", BillingInterval.YEAR)),
        "mixed tax treatment": ("USD", BillingInterval.ONE_TIME, CheckoutItem("theme-pack")),
        "a product twice": ("EUR", BillingInterval.ONE_TIME, CheckoutItem("editor-pro")),
    }
    for currency, interval, item in refused.values():
        with pytest.raises(CartInvalid) as error:
            await world.checkout(buyer, "editor-pro", currency=currency, interval=interval, more=(item,))
        assert error.value.field == "items"


async def test_a_renewal_credits_the_seller_again_at_the_rate_fixed_when_the_subscription_was_bought() -> None:
    """A publisher in its first 30 days sells at 10 %; the renewal, past those days, still does."""
    world = await purchase_world(commission_first_days=30, commission_first_days_bp=1000)
    store = await world.container.get(MemoryStore)
    publisher = Publisher(
        id=uuid4(),
        namespace="acme",
        display_name="Acme",
        owner_id=uuid4(),
        contact_email="dev@acme.example",
        created_at=world.clock.now(),
    )
    store.table("marketplace_publishers")[publisher.id] = publisher
    extension = CatalogProduct(
        uuid4(), "ext-lint", "Lint", ProductKind.EXTENSION, None, 14, world.clock.now(), seller_id=publisher.id
    )
    extension.set_price(Price(Money(500, EUR), BillingInterval.MONTH, tax_inclusive=True))
    async with world.container() as scope:
        await (await scope.get(CatalogRepository)).add(extension)
        await (await scope.get(UnitOfWork)).commit()
    order = await world.checkout(
        await world.customer(),
        "editor-pro",
        interval=BillingInterval.MONTH,
        more=(CheckoutItem("ext-lint", BillingInterval.MONTH),),
    )
    events = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*events)
    assert events[0].subscription_id is not None
    share = order.lines[1].amounts.net.amount_minor * 9000 // 10000
    world.clock.advance(timedelta(days=40))
    await world.deliver(world.gateway.renew(events[0].subscription_id, at=world.clock.now()))
    async with world.container() as scope:
        paid = await (await scope.get(OrderRepository)).get(order.id)
        balances = await (await scope.get(LedgerRepository)).balances(EUR)
    assert paid is not None and paid.lines[1].commission_bp == 1000
    assert balances[Account.seller_payable(publisher.id)] == Money(-2 * share, EUR)
