"""Bodies of the pricing, checkout and order routes. Amounts are integer minor units of the
currency (``9900`` EUR is 99.00 EUR; ``15000`` JPY is 15,000 yen): never floats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, cast
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.get_pricing import PricedOffer, PricedProduct, PriceList
from devforge.application.billing.views import OrderView
from devforge.domain.billing.countries import iso_country_codes
from devforge.domain.billing.order import OrderLine
from devforge.domain.billing.reverse_charge import UNVERIFIED_NOTE
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct
from devforge.entrypoints.http.stated_rules import CURRENCIES, US_STATES, stated

# Stated in the schema: any other code is refused (422 country_unknown), however it is cased.
ISO_COUNTRIES = sorted(iso_country_codes())
Minor = Annotated[int, Meta(description="Integer minor units of the currency", examples=[9900])]
Interval = Literal["one_time", "month", "year"]
Url = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=2000,
        pattern=r"^https?://[^\x00-\x1f\x7f-\x9f]*$(?!\n)",
        examples=["https://devforge.dev/thanks"],
    ),
]


class Amounts(CamelStruct):
    net: Minor
    tax: Minor
    gross: Minor

    @classmethod
    def of(cls, amounts: TaxedAmount) -> Amounts:
        return cls(amounts.net.amount_minor, amounts.tax.amount_minor, amounts.gross.amount_minor)


class OfferResponse(CamelStruct):
    interval: Interval
    tax_inclusive: Annotated[bool, Meta(description="The listed price already includes tax")]
    amounts: Amounts
    tax_rate_percent: Annotated[str, Meta(examples=["19"], description="Exact, as a decimal string")]
    reverse_charge: bool

    @classmethod
    def of(cls, offer: PricedOffer) -> OfferResponse:
        percent = str(offer.rate).removesuffix(" %")
        return cls(offer.interval.value, offer.tax_inclusive, Amounts.of(offer.amounts), percent, offer.reverse_charge)


class PricedProductResponse(CamelStruct):
    code: str
    name: str
    kind: str
    licensed: bool
    offers: list[OfferResponse]
    seller_id: Annotated[UUID | None, Meta(description="An extension's publisher; null for Dev Forge's own plans")] = (
        None
    )

    @classmethod
    def of(cls, product: PricedProduct) -> PricedProductResponse:
        offers = [OfferResponse.of(offer) for offer in product.offers]
        return cls(product.code, product.name, product.kind.value, product.licensed, offers, product.seller_id)


VatIdStatusText = Annotated[
    Literal["valid", "unverified"] | None,
    Meta(description="VIES's answer on the VAT id when it was asked (cross-border EU B2B); null otherwise"),
]
TaxNote = Annotated[str | None, Meta(description="Why VAT was charged despite a VAT id", examples=[UNVERIFIED_NOTE])]


class PriceListResponse(CamelStruct):
    currency: Annotated[str, Meta(examples=["EUR"])]
    exponent: Annotated[int, Meta(description="Minor units per major unit are 10^exponent", examples=[2])]
    country: str
    products: list[PricedProductResponse]
    vat_id_status: VatIdStatusText = None
    tax_note: TaxNote = None

    @classmethod
    def of(cls, prices: PriceList) -> PriceListResponse:
        products = [PricedProductResponse.of(p) for p in prices.products]
        status = cast(VatIdStatusText, prices.vat_id_status.value if prices.vat_id_status else None)
        return cls(prices.currency.code, prices.currency.exponent, prices.country, products, status, prices.tax_note)


class VatIdCheckResponse(CamelStruct):
    vat_id: str
    status: Literal["valid", "unverified"]
    checked_at: datetime | None
    consultation_number: Annotated[str | None, Meta(description="VIES's evidence of the check, when it gave one")]

    @classmethod
    def of(cls, check: VatIdCheck | None) -> VatIdCheckResponse | None:
        if check is None or check.status is VatIdStatus.INVALID:
            return None
        status = cast(Literal["valid", "unverified"], check.status.value)
        return cls(check.vat_id, status, check.checked_at, check.consultation_number)


ProductCode = Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=2, max_length=63, examples=["editor-pro"])]


class CartItemBody(CamelStruct):
    product_code: ProductCode
    interval: Interval = "one_time"
    quantity: Annotated[int, Meta(ge=1, le=100)] = 1


class CheckoutRequestBody(CamelStruct):
    currency: Annotated[
        str, NO_CONTROL_CHARACTERS, Meta(min_length=3, max_length=3, examples=["EUR"]), stated(enum=CURRENCIES)
    ]
    country: Annotated[
        str,
        NO_CONTROL_CHARACTERS,
        Meta(
            min_length=2,
            max_length=2,
            examples=["DE"],
            description="ISO 3166-1 alpha-2",
            extra_json_schema={"enum": ISO_COUNTRIES},
        ),
    ]
    product_code: Annotated[
        ProductCode | None, Meta(description="One product; or leave it out and list the cart in `items`")
    ] = None
    interval: Interval = "one_time"
    quantity: Annotated[int, Meta(ge=1, le=100)] = 1
    region: (
        Annotated[
            str,
            NO_CONTROL_CHARACTERS,
            Meta(min_length=1, max_length=10, examples=["CA"], description="US state (USPS code)"),
            stated(enum=US_STATES),
        ]
        | None
    ) = None
    vat_id: (
        Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=4, max_length=20, examples=["DE123456789"])] | None
    ) = None
    success_url: Url | None = None
    cancel_url: Url | None = None
    items: (
        Annotated[
            list[CartItemBody],
            Meta(
                min_length=1,
                max_length=20,
                description=(
                    "A cart: several products (the editor's plans, extensions of several publishers) in one charge. "
                    "Their prices must all include tax or all exclude it, and a subscription's lines share one "
                    "interval (422 `cart_invalid` naming `items`)"
                ),
                examples=[
                    [
                        {"productCode": "editor-pro", "interval": "year"},
                        {"productCode": "ext-0f1e2d3c4b5a69788796a5b4c3d2e1f0", "interval": "year", "quantity": 2},
                    ]
                ],
            ),
        ]
        | None
    ) = None


class OrderLineResponse(CamelStruct):
    product_code: str
    product_name: str
    interval: Interval
    unit_amount: Minor
    quantity: int
    amounts: Amounts
    seller_id: Annotated[UUID | None, Meta(description="The publisher sold for (an extension); null: Dev Forge's own")]

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineResponse:
        return cls(
            line.product_code,
            line.product_name,
            line.interval.value,
            line.unit_amount.amount_minor,
            line.quantity,
            Amounts.of(line.amounts),
            line.seller_id,
        )


class OrderResponse(CamelStruct):
    id: UUID
    user_id: UUID
    status: Annotated[
        str,
        Meta(
            examples=["awaiting_payment"],
            description=(
                "pending, checkout_unknown, awaiting_payment, failed, cancelled, paid, partially_refunded, refunded"
            ),
        ),
    ]
    currency: str
    lines: list[OrderLineResponse]
    total: Amounts
    refunded: Minor
    reverse_charge: bool
    redirect_url: Annotated[str | None, Meta(description="Where to send the buyer to pay; null while unknown")]
    created_at: datetime
    paid_at: datetime | None
    vat_id_check: VatIdCheckResponse | None = None
    tax_note: TaxNote = None
    payment_problem: Annotated[
        str | None,
        Meta(
            description=(
                "Set when the provider reported a payment the order cannot accept (another amount or "
                "currency than its total): nothing is fulfilled until a person sorts it out"
            )
        ),
    ] = None

    @classmethod
    def of(cls, view: OrderView) -> OrderResponse:
        return cls(
            id=view.id,
            user_id=view.user_id,
            status=view.status.value,
            currency=view.currency,
            lines=[OrderLineResponse.of(line) for line in view.lines],
            total=Amounts.of(view.total),
            refunded=view.refunded,
            reverse_charge=view.reverse_charge,
            redirect_url=view.redirect_url,
            created_at=view.created_at,
            paid_at=view.paid_at,
            vat_id_check=VatIdCheckResponse.of(view.vat_id_check),
            tax_note=view.tax_note,
            payment_problem=view.payment_problem,
        )


class WebhookAck(CamelStruct):
    received: Annotated[bool, Meta(description="False when this event id was already received")]
