"""Bodies of ``PUT /api/extensions/{id}/prices``: amounts in integer minor units, never floats."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.domain.billing.catalog import CatalogProduct
from devforge.entrypoints.http.billing.schemas import Interval, Minor
from devforge.entrypoints.http.schemas import MAX_INT, NO_CONTROL_CHARACTERS, CamelStruct
from devforge.entrypoints.http.stated_rules import CURRENCIES, stated

Currency = Annotated[
    str, NO_CONTROL_CHARACTERS, Meta(min_length=3, max_length=3, examples=["EUR"]), stated(enum=CURRENCIES)
]


class ExtensionPriceBody(CamelStruct):
    currency: Currency
    interval: Annotated[Interval, Meta(description="one_time (a one-off purchase), month or year (a subscription)")]
    amount: Annotated[Minor, Meta(ge=1, le=MAX_INT)]
    tax_inclusive: Annotated[
        bool, Meta(description="The amount already includes tax (else tax is added on top), as for the editor's plans")
    ] = False


class ExtensionPricesBody(CamelStruct):
    policy_id: Annotated[
        UUID,
        Meta(description="The licensing policy of the extension's linked product that a sale issues licenses from"),
    ]
    prices: Annotated[list[ExtensionPriceBody], Meta(min_length=1, max_length=60)]
    refund_window_days: Annotated[int, Meta(ge=0, le=365)] = 14


class ExtensionPriceResponse(CamelStruct):
    currency: str
    interval: Interval
    amount: Minor
    tax_inclusive: bool


class ExtensionPricesResponse(CamelStruct):
    extension_id: UUID
    product_code: Annotated[
        str, Meta(description="What a checkout names", examples=["ext-0f1e2d3c4b5a69788796a5b4c3d2e1f0"])
    ]
    publisher_id: Annotated[UUID, Meta(description="The seller: each sale credits this publisher its share")]
    policy_id: str
    refund_window_days: int
    prices: list[ExtensionPriceResponse]

    @classmethod
    def of(cls, extension_id: UUID, product: CatalogProduct) -> ExtensionPricesResponse:
        assert product.seller_id is not None and product.policy_id is not None
        prices = [
            ExtensionPriceResponse(
                price.currency.code,
                price.interval.value,
                price.amount.amount_minor,
                price.tax_inclusive,
            )
            for price in sorted(product.prices, key=lambda p: (p.currency.code, p.interval.value))
        ]
        return cls(extension_id, product.code, product.seller_id, product.policy_id, product.refund_window_days, prices)
