"""The price list in the currency asked for, with the tax a buyer in ``country`` would pay.

Every price shows its net (tax-exclusive), tax and gross (tax-inclusive) amounts: a
tax-inclusive price keeps its gross and carves the tax out; a tax-exclusive one adds it. A
well-formed EU VAT id makes it a B2B sale under the reverse charge (no VAT charged)."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.billing.ports import CatalogRepository, TaxCalculator
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuoteRequest


@dataclass(frozen=True, slots=True)
class GetPricing:
    currency: str
    country: str
    region: str | None = None
    vat_id: str | None = None


@dataclass(frozen=True, slots=True)
class PricedOffer:
    interval: BillingInterval
    tax_inclusive: bool
    amounts: TaxedAmount
    rate: Rate
    reverse_charge: bool


@dataclass(frozen=True, slots=True)
class PricedProduct:
    code: str
    name: str
    kind: ProductKind
    licensed: bool
    offers: tuple[PricedOffer, ...]


@dataclass(frozen=True, slots=True)
class PriceList:
    currency: Currency
    country: str
    products: tuple[PricedProduct, ...]


class GetPricingHandler:
    def __init__(self, catalog: CatalogRepository, tax: TaxCalculator) -> None:
        self._catalog, self._tax = catalog, tax

    async def __call__(self, query: GetPricing) -> PriceList:
        currency = Currency.of(query.currency)
        address = TaxAddress(country=query.country.strip().upper(), region=query.region, vat_id=query.vat_id)
        products = []
        for product in await self._catalog.list_active():
            offers = []
            for price in product.prices_in(currency):
                quote = await self._tax.quote(
                    TaxQuoteRequest(
                        address=address,
                        currency=currency,
                        amounts=(price.amount,),
                        prices_include_tax=price.tax_inclusive,
                        reference=f"pricing:{product.code}:{price.interval.value}",
                    )
                )
                offers.append(
                    PricedOffer(price.interval, price.tax_inclusive, quote.total, quote.rate, quote.reverse_charge)
                )
            if offers:
                products.append(
                    PricedProduct(product.code, product.name, product.kind, product.licensed, tuple(offers))
                )
        return PriceList(currency=currency, country=address.country, products=tuple(products))
