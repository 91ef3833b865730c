"""An export's progress, and once written a signed, expiring link to its file (the file
storage's own signing). Only its requester sees it; anyone else is told it does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.analytics.ports import ExportRepository
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import FileStorage
from devforge.domain.analytics.exports import Export, ExportNotFound, ExportStatus
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted

LINK_LIFETIME = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class ExportView:
    export: Export
    url: str | None = None
    expires_at: datetime | None = None


class GetExport:
    def __init__(self, exports: ExportRepository, storage: FileStorage, clock: Clock) -> None:
        self._exports, self._storage, self._clock = exports, storage, clock

    async def __call__(self, actor: Actor, export_id: UUID) -> ExportView:
        if not actor.may(AnalyticsPermission.EXPORT):
            raise NotPermitted("Only analytics administrators and analysts export.")
        export = await self._exports.get(export_id)
        if export is None or export.requested_by != actor.user_id:
            raise ExportNotFound("No export of yours with this id.", field="exportId")
        if export.status is not ExportStatus.DONE:
            return ExportView(export)
        url = await self._storage.signed_url(export.file_key, expires_in=LINK_LIFETIME, filename=export.filename)
        return ExportView(export, url, self._clock.now() + LINK_LIFETIME)
