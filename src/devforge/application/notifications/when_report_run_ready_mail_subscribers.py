"""Mail each subscriber of a report its new run, with signed links to the PDF and CSV, once per
run: analytics publishes ``analytics.report_run_ready`` once per run, the delivery ledger hands it
here once, and the mails are posted in the delivery's transaction."""

from __future__ import annotations

from datetime import timedelta

from devforge.application.analytics.published import ReportRunReadyV1
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.notifications.notify import Notify
from devforge.application.notifications.report_mails import REPORT_READY, ReportFiles


class WhenReportRunReadyMailSubscribers:
    name = "notifications.mail_report_run_ready"
    subscribes_to = (ReportRunReadyV1,)

    def __init__(self, notify: Notify, files: ReportFiles) -> None:
        self._notify, self._files = notify, files

    async def handle(self, envelope: EventEnvelope) -> None:
        event = ReportRunReadyV1.decode(envelope)
        links = await self._files.links(event.run_id)
        if links is None or not event.subscriber_ids:
            return
        last_day = event.period_end - timedelta(days=1)
        period = f"{event.period_start:%Y-%m-%d} to {last_day:%Y-%m-%d}"
        for subscriber in event.subscriber_ids:
            await self._notify.account(
                subscriber,
                REPORT_READY,
                title=event.title,
                period=period,
                pdf=links.pdf,
                csv=links.csv,
                expires=links.expires,
                reports_link=self._notify.link("/api/analytics/reports"),
            )
