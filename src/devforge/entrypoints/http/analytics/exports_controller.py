"""``/api/analytics/exports``: raw events or a series as CSV or Parquet, written by a worker
(``analytics:export``: admins and analysts)."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from devforge.application.analytics.get_export import GetExport
from devforge.application.analytics.request_export import RequestExport
from devforge.application.common.actor import Actor
from devforge.domain.analytics.exports import ExportFormat, ExportKind, ExportSpec
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval, Measure
from devforge.entrypoints.http.analytics.export_schemas import ExportResponse, RequestExportRequest
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems


class ExportsController(Controller):
    path = "/api/analytics/exports"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.EXPORT)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/",
        status_code=HTTP_202_ACCEPTED,
        summary="Request an export",
        description=(
            "Queues an export of raw events (by range and event names) or of a series (counted per interval) as "
            "CSV or Parquet (written by the analytics engine itself); a worker writes it to file storage. Follow "
            "it at `GET /api/analytics/exports/{exportId}`. At most 92 days and 20 event names; Parquet at most "
            "2,000,000 rows (CSV is streamed a day at a time). Admins and analysts with two-factor on."
        ),
        responses=problems(400, 401, 403, 422, 429),
    )
    async def request_export(
        self, data: JSONBody[RequestExportRequest], actor: NamedDependency[Actor], handler: FromDishka[RequestExport]
    ) -> ExportResponse:
        spec = ExportSpec(
            ExportKind(data.kind),
            ExportFormat(data.format),
            data.start,
            data.end,
            tuple(data.events),
            Interval(data.interval),
            Measure(data.measure),
        )
        return ExportResponse.of(await handler(actor, spec))

    @get(
        "/{export_id:uuid}",
        summary="Follow an export",
        description=(
            "`queued`, `running` (with the rows written so far), `done` (with a signed link to the file, valid "
            "15 minutes; ask again for a fresh one) or `failed` (with why). A worker that stops mid-way is "
            "replaced by another, which starts the file again (`attempt` goes up). Only its requester sees it."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def follow(
        self, export_id: FromPath[UUID], actor: NamedDependency[Actor], handler: FromDishka[GetExport]
    ) -> ExportResponse:
        view = await handler(actor, export_id)
        return ExportResponse.of(view.export, view)
