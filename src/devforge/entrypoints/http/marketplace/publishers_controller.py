"""``/api/publishers`` and ``/api/developer/dashboard``: a developer's namespaces and their state."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from devforge.application.common.actor import Actor
from devforge.application.marketplace.developer_dashboard import ShowDeveloperDashboard
from devforge.application.marketplace.register_publisher import RegisterPublisher, RegisterPublisherHandler
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.marketplace.schemas import (
    DashboardResponse,
    PublisherResponse,
    RegisterPublisherRequest,
    StartVerificationRequest,
)
from devforge.entrypoints.http.openapi_docs import problems

PUBLISHES = [require(MarketplacePermission.EXTENSIONS_PUBLISH)]
MANAGES = [require(MarketplacePermission.EXTENSIONS_PUBLISH, override=MarketplacePermission.EXTENSIONS_REVIEW)]
"""A publisher's own routes, which a reviewer reaches for any publisher."""


class PublishersController(Controller):
    path = "/api"
    tags = ["marketplace"]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/publishers",
        status_code=HTTP_201_CREATED,
        guards=PUBLISHES,
        summary="Register a publisher",
        description=(
            "Claim a namespace and become its owner. The namespace and display name are refused (409 "
            "`name_squatted`, naming the name it collides with) when they look like another publisher's "
            "names (the same Unicode confusable skeleton, or one edit or less from one), or are reserved "
            "(an administrator, or a member of a publisher with a verified matching domain, may claim "
            "those). At most `DEVFORGE_MARKETPLACE_PUBLISHERS_PER_DAY` per account (429 with `Retry-After`)."
        ),
        responses=problems(400, 401, 403, 409, 422, 429),
    )
    async def register(
        self,
        data: JSONBody[RegisterPublisherRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[RegisterPublisherHandler],
    ) -> PublisherResponse:
        command = RegisterPublisher(data.namespace, data.display_name)
        return PublisherResponse.of(await handler(actor, command))

    @post(
        "/publishers/{publisher_id:uuid}/verification",
        status_code=HTTP_200_OK,
        guards=MANAGES,
        summary="Start verifying the publisher's domain",
        description=(
            "The owner names a domain and gets the TXT record to publish (`verificationRecord`); then "
            "`POST .../verification/check` looks it up. A new domain drops an earlier verification."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def start_verification(
        self,
        publisher_id: FromPath[UUID],
        data: JSONBody[StartVerificationRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[StartDomainVerificationHandler],
    ) -> PublisherResponse:
        view = await handler(actor, publisher_id, data.domain)
        return PublisherResponse.of(view.publisher)

    @post(
        "/publishers/{publisher_id:uuid}/verification/check",
        status_code=HTTP_200_OK,
        guards=MANAGES,
        summary="Check the publisher's DNS TXT record",
        description="Verified once the record is found; 422 `domain_verification_failed` says what is missing.",
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def check_verification(
        self,
        publisher_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[CheckDomainVerificationHandler],
    ) -> PublisherResponse:
        view = await handler(actor, publisher_id)
        return PublisherResponse.of(view.publisher)

    @get(
        "/developer/dashboard",
        guards=PUBLISHES,
        summary="The developer dashboard",
        description="Onboarding steps, your publishers, their extensions with every version and its review state.",
        responses=problems(400, 401, 403, 429),
    )
    async def dashboard(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ShowDeveloperDashboard],
    ) -> DashboardResponse:
        return DashboardResponse.of(await handler(actor))
