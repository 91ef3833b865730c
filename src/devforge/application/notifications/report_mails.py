"""The mail of a scheduled report's run, and the port its links come through (analytics'
published ``ReportDownloads``, served in bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from devforge.application.common.mail_template import MailTemplate


@dataclass(frozen=True, slots=True)
class ReportFileLinks:
    pdf: str
    csv: str
    expires: str
    """When the links stop working, as text (``2026-12-14 09:00 UTC``)."""


class ReportFiles(Protocol):
    async def links(self, run_id: UUID) -> ReportFileLinks | None:
        """Signed links to the finished run's files; None when there is no such run."""
        ...


REPORT_READY = MailTemplate(
    subject="{title}: {period}",
    text=(
        "The {title} report for {period} is ready.\n\n"
        "PDF: {pdf}\nCSV: {csv}\n\n"
        "These links work until {expires}; the reports, and fresh links, are at {reports_link}\n"
    ),
    html=(
        "<p>The <b>{title}</b> report for {period} is ready.</p>"
        '<p><a href="{pdf}">PDF</a> · <a href="{csv}">CSV</a></p>'
        '<p>These links work until {expires}; the reports, and fresh links, are at <a href="{reports_link}">'
        "{reports_link}</a></p>"
    ),
)
