"""An admin or analyst asks for an export (``analytics:export``): it is queued, and a worker
writes it (``RunDueExports``); the requester follows it with ``GetExport``."""

from __future__ import annotations

from uuid import uuid4

from devforge.application.analytics.ports import ExportRepository
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.exports import Export, ExportSpec
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted


class RequestExport:
    def __init__(self, exports: ExportRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._exports, self._clock, self._uow = exports, clock, uow

    async def __call__(self, actor: Actor, spec: ExportSpec) -> Export:
        if not actor.may(AnalyticsPermission.EXPORT):
            raise NotPermitted("Only analytics administrators and analysts export.")
        export = Export(uuid4(), spec, actor.user_id, self._clock.now())
        await self._exports.add(export)
        await self._uow.commit()
        return export
