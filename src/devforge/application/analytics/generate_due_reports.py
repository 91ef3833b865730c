"""The worker makes each report's run for the last complete period, once: the run is claimed by
inserting it under its unique (report, period), so of two workers (or a job run twice) one makes
it; a worker that dies mid-way leaves the run past its lease, and the next run of the job takes
it over and writes the same files again. Finishing is a compare-and-set on the attempt, in the
same commit as ``ReportRunReadyV1`` (its event id is the run's), so the run is published, and
mailed, once."""

from __future__ import annotations

import asyncio
from uuid import uuid4

from devforge.application.analytics.ports import ReportFigures, ReportRenderer, ReportRuns, ReportSubscriptions
from devforge.application.analytics.published import ReportRunReadyV1
from devforge.application.analytics.report_csv import report_csv
from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.report_document import ReportDocument
from devforge.domain.analytics.reports import REPORTS, ReportDefinition, ReportRun

REPORT_CHECK_SECONDS = 300.0


class GenerateDueReports:
    def __init__(
        self,
        runs: ReportRuns,
        subscriptions: ReportSubscriptions,
        figures: ReportFigures,
        renderer: ReportRenderer,
        storage: FileStorage,
        outbox: Outbox,
        clock: Clock,
        uow: UnitOfWork,
    ) -> None:
        self._runs, self._subscriptions, self._figures, self._renderer = runs, subscriptions, figures, renderer
        self._storage, self._outbox, self._clock, self._uow = storage, outbox, clock, uow

    async def __call__(self) -> list[ReportRun]:
        """The runs this call finished."""
        made = []
        for definition in REPORTS:
            run = await self._take(definition)
            if run is not None and (finished := await self._make(definition, run)) is not None:
                made.append(finished)
        return made

    async def _take(self, definition: ReportDefinition) -> ReportRun | None:
        """The run to make now, held by this call; None when it is made or someone else holds it."""
        now = self._clock.now()
        start, _ = definition.cadence.period_before(now)
        existing = await self._runs.of_period(definition.key, start)
        if existing is None:
            run = ReportRun.claim(uuid4(), definition, now)
            taken = await self._runs.claim(run)
        elif existing.stalled(now):
            run = existing.taken_over(now)
            taken = await self._runs.replace(run, existing.attempt)
        else:
            return None
        await self._uow.commit()
        return run if taken else None

    async def _make(self, definition: ReportDefinition, run: ReportRun) -> ReportRun | None:
        figures = await self._figures.figures(definition, run.period_start, run.period_end)
        document = ReportDocument(definition, run, tuple(figures), self._clock.now())
        pdf = await asyncio.to_thread(self._renderer.render_pdf, document)
        await self._storage.put(run.file_key("pdf"), pdf, "application/pdf")
        await self._storage.put(run.file_key("csv"), report_csv(document), "text/csv")
        now = self._clock.now()
        done = run.finished(run.file_key("pdf"), run.file_key("csv"), now)
        if not await self._runs.replace(done, run.attempt):
            await self._uow.rollback()
            return None
        ready = ReportRunReadyV1(
            run_id=run.id,
            report_key=definition.key,
            title=definition.title,
            period_start=run.period_start,
            period_end=run.period_end,
            subscriber_ids=tuple(await self._subscriptions.subscribers(definition.key)),
        )
        await self._outbox.add([ready.envelope(now, event_id=run.id)])
        await self._uow.commit()
        return done
