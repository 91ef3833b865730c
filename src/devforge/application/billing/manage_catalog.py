"""Put products on sale and price them (administrators, the seed). Prices are per currency and
interval; setting one again replaces it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.billing.ports import CatalogRepository
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CatalogProductNotFound
from devforge.domain.billing.money import Money


@dataclass(frozen=True, slots=True)
class CreateCatalogProduct:
    code: str
    name: str
    kind: ProductKind
    policy_id: str | None
    refund_window_days: int = 14


@dataclass(frozen=True, slots=True)
class SetPrice:
    product_code: str
    currency: str
    interval: BillingInterval
    amount_minor: int
    tax_inclusive: bool = False


class CreateCatalogProductHandler:
    def __init__(self, uow: UnitOfWork, catalog: CatalogRepository, clock: Clock) -> None:
        self._uow, self._catalog, self._clock = uow, catalog, clock

    async def __call__(self, command: CreateCatalogProduct) -> CatalogProduct:
        product = CatalogProduct(
            id=uuid4(),
            code=command.code,
            name=command.name,
            kind=command.kind,
            policy_id=command.policy_id,
            refund_window_days=command.refund_window_days,
            created_at=self._clock.now(),
        )
        await self._catalog.add(product)
        await self._uow.commit()
        return product


class SetPriceHandler:
    def __init__(self, uow: UnitOfWork, catalog: CatalogRepository) -> None:
        self._uow, self._catalog = uow, catalog

    async def __call__(self, command: SetPrice) -> CatalogProduct:
        product = await self._catalog.get_by_code(command.product_code)
        if product is None:
            raise CatalogProductNotFound("No such product.", field="product_code")
        amount = Money(command.amount_minor, Currency.of(command.currency))
        product.set_price(Price(amount=amount, interval=command.interval, tax_inclusive=command.tax_inclusive))
        await self._catalog.update(product)
        await self._uow.commit()
        return product
