"""A checkout and a reconciliation hold one pooled connection at a time: the product is read on the common read path
before the order's unit of work takes its connection, so a pool of one connection serves it (a
request that waited for a second connection while holding one would wait for good once every
pooled connection is held by such a request)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.application.billing.ports import CatalogRepository
from devforge.application.billing.reconcile_payments import ReconcilePayments
from devforge.application.billing.start_checkout import StartCheckout, StartCheckoutHandler
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.payments import SandboxPaymentsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import OrderStatus
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


async def test_a_checkout_completes_on_a_pool_of_one_connection() -> None:
    async with postgres_database() as url:
        container = make_container(
            settings_for_tests(database_url=url, database_pool_size=1),
            SqlaPersistenceProvider(),
            SqlaIdentityProvider(),
            SqlaBillingProvider(),
            base=memory_providers(),
        )
        try:
            buyer = User(uuid4(), EmailAddress("ada@example.com"), "hash", Role.CUSTOMER, NOW, email_verified=True)
            price = Price(Money(29900, Currency("EUR")), BillingInterval.ONE_TIME, tax_inclusive=True)
            product = CatalogProduct(
                uuid4(), "editor-perpetual", "Editor", ProductKind.EDITOR_PLAN, None, 14, NOW, [price]
            )
            async with container() as scope:
                await (await scope.get(UserRepository)).add(buyer)
                await (await scope.get(CatalogRepository)).add(product)
                await (await scope.get(UnitOfWork)).commit()
            command = StartCheckout(buyer.id, "editor-perpetual", BillingInterval.ONE_TIME, "EUR", "DE")
            async with container() as scope:
                checkout = await scope.get(StartCheckoutHandler)
                order = await asyncio.wait_for(checkout(command), timeout=20)
            assert order.status is OrderStatus.AWAITING_PAYMENT and order.total.gross == price.amount
        finally:
            await container.close()


async def test_a_reconciliation_completes_on_a_pool_of_one_connection() -> None:
    """The report asks the provider (the sandbox keeps its sessions in the database: a connection
    of its own) before its reads take the request's connection, so it never holds one while
    waiting for another: 32 reports at once held every pooled connection for the pool's 30 s."""
    async with postgres_database() as url:
        container = make_container(
            settings_for_tests(database_url=url, database_pool_size=1),
            SqlaPersistenceProvider(),
            SqlaBillingProvider(),
            SqlaBillingDocumentsProvider(),
            SandboxPaymentsProvider(),
            base=memory_providers(),
        )
        try:
            finance = Actor.holding(uuid4(), BillingPermission.FINANCE_READ)
            async with container() as scope:
                reconcile = await scope.get(ReconcilePayments)
                found = await asyncio.wait_for(reconcile(finance, NOW, NOW + timedelta(days=30)), timeout=20)
            assert found.orders == 0 and found.differences == ()
        finally:
            await container.close()
