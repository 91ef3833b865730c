"""A world to buy in: the memory container with billing wired, a licensed editor plan priced in
EUR/USD/JPY, a non-licensed add-on, and customers with verified or unverified addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from dishka import AsyncContainer, Provider

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.manage_catalog import (
    CreateCatalogProduct,
    CreateCatalogProductHandler,
    SetPrice,
    SetPriceHandler,
)
from devforge.application.billing.payment_gateway import ProviderEvent
from devforge.application.billing.receive_provider_event import ReceiveProviderEvent
from devforge.application.billing.start_checkout import StartCheckout, StartCheckoutHandler
from devforge.application.billing.views import OrderView
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from devforge.domain.licensing.permissions import LicensingPermission
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.outbox_drain import drain


def billing_container(clock: ManualClock, *providers: Provider, **settings: object) -> AsyncContainer:
    """``providers``: SQL providers over ``database_url`` in ``settings``, for a world on a database."""
    return make_container(
        settings_for_tests(**settings), manual_clock_provider(clock), *providers, base=memory_providers()
    )


@dataclass
class PurchaseWorld:
    container: AsyncContainer
    gateway: InMemoryPaymentGateway
    clock: ManualClock
    policy_id: UUID
    on_database: bool = False

    async def customer(self, *, verified: bool = True) -> UUID:
        user = User(
            id=uuid4(),
            email=EmailAddress(f"buyer-{uuid4().hex[:8]}@example.com"),
            password_hash="x",
            role=Role.CUSTOMER,
            created_at=self.clock.now(),
            email_verified=verified,
        )
        if self.on_database:
            async with self.container() as scope:
                await (await scope.get(UserRepository)).add(user)
                await (await scope.get(UnitOfWork)).commit()
        else:
            (await self.container.get(MemoryStore)).table("users")[user.id] = user
        return user.id

    async def checkout(self, user_id: UUID, product: str = "editor-pro", **options: object) -> OrderView:
        command = StartCheckout(
            user_id=user_id,
            product_code=product,
            interval=options.pop("interval", BillingInterval.ONE_TIME),  # type: ignore[arg-type]
            currency=options.pop("currency", "EUR"),  # type: ignore[arg-type]
            country=options.pop("country", "DE"),  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
        async with self.container() as scope:
            return await (await scope.get(StartCheckoutHandler))(command)

    async def deliver(self, *events: ProviderEvent) -> None:
        for event in events:
            async with self.container() as scope:
                await (await scope.get(ReceiveProviderEvent))(event)
        await drain(self.container, rounds=10)

    async def mails(self) -> InMemoryMailer:
        return await self.container.get(InMemoryMailer)


async def purchase_world(clock: ManualClock | None = None, *providers: Provider, **settings: object) -> PurchaseWorld:
    clock = clock or ManualClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    container = billing_container(clock, *providers, **settings)
    gateway = await container.get(InMemoryPaymentGateway)
    admin = Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct("editor", "Dev Forge Editor"))
    async with container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(
            admin, CreatePolicy(product.id, "Pro", {"floating": True, "max_machines": 3})
        )
    await seed_catalog(container, str(policy.id))
    return PurchaseWorld(container, gateway, clock, policy.id, on_database=bool(providers))


async def seed_catalog(container: AsyncContainer, policy_id: str) -> None:
    products = [
        CreateCatalogProduct("editor-pro", "Dev Forge Pro", ProductKind.EDITOR_PLAN, policy_id),
        CreateCatalogProduct("theme-pack", "Theme pack", ProductKind.EXTENSION, None),
    ]
    prices = [
        SetPrice("editor-pro", "EUR", BillingInterval.ONE_TIME, 9900, tax_inclusive=True),
        SetPrice("editor-pro", "EUR", BillingInterval.MONTH, 1000, tax_inclusive=True),
        SetPrice("editor-pro", "USD", BillingInterval.ONE_TIME, 9900),
        SetPrice("editor-pro", "JPY", BillingInterval.ONE_TIME, 15000, tax_inclusive=True),
        SetPrice("theme-pack", "EUR", BillingInterval.ONE_TIME, 500, tax_inclusive=True),
    ]
    for product in products:
        async with container() as scope:
            await (await scope.get(CreateCatalogProductHandler))(product)
    for price in prices:
        async with container() as scope:
            await (await scope.get(SetPriceHandler))(price)
