"""Reviewers' decisions: approve a passed version, reject it or request changes, with a reason
the publisher is mailed."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from devforge.application.common.actor import Actor
from devforge.application.marketplace.decide_version import DecideVersionHandler, Decision
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.marketplace.schemas import DecisionRequest, VersionStateResponse
from devforge.entrypoints.http.openapi_docs import problems


class ExtensionReviewController(Controller):
    path = "/api/extensions"
    tags = ["marketplace"]
    guards = [require(MarketplacePermission.EXTENSIONS_REVIEW)]
    dependencies = GRANTED
    security = BEARER

    async def _decide(
        self,
        extension_id: FromPath[UUID],
        data: DecisionRequest,
        decision: Decision,
        actor: Actor,
        handler: DecideVersionHandler,
    ) -> VersionStateResponse:
        slot = VersionSlot(extension_id, data.version, data.target_platform)
        version = await handler(actor, slot, decision, data.reason)
        return VersionStateResponse.of(version)

    @post(
        "/{extension_id:uuid}/approve",
        status_code=HTTP_200_OK,
        summary="Approve a version",
        description="Only a passed version; the registry signs it and it is published. Administrators only.",
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def approve(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[DecisionRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[DecideVersionHandler],
    ) -> VersionStateResponse:
        return await self._decide(extension_id, data, Decision.APPROVE, actor, handler)

    @post(
        "/{extension_id:uuid}/reject",
        status_code=HTTP_200_OK,
        summary="Reject a version",
        description="A passed version, with a reason the publisher is mailed. Administrators only.",
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def reject(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[DecisionRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[DecideVersionHandler],
    ) -> VersionStateResponse:
        return await self._decide(extension_id, data, Decision.REJECT, actor, handler)

    @post(
        "/{extension_id:uuid}/request-changes",
        status_code=HTTP_200_OK,
        summary="Request changes to a version",
        description="A passed version, with what to change; the publisher uploads a fixed version.",
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def request_changes(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[DecisionRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[DecideVersionHandler],
    ) -> VersionStateResponse:
        return await self._decide(extension_id, data, Decision.REQUEST_CHANGES, actor, handler)
