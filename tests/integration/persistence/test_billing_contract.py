"""One contract for billing's repositories and account directory, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.billing.ports import (
    AccountContact,
    AccountDirectory,
    CatalogRepository,
    InboxEntry,
    OrderRepository,
    ProviderEventInbox,
    SubscriptionRepository,
)
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CatalogProductCodeTaken, OrderChangedConcurrently
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import OrderStatus
from devforge.domain.billing.subscription import Subscription, SubscriptionStatus
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from tests.conftest import settings_for_tests
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database
from tests.unit.billing.test_order import an_order

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
EUR = Currency("EUR")


@asynccontextmanager
async def billing_backend(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    if backend == "memory":
        container = make_container(settings_for_tests(), base=memory_providers())
    else:
        database = postgres_database() if backend == "postgres" else sqlite_database(folder)
        url = await database.__aenter__()
        container = make_container(
            settings_for_tests(database_url=url),
            SqlaPersistenceProvider(),
            SqlaIdentityProvider(),
            SqlaBillingProvider(),
            base=memory_providers(),
        )
    try:
        yield container
    finally:
        await container.close()
        if backend != "memory":
            await database.__aexit__(None, None, None)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with billing_backend(request.param, tmp_path) as built:
        yield built


async def test_catalog_products_keep_their_prices_and_codes_are_unique(container: AsyncContainer) -> None:
    product = CatalogProduct(uuid4(), "editor-pro", "Pro", ProductKind.EDITOR_PLAN, str(uuid4()), 14, NOW)
    product.set_price(Price(Money(1200, EUR), BillingInterval.MONTH, tax_inclusive=True))
    async with container() as scope:
        await (await scope.get(CatalogRepository)).add(product)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        catalog = await scope.get(CatalogRepository)
        with pytest.raises(CatalogProductCodeTaken):
            await catalog.add(CatalogProduct(uuid4(), "editor-pro", "Again", ProductKind.EXTENSION, None, 0, NOW))
    async with container() as scope:
        catalog = await scope.get(CatalogRepository)
        stored = await catalog.get_by_code("editor-pro")
        assert stored is not None and stored.policy_id == product.policy_id and stored.kind is ProductKind.EDITOR_PLAN
        assert [(p.amount, p.interval, p.tax_inclusive) for p in stored.prices] == [
            (Money(1200, EUR), BillingInterval.MONTH, True)
        ]
        stored.set_price(Price(Money(9900, Currency("JPY")), BillingInterval.ONE_TIME))
        await catalog.update(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        (listed,) = await (await scope.get(CatalogRepository)).list_active()
        assert len(listed.prices) == 2


async def test_the_active_products_are_listed_by_code_each_with_its_own_prices(container: AsyncContainer) -> None:
    plans = [
        CatalogProduct(uuid4(), code, code.title(), ProductKind.EDITOR_PLAN, str(uuid4()), 14, NOW)
        for code in ("editor-team", "editor-pro", "editor-solo")
    ]
    for minor, plan in enumerate(plans, start=1):
        plan.set_price(Price(Money(minor * 100, EUR), BillingInterval.MONTH, tax_inclusive=True))
        plan.set_price(Price(Money(minor * 1000, EUR), BillingInterval.YEAR, tax_inclusive=True))
    plans[2].active = False
    async with container() as scope:
        for plan in plans:
            await (await scope.get(CatalogRepository)).add(plan)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        listed = await (await scope.get(CatalogRepository)).list_active()
    assert [(product.code, sorted(price.amount.amount_minor for price in product.prices)) for product in listed] == [
        ("editor-pro", [200, 2000]),
        ("editor-team", [100, 1000]),
    ]


async def test_orders_round_trip_and_refuse_a_stale_update(container: AsyncContainer) -> None:
    order = an_order()
    order.created_at = order.updated_at = NOW
    async with container() as scope:
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        orders = await scope.get(OrderRepository)
        loaded = await orders.get(order.id, for_update=True)
        assert loaded is not None and loaded.total == order.total and loaded.lines == order.lines
        assert (loaded.currency, loaded.created_at, loaded.status) == (EUR, NOW, OrderStatus.PENDING)
        stale = await orders.get(order.id)
        assert stale is not None
        loaded.pay("pi_1", order.total.gross, NOW)
        loaded.refunded_to(Money(100, EUR), NOW)
        loaded.dispute_opened("dp_1", Money(100, EUR), NOW)
        loaded.flag_payment_problem("A renewal paid 1.00 EUR, but the order's total is 99.00 EUR.", NOW)
        await orders.update(loaded)
        with pytest.raises(OrderChangedConcurrently):
            await orders.update(stale)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        again = await (await scope.get(OrderRepository)).get(order.id)
        assert again is not None and (again.status, again.refunded_amount, again.payment_id) == (
            OrderStatus.PARTIALLY_REFUNDED,
            Money(100, EUR),
            "pi_1",
        )
        assert (again.dispute_id, again.disputed, again.payment_problem) == (
            "dp_1",
            True,
            "A renewal paid 1.00 EUR, but the order's total is 99.00 EUR.",
        )


async def test_orders_list_newest_first_per_user_and_unknown_checkouts(container: AsyncContainer) -> None:
    first, second, other = an_order(), an_order(), an_order()
    second.user_id = first.user_id
    for age, order in enumerate((first, second, other)):
        order.created_at = order.updated_at = NOW + timedelta(minutes=age)
    other.checkout_outcome_unknown(NOW)
    async with container() as scope:
        orders = await scope.get(OrderRepository)
        for order in (first, second, other):
            await orders.add(order)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        orders = await scope.get(OrderRepository)
        assert [o.id for o in await orders.list_for_user(first.user_id, limit=10, offset=0)] == [second.id, first.id]
        assert [o.id for o in await orders.list_for_user(None, limit=2, offset=1)] == [second.id, first.id]
        unknown = await orders.list_checkout_unknown(older_than=NOW + timedelta(minutes=5), limit=10)
        assert [o.id for o in unknown] == [other.id]


async def test_subscriptions_are_found_by_provider_id_and_version_checked(container: AsyncContainer) -> None:
    order = an_order()
    subscription = Subscription(uuid4(), order.id, order.user_id, "sub_1", BillingInterval.MONTH, NOW, NOW)
    async with container() as scope:
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(SubscriptionRepository)).add(subscription)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        subscriptions = await scope.get(SubscriptionRepository)
        with pytest.raises(OrderChangedConcurrently):
            await subscriptions.add(Subscription(uuid4(), order.id, order.user_id, "sub_1", BillingInterval.YEAR, NOW))
    async with container() as scope:
        subscriptions = await scope.get(SubscriptionRepository)
        loaded = await subscriptions.get_by_provider_id("sub_1", for_update=True)
        assert loaded is not None and loaded.current_period_end == NOW
        loaded.payment_failed(NOW)
        await subscriptions.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        again = await (await scope.get(SubscriptionRepository)).get_by_provider_id("sub_1")
        assert again is not None and (again.status, again.past_due_since) == (SubscriptionStatus.PAST_DUE, NOW)
        by_order = await (await scope.get(SubscriptionRepository)).get_by_order(again.order_id, for_update=True)
        assert by_order is not None and by_order.id == again.id
        assert await (await scope.get(SubscriptionRepository)).get_by_order(uuid4()) is None


async def test_the_inbox_takes_each_provider_event_once(container: AsyncContainer) -> None:
    entry = InboxEntry(uuid4(), "evt_1", "payment.succeeded", NOW, {"event_id": "evt_1", "amount": 9900})
    async with container() as scope:
        inbox = await scope.get(ProviderEventInbox)
        assert await inbox.latest_received_at() is None
        assert await inbox.add(entry)
        assert not await inbox.add(InboxEntry(uuid4(), "evt_1", "payment.succeeded", NOW, {}))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        inbox = await scope.get(ProviderEventInbox)
        await inbox.mark_processed(entry.id, "applied", NOW + timedelta(seconds=1))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        inbox = await scope.get(ProviderEventInbox)
        stored = await inbox.get(entry.id)
        assert stored is not None and stored.payload == entry.payload
        assert (stored.processed_at, stored.outcome) == (NOW + timedelta(seconds=1), "applied")
        assert await inbox.latest_received_at() == NOW


async def test_the_inbox_stores_the_longest_provider_event_types(container: AsyncContainer) -> None:
    """On PostgreSQL a 50-character column refused these with an error on every delivery."""
    long_type = "stripe.customer.subscription.pending_update_expired"
    entry = InboxEntry(uuid4(), "evt_long", long_type + ".and.more" * 20, NOW, {"event_id": "evt_long"})
    async with container() as scope:
        assert await (await scope.get(ProviderEventInbox)).add(entry)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(ProviderEventInbox)).get(entry.id)
        assert stored is not None and stored.type == entry.type


async def test_a_product_added_in_a_unit_of_work_that_rolls_back_is_not_kept(container: AsyncContainer) -> None:
    """The add is the unit's first statement: on SQLite a savepoint opened there was the whole
    transaction, and releasing it committed the product whatever the unit did next."""
    product = CatalogProduct(uuid4(), "editor-pro", "Pro", ProductKind.EDITOR_PLAN, str(uuid4()), 14, NOW)
    product.set_price(Price(Money(1200, EUR), BillingInterval.MONTH, tax_inclusive=True))
    async with container() as scope:
        await (await scope.get(CatalogRepository)).add(product)
    async with container() as scope:
        await (await scope.get(CatalogRepository)).add(product)
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        catalog = await scope.get(CatalogRepository)
        assert await catalog.get_by_code("editor-pro") is None and await catalog.list_active() == []
        await catalog.add(product)  # the code is free: nothing of the rolled-back adds holds it
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(CatalogRepository)).get_by_code("editor-pro") is not None


async def test_a_subscription_added_in_a_unit_of_work_that_rolls_back_is_not_kept(container: AsyncContainer) -> None:
    order = an_order()
    subscription = Subscription(uuid4(), order.id, order.user_id, "sub_1", BillingInterval.MONTH, NOW, NOW)
    async with container() as scope:
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        await (await scope.get(SubscriptionRepository)).add(subscription)
    async with container() as scope:
        await (await scope.get(SubscriptionRepository)).add(subscription)
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        subscriptions = await scope.get(SubscriptionRepository)
        assert await subscriptions.get_by_provider_id("sub_1") is None
        assert await subscriptions.get_by_order(order.id) is None
        await subscriptions.add(subscription)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(SubscriptionRepository)).get_by_provider_id("sub_1") is not None


async def test_an_inbox_receipt_whose_processing_rolled_back_is_not_kept(container: AsyncContainer) -> None:
    """A receipt kept while its processing rolled back would answer the provider's redelivery
    "a duplicate": the event would be lost. The receipt is each unit's first statement here, as
    it is in the webhook's handler."""
    entry = InboxEntry(uuid4(), "evt_1", "payment.succeeded", NOW, {"event_id": "evt_1"})
    async with container() as scope:
        assert await (await scope.get(ProviderEventInbox)).add(entry)
    async with container() as scope:
        inbox = await scope.get(ProviderEventInbox)
        assert await inbox.add(entry)
        await inbox.mark_processed(entry.id, "applied", NOW)
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        inbox = await scope.get(ProviderEventInbox)
        assert await inbox.get(entry.id) is None and await inbox.latest_received_at() is None
        assert await inbox.add(entry)  # the redelivery is taken, not skipped as a duplicate
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(ProviderEventInbox)).get(entry.id) is not None


