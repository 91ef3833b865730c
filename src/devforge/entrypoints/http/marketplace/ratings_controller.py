"""Ratings and reviews: a user's own rating of an extension they downloaded, the public list with
its summary, and administrators taking a rating down."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from devforge.application.common.actor import Actor
from devforge.application.marketplace.moderate_ratings import ListRatings, RemoveRatingHandler
from devforge.application.marketplace.rate_extension import (
    GetMyRating,
    RateExtension,
    RateExtensionHandler,
    RemoveMyRating,
)
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.marketplace.rating_schemas import RatingRequest, RatingResponse, RatingsPageResponse
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN

MINE = "/{extension_id:uuid}/reviews/mine"


class ExtensionRatingsController(Controller):
    path = "/api/extensions"
    tags = ["marketplace"]
    dependencies = GRANTED

    @get(
        "/{extension_id:uuid}/reviews",
        summary="An extension's ratings and reviews",
        description=(
            "The summary (count, average and how many ratings gave each number of stars) and the ratings, "
            "newest first, in keyset pages: pass `nextCursor` as `cursor`. Review text is plain text."
        ),
        responses=problems(400, 404, 422, 429),
    )
    async def list_ratings(
        self,
        extension_id: FromPath[UUID],
        handler: FromDishka[ListRatings],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(pattern=LINE_PATTERN, max_length=200)] = None,
    ) -> RatingsPageResponse:
        return RatingsPageResponse.of(await handler(extension_id, limit, cursor))

    @put(
        MINE,
        guards=[require(IdentityPermission.USERS_MANAGE_SELF)],
        security=BEARER,
        summary="Rate an extension (create or edit your rating)",
        description=(
            "One rating per user and extension: 1-5 `stars`, an optional `title` (up to 100 characters) and "
            "`body` (up to 5,000; plain text, control characters are removed). Only after downloading the "
            "extension while signed in (403 `rating_refused` otherwise), and never by a member of its "
            "publisher. Sending again edits the same rating (`edited` turns true); the same body twice "
            "changes nothing. The reviews page counts it at once; the extension's figures in its view "
            "and in search follow a moment later."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def rate(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[RatingRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[RateExtensionHandler],
    ) -> RatingResponse:
        command = RateExtension(extension_id, data.stars, data.title, data.body)
        return RatingResponse.of_view(await handler(actor, command))

    @get(
        MINE,
        guards=[require(IdentityPermission.USERS_READ_SELF)],
        security=BEARER,
        summary="Your rating of an extension",
        description="404 `rating_not_found` while you have not rated it.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def mine(
        self,
        extension_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetMyRating],
    ) -> RatingResponse:
        return RatingResponse.of_view(await handler(actor, extension_id))

    @delete(
        MINE,
        status_code=HTTP_204_NO_CONTENT,
        guards=[require(IdentityPermission.USERS_MANAGE_SELF)],
        security=BEARER,
        summary="Delete your rating of an extension",
        description=(
            "The reviews page counts it gone at once; the extension's figures in its view and in search "
            "follow a moment later. You may rate it again later."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def remove_mine(
        self,
        extension_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[RemoveMyRating],
    ) -> None:
        await handler(actor, extension_id)

    @delete(
        "/{extension_id:uuid}/reviews/{review_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        guards=[require(MarketplacePermission.EXTENSIONS_REVIEW)],
        security=BEARER,
        summary="Remove someone's rating",
        description=(
            "Administrators only (with two-factor), saying why in `reason`; the reason is kept with the "
            "`marketplace.rating_removed` event; the extension's figures follow a moment later."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def remove(
        self,
        extension_id: FromPath[UUID],
        review_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[RemoveRatingHandler],
        reason: Annotated[
            str, QueryParameter(pattern=LINE_PATTERN, min_length=1, max_length=500, description="Why, e.g. Spam")
        ],
    ) -> None:
        await handler(actor, extension_id, review_id, reason)
