"""``/api/analytics/reports``: scheduled reports, their runs, subscriptions and signed links to
their files (``analytics:read``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter

from devforge.application.analytics.list_reports import MAX_RUNS, ListReports
from devforge.application.analytics.report_downloads import LinkToReportFile
from devforge.application.analytics.subscribe_to_report import SubscribeToReport
from devforge.application.analytics.unsubscribe_from_report import UnsubscribeFromReport
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.entrypoints.http.analytics.report_schemas import FileLinkResponse, ReportResponse, SubscriptionResponse
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems

ReportKey = Annotated[str, PathParameter(max_length=64, pattern=r"^[a-z0-9-]+$", description="platform-weekly")]
FileFormat = Annotated[str, PathParameter(pattern=r"^(pdf|csv)$", description="pdf or csv")]


class ReportsController(Controller):
    path = "/api/analytics/reports"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.READ)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/",
        summary="List reports and their runs",
        description=(
            "Every scheduled report (weekly and monthly), the figures it shows, whether the caller subscribes, "
            "and its latest runs (one per period, made once by the worker after the period ends; `running` "
            "while it is made). Admins and analysts with two-factor on."
        ),
        responses=problems(400, 401, 403, 429),
    )
    async def list_reports(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListReports],
        runs: Annotated[int, QueryParameter(ge=1, le=MAX_RUNS, description=f"Runs per report, 1 to {MAX_RUNS}")] = 12,
    ) -> list[ReportResponse]:
        return [ReportResponse.of(view) for view in await handler(actor, runs)]

    @put(
        "/{report_key:str}/subscription",
        summary="Subscribe to a report",
        description="Each new run of the report is mailed to the caller, with links to its PDF and CSV. Idempotent.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def subscribe(
        self, report_key: ReportKey, actor: NamedDependency[Actor], handler: FromDishka[SubscribeToReport]
    ) -> SubscriptionResponse:
        return SubscriptionResponse((await handler(actor, report_key)).key, True)

    @delete(
        "/{report_key:str}/subscription",
        status_code=200,
        summary="Unsubscribe from a report",
        description="No more mails of the report's runs. Unsubscribing twice is harmless.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def unsubscribe(
        self, report_key: ReportKey, actor: NamedDependency[Actor], handler: FromDishka[UnsubscribeFromReport]
    ) -> SubscriptionResponse:
        return SubscriptionResponse((await handler(actor, report_key)).key, False)

    @get(
        "/{report_key:str}/runs/{run_id:uuid}/files/{file_format:str}",
        summary="Link to a report run's file",
        description=(
            "A signed link to the finished run's PDF (with charts) or CSV, valid for 15 minutes: the link itself "
            "is the credential (local disk: `/files/...`; production: a presigned S3 URL). A run not finished, "
            "or of another report, is 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def file_link(
        self,
        report_key: ReportKey,
        run_id: FromPath[UUID],
        file_format: FileFormat,
        actor: NamedDependency[Actor],
        handler: FromDishka[LinkToReportFile],
    ) -> FileLinkResponse:
        return FileLinkResponse.of(await handler(actor, report_key, run_id, file_format))
