"""``/api/analytics/erasures``: erase one person's events on request, and the record of it (admins)."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from devforge.application.analytics.erase_person import ErasePerson
from devforge.application.analytics.list_erasures import MAX_LISTED, ListErasures
from devforge.application.common.actor import Actor
from devforge.domain.analytics.erasure import ErasureSubject
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.entrypoints.http.analytics.erasure_schemas import ErasePersonRequest, ErasureResponse
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems


class ErasuresController(Controller):
    """``analytics:erase``: an admin's session with two-factor on, never an API key."""

    path = "/api/analytics/erasures"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.ERASE)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Erase a person's events",
        description=(
            "Deletes for good every event of the install (`distinctId`) or user (`userId`) named, and of every "
            "id stitched to them (the user an install is linked to, that user's other installs, the server's facts "
            "about the user), and their links. Their installs are opted out first, so events they keep sending "
            "are dropped at the door (by every API process within 30 s). The request is recorded: who, when, "
            "whom, how many events. Administrators with two-factor on."
        ),
        responses=problems(400, 401, 403, 422, 429),
    )
    async def erase(
        self, data: JSONBody[ErasePersonRequest], actor: NamedDependency[Actor], handler: FromDishka[ErasePerson]
    ) -> ErasureResponse:
        return ErasureResponse.of(await handler(actor, ErasureSubject(data.distinct_id, data.user_id)))

    @get(
        "/",
        summary="List erasures",
        description="The latest erasures, newest first: who asked, when, whom, and what was removed.",
        responses=problems(400, 401, 403, 429),
    )
    async def list_erasures(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListErasures],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LISTED, description=f"1 to {MAX_LISTED}")] = 50,
    ) -> list[ErasureResponse]:
        return [ErasureResponse.of(each) for each in await handler(actor, limit)]
