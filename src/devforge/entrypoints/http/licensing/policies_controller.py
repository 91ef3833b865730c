"""``/api/licensing/policies``: the templates licenses of a product are issued from.

Only the product's owner or an admin; someone else's policy answers 404 like a missing one."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from devforge.application.common.actor import Actor
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.delete_policy import DeletePolicyHandler
from devforge.application.licensing.get_policy import GetPolicy
from devforge.application.licensing.list_policies import ListPolicies
from devforge.application.licensing.update_policy import UpdatePolicy, UpdatePolicyHandler
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.licensing.catalog_schemas import UpdatePolicyRequest
from devforge.entrypoints.http.licensing.schemas import CreatePolicyRequest, PolicyResponse
from devforge.entrypoints.http.openapi_docs import problems

POLICY_PATH = "/policies/{policy_id:uuid}"
MINE = "Someone else's policy answers 404 like a missing one."


class LicensingPoliciesController(Controller):
    path = "/api/licensing"
    tags = ["licenses"]
    guards = [require(LicensingPermission.LICENSES_MANAGE, override=LicensingPermission.ADMIN)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/policies",
        status_code=HTTP_201_CREATED,
        summary="Create a policy",
        description=(
            "The terms licenses of one of your products are issued on: seats, term, entitlements. "
            "Each entitlement must be defined for the product (422 `ENTITLEMENT_UNDEFINED` naming "
            "`entitlements`). Someone else's product answers 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def create_policy(
        self,
        data: JSONBody[CreatePolicyRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[CreatePolicyHandler],
    ) -> PolicyResponse:
        command = CreatePolicy(product_id=data.product_id, name=data.name, settings=data.settings())
        return PolicyResponse.of(await handler(actor, command))

    @get(
        "/products/{product_id:uuid}/policies",
        summary="List a product's policies",
        description="By name. Someone else's product answers 404 like a missing one.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def list_policies(
        self, product_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[ListPolicies]
    ) -> list[PolicyResponse]:
        return [PolicyResponse.of(policy) for policy in await handler(actor, product_id)]

    @get(POLICY_PATH, summary="One policy", description=MINE, responses=problems(400, 401, 403, 404, 429))
    async def get_policy(
        self, policy_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[GetPolicy]
    ) -> PolicyResponse:
        return PolicyResponse.of(await handler(actor, policy_id))

    @patch(
        POLICY_PATH,
        summary="Change a policy",
        description=(
            "Only the fields sent change, held to the same rules as at creation (422 naming the field). "
            "Licenses already issued keep the terms they were issued with: each license stores a "
            "snapshot of its policy, so a change applies to licenses issued afterwards. An added "
            f"entitlement must be defined for the product. {MINE}"
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def update_policy(
        self,
        policy_id: FromPath[UUID],
        data: JSONBody[UpdatePolicyRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[UpdatePolicyHandler],
    ) -> PolicyResponse:
        return PolicyResponse.of(await handler(actor, UpdatePolicy(policy_id, data.changes())))

    @delete(
        POLICY_PATH,
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a policy",
        description=f"Refused with 409 `POLICY_IN_USE` once a license was issued from it. {MINE}",
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def delete_policy(
        self, policy_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[DeletePolicyHandler]
    ) -> None:
        await handler(actor, policy_id)
