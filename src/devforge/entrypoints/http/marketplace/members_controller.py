"""``/api/publishers/{id}/members``: who belongs to a publisher, changed by its owner from a
signed-in session only (``publishers:manage``, which no API key can hold), so a leaked CI key
cannot add its holder as a member who would keep publishing after the key is revoked."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from devforge.application.common.actor import Actor
from devforge.application.marketplace.manage_members import (
    AddPublisherMemberHandler,
    RemovePublisherMemberHandler,
)
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.marketplace.schemas import MemberRequest, PublisherResponse
from devforge.entrypoints.http.openapi_docs import problems


class PublisherMembersController(Controller):
    path = "/api"
    tags = ["marketplace"]
    guards = [require(MarketplacePermission.PUBLISHERS_MANAGE, override=MarketplacePermission.EXTENSIONS_REVIEW)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/publishers/{publisher_id:uuid}/members",
        status_code=HTTP_200_OK,
        summary="Add a member to a publisher",
        description=(
            "The owner adds a user (by id); every member may create extensions and upload versions. Needs a "
            "signed-in session (`publishers:manage`): an API key cannot change who belongs to a publisher."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def add_member(
        self,
        publisher_id: FromPath[UUID],
        data: JSONBody[MemberRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[AddPublisherMemberHandler],
    ) -> PublisherResponse:
        return PublisherResponse.of(await handler(actor, publisher_id, data.user_id))

    @delete(
        "/publishers/{publisher_id:uuid}/members/{user_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove a member from a publisher",
        description="The owner removes a member; the owner stays. Needs a signed-in session (`publishers:manage`).",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def remove_member(
        self,
        publisher_id: FromPath[UUID],
        user_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[RemovePublisherMemberHandler],
    ) -> PublisherResponse:
        return PublisherResponse.of(await handler(actor, publisher_id, user_id))
