"""``POST /api/throwaway/pings``, for holders of ``pings:send``."""

from __future__ import annotations

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, post
from litestar.params import JSONBody

from devforge.entrypoints.http.authorization import BEARER, require
from tests.integration.throwaway_context.application import Ping
from tests.integration.throwaway_context.permissions import ThrowawayPermission


class PingBody(msgspec.Struct):
    source: str


class PingAccepted(msgspec.Struct):
    event_id: str


class PingController(Controller):
    path = "/api/throwaway"
    tags = ["throwaway"]
    guards = [require(ThrowawayPermission.PINGS_SEND)]
    security = BEARER

    @post("/pings", status_code=202, summary="Ping")
    async def ping(self, data: JSONBody[PingBody], handler: FromDishka[Ping]) -> PingAccepted:
        return PingAccepted(str(await handler(data.source)))


CONTROLLERS = (PingController,)
