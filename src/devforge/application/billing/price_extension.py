"""A publisher's owner prices one of its extensions: what a customer pays for it, per currency
and interval (one-off or subscription), tax-inclusive or not, exactly like the editor's plans,
and which licensing policy a sale issues licenses from.

Billing owns the catalog; who owns the extension and which licensing product it is sold under it
learns through its ``ExtensionSellers`` port (the marketplace's and licensing's published reads),
never from their tables. Only the owner of the extension's publisher may price it: anyone else
is told there is no such extension (404), exactly as for a missing one. The extension must be
linked to a licensing product (a paid extension), and the policy must issue licenses of that
product. The catalog product (code ``ext-<extension id hex>``) names the publisher as its
seller, so each sale credits the publisher its share.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.billing.extension_sellers import ExtensionSellers, SellableExtension
from devforge.application.billing.ports import CatalogRepository
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import (
    ExtensionNotForSale,
    ExtensionNotLicensed,
    PolicyNotOfProduct,
    PriceInvalid,
)
from devforge.domain.billing.money import Money
from devforge.domain.shared.errors import RuleViolated


@dataclass(frozen=True, slots=True)
class ExtensionPrice:
    currency: str
    interval: BillingInterval
    amount_minor: int
    tax_inclusive: bool = False


@dataclass(frozen=True, slots=True)
class PriceExtension:
    extension_id: UUID
    policy_id: UUID
    prices: tuple[ExtensionPrice, ...]
    refund_window_days: int = 14


def extension_product_code(extension_id: UUID) -> str:
    return f"ext-{extension_id.hex}"


class PriceExtensionHandler:
    def __init__(self, uow: UnitOfWork, catalog: CatalogRepository, sellers: ExtensionSellers, clock: Clock) -> None:
        self._uow, self._catalog, self._sellers, self._clock = uow, catalog, sellers, clock

    async def __call__(self, actor: Actor, command: PriceExtension) -> CatalogProduct:
        extension = await self._sellers.extension(command.extension_id)
        if extension is None or extension.owner_id != actor.user_id:
            raise ExtensionNotForSale("No extension of a publisher you own has this id.")
        if extension.license_product_id is None:
            raise ExtensionNotLicensed("Link the extension to a licensing product first.", field="extensionId")
        if await self._sellers.policy_product(command.policy_id) != extension.license_product_id:
            raise PolicyNotOfProduct("No policy of the extension's licensing product has this id.", field="policyId")
        prices = _prices(command.prices)
        product = await self._catalog.get_by_code(extension_product_code(extension.extension_id))
        if product is None:
            product = self._new_product(extension, command)
            for price in prices:
                product.set_price(price)
            await self._catalog.add(product)
        else:
            product.name, product.policy_id = extension.name, str(command.policy_id)
            product.refund_window_days, product.active = command.refund_window_days, True
            for price in prices:
                product.set_price(price)
            await self._catalog.update(product)
        await self._uow.commit()
        return product

    def _new_product(self, extension: SellableExtension, command: PriceExtension) -> CatalogProduct:
        return CatalogProduct(
            id=uuid4(),
            code=extension_product_code(extension.extension_id),
            name=extension.name,
            kind=ProductKind.EXTENSION,
            policy_id=str(command.policy_id),
            refund_window_days=command.refund_window_days,
            created_at=self._clock.now(),
            seller_id=extension.publisher_id,
        )


def _prices(given: tuple[ExtensionPrice, ...]) -> list[Price]:
    """Each price checked, and a fault named by its place in the list (``prices[1].amount``)."""
    if not given:
        raise PriceInvalid("Give at least one price.", field="prices")
    prices: list[Price] = []
    seen: set[tuple[str, BillingInterval]] = set()
    for index, price in enumerate(given):
        try:
            currency = Currency.of(price.currency)
            prices.append(Price(Money(price.amount_minor, currency), price.interval, price.tax_inclusive))
        except RuleViolated as error:
            error.field = f"prices[{index}].{error.field or 'amount'}"
            raise
        if (currency.code, price.interval) in seen:
            raise PriceInvalid("One price per currency and interval.", field=f"prices[{index}].interval")
        seen.add((currency.code, price.interval))
    return prices
