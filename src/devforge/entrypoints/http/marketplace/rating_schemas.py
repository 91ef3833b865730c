"""Bodies of the ratings and reviews routes (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.application.marketplace.ratings import RatingsPage, RatingView
from devforge.domain.marketplace.rating import MAX_BODY, MAX_TITLE, Rating, RatingSummary
from devforge.entrypoints.http.schemas import MULTILINE, NO_CONTROL_CHARACTERS, CamelStruct


class RatingRequest(CamelStruct):
    stars: Annotated[int, Meta(ge=1, le=5, examples=[5], description="1 to 5 whole stars")]
    title: Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=MAX_TITLE, examples=["Does one thing well"])] = ""
    body: Annotated[
        str, MULTILINE, Meta(max_length=MAX_BODY, examples=["Brackets finally readable."], description="Plain text")
    ] = ""


class RatingResponse(CamelStruct):
    id: UUID
    extension_id: UUID
    stars: int
    title: str
    body: Annotated[str, Meta(description="Plain text: show it as text, never as HTML")]
    created_at: datetime
    updated_at: datetime
    edited: bool

    @classmethod
    def of(cls, rating: Rating) -> RatingResponse:
        return cls(
            rating.id,
            rating.extension_id,
            rating.stars,
            rating.title,
            rating.body,
            rating.created_at,
            rating.updated_at,
            rating.edited,
        )

    @classmethod
    def of_view(cls, view: RatingView) -> RatingResponse:
        return cls.of(view.rating)


class RatingSummaryResponse(CamelStruct):
    count: int
    average: Annotated[float, Meta(description="1.0-5.0 when rated; 0.0 while unrated")]
    histogram: Annotated[dict[str, int], Meta(examples=[{"1": 0, "2": 1, "3": 0, "4": 5, "5": 12}])]

    @classmethod
    def of(cls, summary: RatingSummary) -> RatingSummaryResponse:
        histogram = {str(stars): count for stars, count in enumerate(summary.histogram, start=1)}
        return cls(summary.count, summary.average, histogram)


class RatingsPageResponse(CamelStruct):
    summary: RatingSummaryResponse
    items: list[RatingResponse]
    next_cursor: Annotated[str | None, Meta(description="Pass as `cursor` for the next page; null on the last")]

    @classmethod
    def of(cls, found: RatingsPage) -> RatingsPageResponse:
        items = [RatingResponse.of(rating) for rating in found.ratings]
        return cls(RatingSummaryResponse.of(found.summary), items, found.next_cursor)
