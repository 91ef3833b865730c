"""Install tokens: an editor installation asks for one once and sends it with its downloads
(``X-Devforge-Install``), so they count for the installation rather than for its address."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, post
from litestar.status_codes import HTTP_201_CREATED
from msgspec import Meta

from devforge.application.marketplace.issue_install_token import IssueInstallToken
from devforge.entrypoints.http.marketplace.catalog_controller import client_of
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import CamelStruct


class InstallTokenResponse(CamelStruct):
    install_id: UUID
    install_token: Annotated[
        str,
        Meta(
            examples=["dfi1.3q2-7wAAAAAAAAAAAAAAAGdUMqA.Vr7Q0c8mXh1n4cJq0jv2e3x0b9w6yqkY1wL3sV9dZfU"],
            description="Send it as X-Devforge-Install with every download; keep it for good",
        ),
    ]


class InstallsController(Controller):
    path = "/api/extensions/installs"
    tags = ["marketplace"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="An install token for an editor installation",
        description=(
            "Issued once per installation and kept: a download carrying it (`X-Devforge-Install`) counts once "
            "per installation, version and day. A token this server did not sign is ignored (the download "
            "counts for the address). At most `DEVFORGE_MARKETPLACE_INSTALL_TOKENS_PER_DAY` (5) tokens a day "
            "from one address (429 with `Retry-After`). No sign-in needed."
        ),
        responses=problems(429),
    )
    async def issue(
        self, request: Request[Any, Any, Any], handler: FromDishka[IssueInstallToken]
    ) -> InstallTokenResponse:
        issued = await handler(client_of(request, None))  # the address, hashed as downloads count it
        return InstallTokenResponse(issued.install_id, issued.token)
