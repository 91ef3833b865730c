"""``/api/licensing/products``: the products a developer sells licenses for.

A developer manages their own products, an admin everyone's; someone else's product answers
404, exactly like a missing one."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from devforge.application.common.actor import Actor
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.delete_product import DeleteProductHandler
from devforge.application.licensing.get_product import GetProduct
from devforge.application.licensing.list_products import MAX_PAGE, ListProducts
from devforge.application.licensing.rename_product import RenameProduct, RenameProductHandler
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.licensing.catalog_schemas import ProductPageResponse, RenameProductRequest
from devforge.entrypoints.http.licensing.schemas import CreateProductRequest, ProductResponse
from devforge.entrypoints.http.openapi_docs import problems

PRODUCT_PATH = "/products/{product_id:uuid}"
MINE = "Yours (an admin: anyone's); someone else's answers 404 like a missing one."


class LicensingCatalogController(Controller):
    path = "/api/licensing"
    tags = ["licenses"]
    guards = [require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)]
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
        actor: NamedDependency[Actor],
        handler: FromDishka[CreateProductHandler],
    ) -> ProductResponse:
        product = await handler(actor, CreateProduct(code=data.code, name=data.name))
        return ProductResponse.of(product)

    @get(
        "/products",
        summary="List products",
        description=(
            "Your products (an admin: everyone's), oldest first, a page at a time. Pass the page's "
            "`nextAfter` as `after` for the next one (422 naming `after` for a product you cannot see)."
        ),
        responses=problems(400, 401, 403, 422, 429),
    )
    async def list_products(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListProducts],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description=f"1 to {MAX_PAGE}")] = 50,
        after: Annotated[UUID | None, QueryParameter(description="The last product of the previous page")] = None,
    ) -> ProductPageResponse:
        return ProductPageResponse.of(await handler(actor, limit=limit, after=after))

    @get(PRODUCT_PATH, summary="One product", description=MINE, responses=problems(400, 401, 403, 404, 429))
    async def get_product(
        self, product_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[GetProduct]
    ) -> ProductResponse:
        return ProductResponse.of(await handler(actor, product_id))

    @patch(
        PRODUCT_PATH,
        summary="Rename a product",
        description=f"Only the name changes: clients validate against the code. {MINE}",
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def rename_product(
        self,
        product_id: FromPath[UUID],
        data: JSONBody[RenameProductRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[RenameProductHandler],
    ) -> ProductResponse:
        return ProductResponse.of(await handler(actor, RenameProduct(product_id, data.name)))

    @delete(
        PRODUCT_PATH,
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a product",
        description=(
            "Refused with 409 `PRODUCT_IN_USE` while it has policies or licenses (delete its policies "
            f"first); its entitlements go with it. {MINE}"
        ),
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def delete_product(
        self,
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[DeleteProductHandler],
    ) -> None:
        await handler(actor, product_id)
