"""``/api/analytics/ingestion-keys``: the publishable keys editor builds send events with (admins)."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from devforge.application.analytics.create_ingestion_key import CreateIngestionKey
from devforge.application.analytics.list_ingestion_keys import ListIngestionKeys
from devforge.application.analytics.revoke_ingestion_key import RevokeIngestionKey
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.entrypoints.http.analytics.schemas import (
    CreatedIngestionKeyResponse,
    CreateIngestionKeyRequest,
    IngestionKeyResponse,
)
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems


class IngestionKeysController(Controller):
    """``analytics:manage``: an admin's session with two-factor on, never an API key."""

    path = "/api/analytics/ingestion-keys"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.KEYS_MANAGE)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an ingestion key",
        description=(
            "A publishable key (`dfi_pub_...`) for editor builds to send events with: it can send events and "
            "nothing else, so it may ship inside the editor. Answered once; only its digest and first 12 "
            "characters are kept. Administrators with two-factor on."
        ),
        responses=problems(400, 401, 403, 422, 429),
        opt={"answers_secrets": True},
    )
    async def create(
        self,
        data: JSONBody[CreateIngestionKeyRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[CreateIngestionKey],
    ) -> CreatedIngestionKeyResponse:
        return CreatedIngestionKeyResponse.of(await handler(actor, data.name))

    @get(
        "/",
        summary="List ingestion keys",
        description="Every ingestion key, newest first, revoked ones included; never the secrets.",
        responses=problems(400, 401, 403, 429),
    )
    async def list_keys(
        self, actor: NamedDependency[Actor], handler: FromDishka[ListIngestionKeys]
    ) -> list[IngestionKeyResponse]:
        return [IngestionKeyResponse.of(key) for key in await handler(actor)]

    @delete(
        "/{ingestion_key_id:uuid}",
        status_code=200,
        summary="Revoke an ingestion key",
        description=(
            "Events sent with it are refused (401) from then on; each API process remembers a key's answer "
            "for at most a minute. Revoking twice keeps the first time."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def revoke(
        self, ingestion_key_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[RevokeIngestionKey]
    ) -> IngestionKeyResponse:
        return IngestionKeyResponse.of(await handler(actor, ingestion_key_id))
