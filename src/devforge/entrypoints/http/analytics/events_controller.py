"""``POST /api/analytics/events``: editors send their events, one or a batch at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example, OpenAPIMediaType, Operation, RequestBody

from devforge.application.analytics.ingest_events import IngestBatch, IngestEvents
from devforge.application.analytics.ingestion_credentials import Credential
from devforge.entrypoints.http.analytics.event_decoding import events_of
from devforge.entrypoints.http.analytics.schemas import EventDoc, EventsAnswerResponse, EventsBatchDoc
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.problems import FieldError, ProblemDetails

_DESCRIPTION = (
    'One event, or `{"batch": [...]}` of at most 1000 (`DEVFORGE_ANALYTICS_MAX_BATCH_EVENTS`); an event '
    "is at most 32 KB and a batch 500 KB (Segment's limits; a batch past them is 413 naming `batch`), and "
    "`properties` nest at most 8 levels. Send `Authorization: Bearer <dfi_pub_ ingestion key>` or "
    "`Authorization: License <license key>`. Each event is answered in order, `accepted`, `duplicate` (its "
    "`uuid` was taken within the dedup window, 24 hours) or `rejected` with a `reason`; the three counts add "
    "up to the batch. A client clock that is off is corrected (`now + (timestamp - sent_at)`; more than 23 "
    "hours ahead: now). The client's address is never stored (a salted hash that changes daily). An install "
    "that sent `$opt_out` is dropped from then on; `$identify` with `properties.$user_id` links the install "
    "to its user. 503 while the store is behind or the dedup window cannot be checked: send again later."
)


def _problem(status: int, code: str, detail: str, field: str | None, description: str) -> dict[int, ResponseSpec]:
    title = {413: "Request Entity Too Large", 503: "Service Unavailable"}[status]
    value = ProblemDetails(
        type=f"https://docs.devforge.dev/problems/{code}",
        title=title,
        status=status,
        detail=detail,
        code=code,
        errors=[FieldError(field, detail)] if field else [],
    )
    example = Example(summary=code, value=value)
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=description,
            media_type="application/problem+json",
            examples=[example],
            generate_examples=False,  # openapi_docs.NO_GENERATED_EXAMPLES
        )
    }


_ANSWERS = {
    **problems(400, 401, 429),
    **_problem(413, "batch_too_large", "A batch holds at most 1000 events.", "batch", "The batch is past its limits"),
    **_problem(503, "service_unavailable", "The analytics store is behind; send the batch again shortly.", None,
               "The store is behind or the dedup window cannot be checked; nothing was stored"),
}  # fmt: skip


def _inlined(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """msgspec's JSON Schema with its ``$defs`` references inlined (these bodies do not recurse)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inlined(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inlined(value, definitions) for key, value in schema.items() if key != "$defs"}
    if isinstance(schema, list):
        return [_inlined(each, definitions) for each in schema]
    return schema


@dataclass
class EventsOperation(Operation):
    """The body is read event by event by the route (one bad event is rejected alone), so its
    schema is stated here rather than decoded by Litestar as a whole."""

    def __post_init__(self) -> None:
        (one, batch), definitions = msgspec.json.schema_components([EventDoc, EventsBatchDoc])
        schema = {"oneOf": [_inlined(one, definitions), _inlined(batch, definitions)]}
        self.request_body = RequestBody(
            content={"application/json": OpenAPIMediaType(schema=schema)},  # type: ignore[arg-type]
            required=True,
            description="One event, or a batch of them",
        )


class AnalyticsEventsController(Controller):
    path = "/api/analytics"
    tags = ["analytics"]

    @post(
        "/events",
        status_code=200,
        summary="Send events",
        description=_DESCRIPTION,
        responses=_ANSWERS,
        operation_class=EventsOperation,
        opt={"rate_limit": "analytics"},
    )
    async def send(self, request: Request[Any, Any, Any], handler: FromDishka[IngestEvents]) -> EventsAnswerResponse:
        body = await request.body()
        events, sent_at = events_of(body)
        client = request.scope.get("client") or ("", 0)
        batch = IngestBatch(
            events, _credential(request.headers.get("authorization", "")), len(body), client[0], sent_at
        )
        return EventsAnswerResponse.of(await handler(batch))


def _credential(header: str) -> Credential | None:
    scheme, _, secret = header.partition(" ")
    if scheme.lower() not in ("bearer", "license") or not secret.strip():
        return None
    return Credential(secret.strip())
