"""``PUT /api/extensions/{id}/prices``: a publisher's owner prices a paid extension (billing owns
the catalog; the route sits beside the marketplace's extension routes because it is about one)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, put
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath

from devforge.application.billing.price_extension import ExtensionPrice, PriceExtension, PriceExtensionHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.extension_prices_schemas import ExtensionPricesBody, ExtensionPricesResponse
from devforge.entrypoints.http.openapi_docs import problems

_EXAMPLE = {
    "policyId": "6f1c1c3e-8a7b-4d55-9a53-0b9d7c2f1e10",
    "prices": [
        {"currency": "USD", "interval": "one_time", "amount": 1900},
        {"currency": "EUR", "interval": "month", "amount": 299, "taxInclusive": True},
    ],
}


class ExtensionPricesController(Controller):
    path = "/api/extensions"
    tags = ["payments"]

    @put(
        "/{extension_id:uuid}/prices",
        guards=[require(BillingPermission.EXTENSIONS_SELL)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Price an extension",
        description=(
            "The owner of the extension's publisher sets what a customer pays: per currency and interval "
            "(`one_time` a one-off purchase, `month`/`year` a subscription), in integer minor units, tax-inclusive "
            "or not, exactly like the editor's plans; a price given again replaces the old one, others stay. "
            "`policyId` is the licensing policy (of the product the extension is linked to) each sale issues "
            "licenses from. The extension then appears in `GET /api/payments/pricing` under `productCode` and is "
            "bought through `POST /api/payments/checkout`, alone or in a cart with the editor's plans and other "
            "publishers' extensions; each sale credits the publisher its share (the commission is fixed at "
            "payment). Someone else's extension answers 404 like a missing one; a free extension (no licensing "
            "product) is 422 `extension_not_licensed`, another product's policy 422 `policy_not_of_product`."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def set_prices(
        self,
        extension_id: FromPath[UUID],
        data: Annotated[
            ExtensionPricesBody, Body(examples=[Example(summary="A one-off price and a subscription", value=_EXAMPLE)])
        ],
        actor: NamedDependency[Actor],
        handler: FromDishka[PriceExtensionHandler],
    ) -> ExtensionPricesResponse:
        command = PriceExtension(
            extension_id=extension_id,
            policy_id=data.policy_id,
            prices=tuple(
                ExtensionPrice(price.currency, BillingInterval(price.interval), price.amount, price.tax_inclusive)
                for price in data.prices
            ),
            refund_window_days=data.refund_window_days,
        )
        return ExtensionPricesResponse.of(extension_id, await handler(actor, command))
