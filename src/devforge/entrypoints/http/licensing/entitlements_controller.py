"""``/api/licensing``: a product's catalog of entitlements (named features policies and licenses
grant). Only the product's owner or an admin; someone else's answers 404 like a missing one."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from devforge.application.common.actor import Actor
from devforge.application.licensing.define_entitlement import DefineEntitlement, DefineEntitlementHandler
from devforge.application.licensing.delete_entitlement import DeleteEntitlementHandler
from devforge.application.licensing.list_entitlements import ListEntitlements
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.licensing.catalog_schemas import DefineEntitlementRequest, EntitlementResponse
from devforge.entrypoints.http.openapi_docs import problems

ENTITLEMENTS_PATH = "/products/{product_id:uuid}/entitlements"


class LicensingEntitlementsController(Controller):
    path = "/api/licensing"
    tags = ["licenses"]
    guards = [require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)]
    dependencies = GRANTED
    security = BEARER

    @post(
        ENTITLEMENTS_PATH,
        status_code=HTTP_201_CREATED,
        summary="Define an entitlement",
        description=(
            "A named feature of your product (lower case letters, digits, `.`, `_`, `-`) its policies "
            "and licenses may then grant. A code is defined once per product (409 `ENTITLEMENT_CODE_TAKEN`)."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def define_entitlement(
        self,
        product_id: FromPath[UUID],
        data: JSONBody[DefineEntitlementRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[DefineEntitlementHandler],
    ) -> EntitlementResponse:
        command = DefineEntitlement(product_id, data.code, data.name)
        return EntitlementResponse.of(await handler(actor, command))

    @get(
        ENTITLEMENTS_PATH,
        summary="List a product's entitlements",
        description="By code. Someone else's product answers 404 like a missing one.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def list_entitlements(
        self, product_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[ListEntitlements]
    ) -> list[EntitlementResponse]:
        return [EntitlementResponse.of(found) for found in await handler(actor, product_id)]

    @delete(
        "/entitlements/{entitlement_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete an entitlement",
        description=(
            "Refused with 409 `ENTITLEMENT_IN_USE` while a policy of the product lists its code. "
            "Someone else's entitlement answers 404 like a missing one."
        ),
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def delete_entitlement(
        self,
        entitlement_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[DeleteEntitlementHandler],
    ) -> None:
        await handler(actor, entitlement_id)
