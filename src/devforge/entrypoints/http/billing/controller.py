"""``/api/payments``: pricing, checkout, the provider's webhook, and orders.

The webhook is public: its credential is the provider's signature over the raw body, checked
before anything is written. A rejected one (bad signature, stale timestamp, malformed body) is
a 400 problem and changes nothing; an accepted one is stored in the inbox and acknowledged at
once, and the worker applies it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import ParamType
from litestar.openapi.spec import OpenAPIType, Operation, Parameter, Schema
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from devforge.application.billing.get_pricing import GetPricing, GetPricingHandler
from devforge.application.billing.list_orders import GetOrder, ListOrders
from devforge.application.billing.payment_gateway import WebhookRejected
from devforge.application.billing.receive_provider_event import ReceiveWebhook
from devforge.application.billing.start_checkout import CheckoutItem, StartCheckout, StartCheckoutHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.errors import ProductCodeInvalid
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.schemas import (
    ISO_COUNTRIES,
    CheckoutRequestBody,
    OrderResponse,
    PriceListResponse,
    WebhookAck,
)
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.problems import FieldError, ProblemDetails, problem
from devforge.entrypoints.http.schemas import LINE_PATTERN, MAX_INT
from devforge.entrypoints.http.stated_rules import CURRENCIES, US_STATES

SIGNATURE_HEADER = "Stripe-Signature"


@dataclass
class SignedWebhookOperation(Operation):
    """The webhook's operation with its ``Stripe-Signature`` header stated as required. The route
    reads the header itself (a missing one is the same 400 ``webhook_rejected`` as a wrong one), so
    it is declared here rather than as a Litestar parameter."""

    def __post_init__(self) -> None:
        header = Parameter(
            name=SIGNATURE_HEADER,
            param_in=ParamType.HEADER,
            required=True,
            description='t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" under a webhook secret>[,v1=...]',
            schema=Schema(
                type=OpenAPIType.STRING,
                max_length=1024,
                pattern=r"^t=[0-9]{1,12}(?:,v1=[0-9a-f]{64})+(?:,v0=[0-9a-f]{64})?$(?!\n)",
            ),
        )
        self.parameters = [*(self.parameters or []), header]


class PaymentsController(Controller):
    path = "/api/payments"
    tags = ["payments"]

    @get(
        "/pricing",
        summary="Price list",
        description=(
            "Every product on sale, priced in `currency`, with the tax a buyer in `country` (and US "
            "`region`) pays: net, tax and gross in integer minor units. A `vat_id` of a buyer in another EU "
            "country than the seller, verified with VIES, makes it a B2B sale under the reverse charge (no "
            "VAT); one VIES does not know is 422 `vat_id_invalid`; one that cannot be verified (VIES down) is "
            "charged VAT and `taxNote` says so. An unknown `country` is 422 `country_unknown`."
        ),
        responses=problems(400, 404, 422, 429),
    )
    async def pricing(
        self,
        handler: FromDishka[GetPricingHandler],
        currency: Annotated[
            str,
            QueryParameter(
                pattern=LINE_PATTERN,
                min_length=3,
                max_length=3,
                description="ISO 4217",
                schema_extra={"enum": CURRENCIES},
            ),
        ] = "USD",
        country: Annotated[
            str,
            QueryParameter(
                pattern=LINE_PATTERN,
                min_length=2,
                max_length=2,
                description="ISO 3166-1 alpha-2",
                schema_extra={"enum": ISO_COUNTRIES},
            ),
        ] = "US",
        region: Annotated[
            str | None,
            QueryParameter(
                pattern=LINE_PATTERN,
                max_length=10,
                description="US state (USPS code)",
                schema_extra={"enum": US_STATES},
            ),
        ] = None,
        vat_id: Annotated[
            str | None, QueryParameter(pattern=LINE_PATTERN, name="vat_id", max_length=20, description="EU VAT id")
        ] = None,
    ) -> PriceListResponse:
        query = GetPricing(currency=currency, country=country, region=region, vat_id=vat_id)
        return PriceListResponse.of(await handler(query))

    @post(
        "/checkout",
        status_code=HTTP_201_CREATED,
        guards=[require(BillingPermission.ORDERS_PLACE)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Start a checkout",
        description=(
            "Opens the provider's hosted checkout, then writes the order with it; send the buyer to `redirectUrl`. "
            "Needs a verified email (403 `email_not_verified`). When the provider does not answer, the "
            "order is `checkout_unknown` with no `redirectUrl`; it is resolved in the background. The VAT id "
            "is treated as in the price list (`vatIdCheck` and `taxNote` on the order say what VIES answered), "
            "and `successUrl`/`cancelUrl` must be on this service or an allowed origin (422 "
            "`return_url_not_allowed`). One product (`productCode`), or a cart (`items`, which may follow "
            "`productCode`): the editor's plans and several publishers' extensions in one charge."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def checkout(
        self,
        data: JSONBody[CheckoutRequestBody],
        actor: NamedDependency[Actor],
        handler: FromDishka[StartCheckoutHandler],
    ) -> OrderResponse:
        items = [
            CheckoutItem(item.product_code, BillingInterval(item.interval), item.quantity) for item in data.items or ()
        ]
        if data.product_code is not None:
            items.insert(0, CheckoutItem(data.product_code, BillingInterval(data.interval), data.quantity))
        if not items:
            raise ProductCodeInvalid("Name a product, or list the cart in items.", field="productCode")
        first, *more = items
        command = StartCheckout(
            user_id=actor.user_id,
            product_code=first.product_code,
            interval=first.interval,
            currency=data.currency,
            country=data.country,
            quantity=first.quantity,
            region=data.region,
            vat_id=data.vat_id,
            success_url=data.success_url,
            cancel_url=data.cancel_url,
            more=tuple(more),
        )
        return OrderResponse.of(await handler(command))

    @post(
        "/webhook",
        status_code=HTTP_200_OK,
        summary="Payment provider webhook",
        description=(
            "Public; authenticated by the `Stripe-Signature` header (`t=<unix>,v1=<hex HMAC-SHA256 of "
            '"t.body">`) over the raw body, within 5 minutes. Stored once per provider event id and '
            "acknowledged at once; `received` is false for a duplicate. 400 for a bad signature, a stale "
            "timestamp or a malformed body, with nothing written."
        ),
        responses=problems(400, 429),
        operation_class=SignedWebhookOperation,
    )
    async def webhook(
        self,
        request: Request[Any, Any, Any],
        receive: FromDishka[ReceiveWebhook],
    ) -> Response[WebhookAck | ProblemDetails]:
        body = await request.body()
        try:
            received = await receive(body, request.headers.get(SIGNATURE_HEADER))
        except WebhookRejected as rejected:
            return problem(  # type: ignore[return-value]
                400,
                rejected.message,
                code="webhook_rejected",
                errors=[FieldError(SIGNATURE_HEADER, rejected.reason)],
            )
        return Response(WebhookAck(received=received))

    @get(
        "/orders",
        guards=[require(BillingPermission.ORDERS_PLACE, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="List my orders",
        description="Your orders, newest first; an administrator (signed in, not by API key) sees everyone's.",
        responses=problems(400, 401, 403, 429),
    )
    async def list_orders(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListOrders],
        limit: Annotated[int, QueryParameter(ge=1, le=100, description="1 to 100")] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_INT, description="Orders to skip")] = 0,
    ) -> list[OrderResponse]:
        views = await handler(actor, limit=limit, offset=offset)
        return [OrderResponse.of(view) for view in views]

    @get(
        "/orders/{order_id:uuid}",
        guards=[require(BillingPermission.ORDERS_PLACE, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Show an order",
        description="Your own order; someone else's answers 404 like a missing one (administrators see all).",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def show_order(
        self, order_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[GetOrder]
    ) -> OrderResponse:
        return OrderResponse.of(await handler(actor, order_id))
