"""The price list in the currency asked for, with the tax a buyer in ``country`` would pay.

Every price shows its net (tax-exclusive), tax and gross (tax-inclusive) amounts: a
tax-inclusive price keeps its gross and carves the tax out; a tax-exclusive one adds it. A VAT
id that VIES verifies, of a buyer in another EU country than the seller, makes it a B2B sale under
the reverse charge (no VAT charged); one that cannot be verified is charged VAT, and the list says
so (``vat_treatments.py``). Extensions their publishers priced are listed beside the editor's
plans, each naming its seller."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.ports import ProductReader, TaxCalculator
from devforge.application.billing.vat_treatments import VatTreatments
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuoteRequest
from devforge.domain.billing.vat_id import VatIdStatus, normalized_vat_id


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
    seller_id: UUID | None = None  # an extension's publisher


@dataclass(frozen=True, slots=True)
class PriceList:
    """``vat_id_status`` is VIES's answer when it was asked; ``tax_note`` says when VAT was
    charged because the VAT id could not be verified."""

    currency: Currency
    country: str
    products: tuple[PricedProduct, ...]
    vat_id_status: VatIdStatus | None = None
    tax_note: str | None = None


class GetPricingHandler:
    def __init__(self, products: ProductReader, tax: TaxCalculator, treatments: VatTreatments) -> None:
        self._products, self._tax, self._treatments = products, tax, treatments

    async def __call__(self, query: GetPricing) -> PriceList:
        currency = Currency.of(query.currency)
        vat_id = normalized_vat_id(query.vat_id) if query.vat_id else None
        address = TaxAddress(country=query.country, region=query.region, vat_id=vat_id)
        treatment = await self._treatments.assess(address)
        products = []
        for product in await self._products.active_products():
            offers = []
            for price in product.prices_in(currency):
                quote = await self._tax.quote(
                    TaxQuoteRequest(
                        address=address,
                        currency=currency,
                        amounts=(price.amount,),
                        prices_include_tax=price.tax_inclusive,
                        reference=f"pricing:{product.code}:{price.interval.value}",
                        reverse_charge=treatment.reverse_charge,
                    )
                )
                offers.append(
                    PricedOffer(price.interval, price.tax_inclusive, quote.total, quote.rate, quote.reverse_charge)
                )
            if offers:
                products.append(
                    PricedProduct(
                        product.code, product.name, product.kind, product.licensed, tuple(offers), product.seller_id
                    )
                )
        status = treatment.check.status if treatment.check else None
        return PriceList(currency, address.country, tuple(products), vat_id_status=status, tax_note=treatment.note)
