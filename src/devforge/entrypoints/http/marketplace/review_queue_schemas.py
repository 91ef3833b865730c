"""The reviewers' queue on the wire (camelCase), with examples for /schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.application.marketplace.list_review_queue import QueuedVersion
from devforge.entrypoints.http.marketplace.schemas import FindingResponse, review_url
from devforge.entrypoints.http.schemas import CamelStruct


class QueuedVersionResponse(CamelStruct):
    extension_id: UUID
    publisher: Annotated[str, Meta(examples=["acme"], description="The publisher's namespace")]
    extension: Annotated[str, Meta(examples=["rainbow-brackets"])]
    version: Annotated[str, Meta(examples=["1.2.0"])]
    target_platform: Annotated[str, Meta(examples=["universal"])]
    waiting_since: Annotated[datetime, Meta(description="When its review passed")]
    waited_hours: Annotated[float, Meta(examples=[26.5], description="How long it has waited, in hours")]
    severity: Annotated[
        str | None, Meta(examples=["medium"], description="The highest severity found; null when nothing was")
    ]
    findings: list[FindingResponse]
    review_url: Annotated[str, Meta(description="Its checks and history; decide with approve, reject, request-changes")]

    @classmethod
    def of(cls, queued: QueuedVersion) -> QueuedVersionResponse:
        version = queued.version
        return cls(
            version.extension_id,
            queued.namespace,
            queued.extension_name,
            version.version,
            version.target_platform,
            queued.waiting_since,
            round(queued.waited.total_seconds() / 3600, 2),
            queued.severity,
            [FindingResponse.of(finding) for finding in queued.findings],
            review_url(version.extension_id, version.version, version.target_platform),
        )


class ReviewQueueResponse(CamelStruct):
    items: Annotated[list[QueuedVersionResponse], Meta(description="The longest waiting first")]

    @classmethod
    def of(cls, queued: list[QueuedVersion]) -> ReviewQueueResponse:
        return cls([QueuedVersionResponse.of(item) for item in queued])
