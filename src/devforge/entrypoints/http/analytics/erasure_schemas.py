"""Bodies of ``/api/analytics/erasures``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.domain.analytics.erasure import Erasure
from devforge.entrypoints.http.schemas import LINE_PATTERN, CamelStruct


class ErasePersonRequest(CamelStruct):
    """At least one of the two."""

    distinct_id: (
        Annotated[str, Meta(min_length=1, max_length=200, pattern=LINE_PATTERN, examples=["install-6f1c2b"])] | None
    ) = None
    user_id: Annotated[UUID, Meta(examples=["7d0a6f9e-2f7b-4c55-9a37-0b1b0c3b9b61"])] | None = None


class ErasureResponse(CamelStruct):
    id: UUID
    distinct_id: str | None
    user_id: UUID | None
    erased_distinct_ids: Annotated[list[str], Meta(description="The subject's and every id stitched to it")]
    erased_user_ids: list[UUID]
    events: Annotated[int, Meta(description="Events deleted")]
    requested_by: UUID
    requested_at: datetime

    @classmethod
    def of(cls, erasure: Erasure) -> ErasureResponse:
        return cls(
            erasure.id,
            erasure.subject.distinct_id,
            erasure.subject.user_id,
            list(erasure.distinct_ids),
            list(erasure.user_ids),
            erasure.events,
            erasure.requested_by,
            erasure.requested_at,
        )
