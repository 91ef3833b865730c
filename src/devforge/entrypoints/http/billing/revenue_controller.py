"""``GET /api/payments/revenue``: a developer's revenue tracking for one publisher they own (a
billing admin reads any): per currency and extension, the balance, payouts and the next one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from devforge.application.billing.show_revenue import ShowRevenue
from devforge.application.common.actor import Actor
from devforge.entrypoints.http.authorization import BEARER, GRANTED
from devforge.entrypoints.http.billing.revenue_schemas import RevenueResponse
from devforge.entrypoints.http.billing.statements_controller import SELLS, Currency
from devforge.entrypoints.http.openapi_docs import problems


class RevenueController(Controller):
    path = "/api/payments/revenue"
    tags = ["payments"]
    guards = SELLS
    dependencies = GRANTED
    security = BEARER

    @get(
        "/",
        summary="Show a publisher's revenue",
        description=(
            "For the period `from`..`to` (end excluded; default: this month so far), per currency: gross paid by "
            "buyers, your sales, refunds and chargebacks (your share) and net; per extension gross, refunded, "
            "commission and net; per month gross and net; what was paid out in the period. Now: the balance, "
            "pending (sales inside the payout hold), held (open disputes) and available; every payout (with tax "
            "withheld and its return, if any); the next payout's estimated date and amount against the currency's "
            "minimum; and the monthly statements to download. Someone else's publisher answers 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def show_revenue(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ShowRevenue],
        publisher_id: Annotated[UUID, QueryParameter(name="publisherId", description="One publisher you own")],
        start: Annotated[
            datetime | None, QueryParameter(name="from", description="ISO 8601 with an offset (default: month start)")
        ] = None,
        end: Annotated[
            datetime | None, QueryParameter(name="to", description="ISO 8601 with an offset (default: now)")
        ] = None,
        currency: Currency = None,
    ) -> RevenueResponse:
        return RevenueResponse.of(await handler(actor, publisher_id, start, end, currency))
