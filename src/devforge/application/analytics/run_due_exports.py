"""The worker writes queued exports, one at a time per worker, under a lease.

CSV is streamed a day at a time into the file storage (``put_stream``: never the whole file in
memory, and the blob replaced whole at the end); after each day the rows so far are committed and
the lease renewed, so the requester sees progress. Parquet is written by the engine in one piece
(the format's footer indexes the whole file), so it is bounded by ``MAX_PARQUET_ROWS``.

A worker killed mid-way leaves the export past its lease; the next run takes it over and starts
again from the first row, writing the same key whole: resumed by restarting, idempotently. A
worker that was taken over (a stall past its lease) finds its compare-and-set refused at its next
day and stops; it never finishes an export twice. After ``MAX_ATTEMPTS`` the export fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from devforge.application.analytics.ports import AnalyticsStore, ExportRepository
from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import BlobTooLarge, FileStorage
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.exports import MAX_PARQUET_ROWS, Export, ExportFormat, ExportKind
from devforge.domain.analytics.queries import SeriesQuery

EXPORT_CHECK_SECONDS = 5.0
MAX_ATTEMPTS = 3
MAX_EXPORT_BYTES = 4 * 1024**3


class ExportTakenOver(Exception):
    """Another worker holds the export now: this one stops writing."""


class RunDueExports:
    def __init__(
        self, exports: ExportRepository, store: AnalyticsStore, storage: FileStorage, clock: Clock, uow: UnitOfWork
    ) -> None:
        self._exports, self._store, self._storage, self._clock, self._uow = exports, store, storage, clock, uow

    async def __call__(self) -> Export | None:
        """The export this call finished (or failed), if it took one."""
        for candidate in await self._exports.due(self._clock.now(), limit=5):
            export = candidate.started(self._clock.now())
            if await self._exports.replace(export, candidate.attempt):
                await self._uow.commit()
                return await self._run(export)
        return None

    async def _run(self, export: Export) -> Export | None:
        if export.attempt > MAX_ATTEMPTS:
            return await self._end(export, export.failed(f"gave up after {MAX_ATTEMPTS} attempts", self._clock.now()))
        try:
            rows = await self._write(export)
        except ExportTakenOver:
            await self._uow.rollback()
            return None
        except (BlobTooLarge, _TooManyRows, NotImplementedError) as refused:
            return await self._end(export, export.failed(str(refused), self._clock.now()))
        return await self._end(export, export.finished(rows, self._clock.now()))

    async def _end(self, running: Export, ended: Export) -> Export | None:
        if not await self._exports.replace(ended, running.attempt):
            await self._uow.rollback()
            return None
        await self._uow.commit()
        return ended

    async def _write(self, export: Export) -> int:
        spec = export.spec
        if spec.kind is ExportKind.SERIES:
            query = SeriesQuery(spec.start, spec.end, spec.interval, spec.events, measure=spec.measure)
            rows = len(await self._store.series(query))
            await self._storage.put(
                export.key, await self._store.export_series(query, spec.format), spec.format.content_type
            )
            return rows
        if spec.format is ExportFormat.PARQUET:
            rows = await self._store.count(SeriesQuery(spec.start, spec.end, events=spec.events))
            if rows > MAX_PARQUET_ROWS:
                raise _TooManyRows(f"{rows} rows: Parquet holds at most {MAX_PARQUET_ROWS}; ask for CSV or fewer days")
            data = await self._store.export_events(spec.start, spec.end, spec.events, spec.format)
            await self._storage.put(export.key, data, spec.format.content_type)
            return rows
        written = _Counter()
        chunks = self._csv_days(export, written)
        await self._storage.put_stream(export.key, chunks, max_bytes=MAX_EXPORT_BYTES, content_type="text/csv")
        return written.rows

    async def _csv_days(self, export: Export, written: _Counter) -> AsyncIterator[bytes]:
        """Each day's rows; the header once. A row is one line: every text column is one line
        by the collection's rules, and properties are JSON (no raw line breaks)."""
        spec, day = export.spec, export.spec.start
        while day < spec.end:
            until = min(day + timedelta(days=1), spec.end)
            chunk = await self._store.export_events(day, until, spec.events, ExportFormat.CSV)
            header, _, body = chunk.partition(b"\n")
            if day == spec.start:
                yield header + b"\n"
            if body:
                written.rows += body.count(b"\n")
                yield body
            export = await self._progress(export, written.rows)
            day = until

    async def _progress(self, export: Export, rows: int) -> Export:
        moved = export.progressed(rows, self._clock.now())
        if not await self._exports.replace(moved, export.attempt):
            raise ExportTakenOver(str(export.id))
        await self._uow.commit()
        return moved


class _Counter:
    rows = 0


class _TooManyRows(Exception):
    pass
