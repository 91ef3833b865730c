"""Analytics' exports on the service's database."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.analytics import analytics_exports as exports
from devforge.domain.analytics.exports import Export, ExportFormat, ExportKind, ExportSpec, ExportStatus
from devforge.domain.analytics.queries import Interval, Measure

_OPEN = (ExportStatus.QUEUED.value, ExportStatus.RUNNING.value)


class SqlaExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, export: Export) -> None:
        await self._session.execute(insert(exports).values(_row(export)))

    async def get(self, export_id: UUID) -> Export | None:
        row = (await self._session.execute(select(exports).where(exports.c.id == export_id))).mappings().first()
        return _export(row) if row else None

    async def due(self, now: datetime, limit: int) -> list[Export]:
        waiting = exports.c.status == ExportStatus.QUEUED.value
        stalled = (exports.c.status == ExportStatus.RUNNING.value) & (exports.c.lease_until <= now)
        query = select(exports).where(or_(waiting, stalled)).order_by(exports.c.requested_at, exports.c.id).limit(limit)
        return [_export(row) for row in (await self._session.execute(query)).mappings()]

    async def replace(self, export: Export, attempt: int) -> bool:
        result = await self._session.execute(
            update(exports)
            .where(exports.c.id == export.id, exports.c.attempt == attempt, exports.c.status.in_(_OPEN))
            .values(_row(export))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _row(export: Export) -> dict[str, Any]:
    spec = export.spec
    return {
        "id": export.id,
        "kind": spec.kind.value,
        "format": spec.format.value,
        "range_start": spec.start,
        "range_end": spec.end,
        "events": json.dumps(list(spec.events)),
        "interval": spec.interval.value,
        "measure": spec.measure.value,
        "requested_by": export.requested_by,
        "requested_at": export.requested_at,
        "status": export.status.value,
        "attempt": export.attempt,
        "lease_until": export.lease_until,
        "rows": export.rows,
        "file_key": export.file_key,
        "error": export.error,
        "finished_at": export.finished_at,
    }


def _export(row: Any) -> Export:
    spec = ExportSpec(
        ExportKind(row["kind"]),
        ExportFormat(row["format"]),
        row["range_start"],
        row["range_end"],
        tuple(json.loads(row["events"])),
        Interval(row["interval"]),
        Measure(row["measure"]),
    )
    return Export(
        row["id"], spec, row["requested_by"], row["requested_at"], ExportStatus(row["status"]), row["attempt"],
        row["lease_until"], row["rows"], row["file_key"], row["error"], row["finished_at"],
    )  # fmt: skip
