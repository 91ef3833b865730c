"""The reviewers' queue: versions waiting for a decision (reviewers only: an administrator with
two-factor). Decisions are the routes of ``review_controller.py``."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from devforge.application.common.actor import Actor
from devforge.application.marketplace.list_review_queue import ListReviewQueue, QueueQuery
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.review import Severity
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.marketplace.review_queue_schemas import ReviewQueueResponse
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN

SeverityQuery = Annotated[
    Severity | None, QueryParameter(description="Only versions with a finding of this severity or higher")
]
PublisherQuery = Annotated[
    str | None,
    QueryParameter(pattern=LINE_PATTERN, max_length=64, description="A publisher's namespace"),
]
WaitedQuery = Annotated[
    int,
    QueryParameter(name="waitedHours", ge=0, le=24 * 365, description="Only versions waiting at least this many hours"),
]


class ReviewQueueController(Controller):
    path = "/api/extensions/review-queue"
    tags = ["marketplace"]
    guards = [require(MarketplacePermission.EXTENSIONS_REVIEW)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/",
        summary="Versions waiting for a reviewer",
        description=(
            "Passed versions that were not approved automatically (a finding of medium severity or higher, "
            "or a publisher on probation or not verified), the longest waiting first, each with how long it "
            "has waited and what its latest review round found (the most severe first). Filters: `severity` "
            "(the least severity of a finding), `publisher` (namespace), `waitedHours`. Versions of a "
            "publisher you belong to are not listed: another reviewer decides on them. Decide with "
            "`POST /api/extensions/{id}/approve`, `/reject` or `/request-changes`. Reviewers only."
        ),
        responses=problems(400, 401, 403, 429),
    )
    async def waiting(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListReviewQueue],
        severity: SeverityQuery = None,
        publisher: PublisherQuery = None,
        waited_hours: WaitedQuery = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    ) -> ReviewQueueResponse:
        waited = timedelta(hours=waited_hours) if waited_hours else None
        query = QueueQuery(severity, publisher, waited, limit)
        return ReviewQueueResponse.of(await handler(actor, query))
