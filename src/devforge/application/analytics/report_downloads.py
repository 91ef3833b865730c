"""Signed, expiring links to a report run's files, made by the file storage's own link signing
(local disk's HMAC-signed ``/files/`` links embedded, S3's presigned URLs in production).

``LinkToReportFile`` answers a reader's request (``analytics:read``, short-lived links);
``ReportDownloads`` is the published read notifications mails links from (longer-lived links,
served through its own port in bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.analytics.ports import ReportRuns
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import FileStorage
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.reports import ReportRun, ReportRunNotFound, RunStatus, report
from devforge.domain.shared.errors import NotPermitted, RuleViolated

REQUEST_LINK_LIFETIME = timedelta(minutes=15)
MAIL_LINK_LIFETIME = timedelta(days=7)
"""S3's longest presigned URL; the mail also links to the reports, where a fresh link is had."""
FORMATS = {"pdf": "application/pdf", "csv": "text/csv"}


@dataclass(frozen=True, slots=True)
class FileLink:
    url: str
    expires_at: datetime
    filename: str


async def _link(storage: FileStorage, run: ReportRun, extension: str, lifetime: timedelta, now: datetime) -> FileLink:
    filename = f"{run.report_key}-{run.period_start:%Y-%m-%d}.{extension}"
    url = await storage.signed_url(run.file_key(extension), expires_in=lifetime, filename=filename)
    return FileLink(url, now + lifetime, filename)


class LinkToReportFile:
    def __init__(self, runs: ReportRuns, storage: FileStorage, clock: Clock) -> None:
        self._runs, self._storage, self._clock = runs, storage, clock

    async def __call__(self, actor: Actor, report_key: str, run_id: UUID, extension: str) -> FileLink:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analytics readers download reports.")
        if extension not in FORMATS:
            raise RuleViolated("Ask for 'pdf' or 'csv'.", field="format")
        definition = report(report_key)
        run = await self._runs.get(run_id)
        if run is None or run.report_key != definition.key or run.status is not RunStatus.DONE:
            raise ReportRunNotFound("No finished run of this report with this id.", field="runId")
        return await _link(self._storage, run, extension, REQUEST_LINK_LIFETIME, self._clock.now())


class ReportDownloads:
    """Links to a finished run's PDF and CSV, for a mail (``None``: no such finished run)."""

    def __init__(self, runs: ReportRuns, storage: FileStorage, clock: Clock) -> None:
        self._runs, self._storage, self._clock = runs, storage, clock

    async def links(self, run_id: UUID) -> tuple[FileLink, FileLink] | None:
        run = await self._runs.get(run_id)
        if run is None or run.status is not RunStatus.DONE:
            return None
        now = self._clock.now()
        pdf = await _link(self._storage, run, "pdf", MAIL_LINK_LIFETIME, now)
        return pdf, await _link(self._storage, run, "csv", MAIL_LINK_LIFETIME, now)
