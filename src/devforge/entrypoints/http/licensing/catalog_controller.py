"""``/api/licensing``: the products a developer sells and the policies licenses are issued from."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from devforge.application.identity.permissions import Permission
from devforge.application.identity.principal import Principal
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.licensing.controller import caller_of
from devforge.entrypoints.http.licensing.schemas import (
    CreatePolicyRequest,
    CreateProductRequest,
    PolicyResponse,
    ProductResponse,
)
from devforge.entrypoints.http.openapi_docs import problems


class LicensingCatalogController(Controller):
    path = "/api/licensing"
    tags = ["licenses"]
    guards = [require(Permission.LICENSES_MANAGE)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/products",
        status_code=HTTP_201_CREATED,
        summary="Create a product",
        description="A product you sell licenses for; you own it. Its code is unique.",
        responses=problems(400, 401, 403, 409, 422, 429),
    )
    async def create_product(
        self,
        data: JSONBody[CreateProductRequest],
        principal: NamedDependency[Principal],
        handler: FromDishka[CreateProductHandler],
    ) -> ProductResponse:
        product = await handler(caller_of(principal), CreateProduct(code=data.code, name=data.name))
        return ProductResponse.of(product)

    @post(
        "/policies",
        status_code=HTTP_201_CREATED,
        summary="Create a policy",
        description=(
            "The terms licenses of one of your products are issued on: seats, term, entitlements. "
            "Someone else's product answers 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def create_policy(
        self,
        data: JSONBody[CreatePolicyRequest],
        principal: NamedDependency[Principal],
        handler: FromDishka[CreatePolicyHandler],
    ) -> PolicyResponse:
        command = CreatePolicy(product_id=data.product_id, name=data.name, settings=data.settings())
        return PolicyResponse.of(await handler(caller_of(principal), command))
