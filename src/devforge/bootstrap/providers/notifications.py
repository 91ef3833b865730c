"""Notifications: its consumers, ``Notify``, and the ``ContactDirectory`` identity serves."""

from __future__ import annotations

from uuid import UUID

from dishka import Provider, Scope, provide

from devforge.application.analytics.report_downloads import ReportDownloads
from devforge.application.identity.account_lookup import AccountLookup
from devforge.application.notifications.contacts import ContactDirectory
from devforge.application.notifications.notify import Notify
from devforge.application.notifications.report_mails import ReportFileLinks, ReportFiles
from devforge.bootstrap.accounts import IdentityContactDirectory


class NotificationsProvider(Provider):
    """The same in every profile: it owns no storage (mail goes through the mail outbox)."""

    scope = Scope.REQUEST
    notify = provide(Notify)

    @provide
    def contacts(self, lookup: AccountLookup) -> ContactDirectory:
        """Identity's published interface serves notifications' port."""
        return IdentityContactDirectory(lookup)

    @provide
    def report_files(self, downloads: ReportDownloads) -> ReportFiles:
        """Analytics' published ``ReportDownloads`` serves notifications' port."""
        return AnalyticsReportFiles(downloads)


class AnalyticsReportFiles:
    def __init__(self, downloads: ReportDownloads) -> None:
        self._downloads = downloads

    async def links(self, run_id: UUID) -> ReportFileLinks | None:
        found = await self._downloads.links(run_id)
        if found is None:
            return None
        pdf, csv = found
        return ReportFileLinks(pdf.url, csv.url, f"{pdf.expires_at:%Y-%m-%d %H:%M} UTC")
