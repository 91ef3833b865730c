"""``/api/payments/payouts``: a publisher's payouts and skipped payouts (its owner, or a billing
admin), and the administrators' hold and release with its audit trail (``billing:admin``, which
is administrative: two-factor)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, PathParameter, QueryParameter

from devforge.application.billing.get_payout_hold_trail import GetPayoutHoldTrail
from devforge.application.billing.list_payouts import ListPayouts
from devforge.application.billing.set_payout_hold import SetPayoutHold, SetPayoutHoldHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.payouts_schemas import (
    PayoutHoldBody,
    PayoutHoldTrailResponse,
    PublisherPayoutsResponse,
)
from devforge.entrypoints.http.openapi_docs import problems

Publisher = Annotated[UUID, PathParameter(description="The publisher (payee)")]
_HOLD_EXAMPLES = [
    Example(summary="Hold a publisher's payouts", value={"held": True, "reason": "Chargeback review, ticket 4411"}),
    Example(summary="Release them", value={"held": False, "reason": "Review closed: no fraud found"}),
]


class PayoutsController(Controller):
    path = "/api/payments"
    tags = ["payments"]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/payouts",
        guards=[require(BillingPermission.EXTENSIONS_SELL, override=BillingPermission.ADMIN)],
        summary="A publisher's payouts and skipped payouts",
        description=(
            "Newest first: each payout (the run's month, amount transferred, tax withheld, status `pending`, `sent` "
            "or `returned` with why, the provider's transfer id), and each run that paid nothing, with its reason: "
            "`held`, `negative_balance`, `disputed`, `below_minimum`, `account_not_enabled`, `tax_form_missing`. "
            "Runs are monthly; one transfer per publisher and currency. A publisher you do not own answers 404."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def payouts(
        self,
        publisher_id: Annotated[UUID, QueryParameter(name="publisherId", description="The publisher (payee)")],
        actor: NamedDependency[Actor],
        handler: FromDishka[ListPayouts],
        limit: Annotated[int, QueryParameter(ge=1, le=200, description="At most this many of each")] = 50,
    ) -> PublisherPayoutsResponse:
        return PublisherPayoutsResponse.of(await handler(actor, publisher_id, limit=limit))

    @put(
        "/admin/payout-holds/{publisher_id:uuid}",
        guards=[require(BillingPermission.ADMIN)],
        summary="Hold or release a publisher's payouts",
        description=(
            "Administrators only (two-factor). `held: true` makes every payout run skip the publisher with the reason "
            "`held` until released; the reason is required and kept, with who and when, in the publisher's audit "
            "trail, which the answer lists. An unknown publisher answers 404; a missing or blank reason is refused "
            "naming `reason`."
        ),
        status_code=200,
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def set_hold(
        self,
        publisher_id: Publisher,
        data: Annotated[PayoutHoldBody, Body(examples=_HOLD_EXAMPLES)],
        actor: NamedDependency[Actor],
        handler: FromDishka[SetPayoutHoldHandler],
    ) -> PayoutHoldTrailResponse:
        trail = await handler(actor, SetPayoutHold(publisher_id, data.held, data.reason))
        return PayoutHoldTrailResponse.of(publisher_id, trail)

    @get(
        "/admin/payout-holds/{publisher_id:uuid}",
        guards=[require(BillingPermission.ADMIN)],
        summary="A publisher's payout hold trail",
        description="Administrators only (two-factor): whether the publisher is held, and every hold and release.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def hold_trail(
        self, publisher_id: Publisher, handler: FromDishka[GetPayoutHoldTrail]
    ) -> PayoutHoldTrailResponse:
        return PayoutHoldTrailResponse.of(publisher_id, await handler(publisher_id))