async def test_the_account_directory_reads_the_address_and_whether_it_is_verified(container: AsyncContainer) -> None:
    user = User(uuid4(), EmailAddress("ada@example.com"), "hash", Role.CUSTOMER, NOW, email_verified=True)
    async with container() as scope:
        await (await scope.get(UserRepository)).add(user)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        directory = await scope.get(AccountDirectory)
        assert await directory.contact(user.id) == AccountContact("ada@example.com", True)
        assert await directory.contact(uuid4()) is None


async def test_an_extension_names_its_seller_and_a_paid_line_keeps_its_commission(container: AsyncContainer) -> None:
    publisher = uuid4()
    extension = CatalogProduct(
        uuid4(), "ext-lint", "Lint", ProductKind.EXTENSION, str(uuid4()), 14, NOW, seller_id=publisher
    )
    extension.set_price(Price(Money(1999, EUR), BillingInterval.ONE_TIME, tax_inclusive=True))
    plan = CatalogProduct(uuid4(), "editor-pro", "Pro", ProductKind.EDITOR_PLAN, str(uuid4()), 14, NOW)
    order = an_order()
    own = order.lines[0]
    sold = replace(own, product_code="ext-lint", seller_id=publisher)
    order.lines, order.total = (own, sold), own.amounts + sold.amounts
    async with container() as scope:
        await (await scope.get(CatalogRepository)).add(extension)
        await (await scope.get(CatalogRepository)).add(plan)
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        catalog = await scope.get(CatalogRepository)
        stored, stored_plan = await catalog.get_by_code("ext-lint"), await catalog.get_by_code("editor-pro")
        listed = {product.code: product.seller_id for product in await catalog.list_active()}
        orders = await scope.get(OrderRepository)
        loaded = await orders.get(order.id)
        assert loaded is not None and [line.commission_bp for line in loaded.lines] == [None, None]
        assert loaded.pay("pi_1", order.total.gross, NOW, commissions=(None, 2500))
        await orders.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    assert stored is not None and stored_plan is not None
    assert (stored.seller_id, stored_plan.seller_id) == (publisher, None)
    assert listed == {"ext-lint": publisher, "editor-pro": None}
    async with container() as scope:
        paid = await (await scope.get(OrderRepository)).get(order.id)
    assert paid is not None
    assert [(line.seller_id, line.commission_bp) for line in paid.lines] == [(None, None), (publisher, 2500)]
