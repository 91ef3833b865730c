"""Each API process writes the validations it counted: every few seconds, and once on the way out."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from dishka import AsyncContainer

from devforge.application.licensing.flush_validation_tally import FlushValidationTally
from devforge.entrypoints.worker.scheduler import Periodic, run_periodic

log = structlog.get_logger(__name__)


async def flush_validations(container: AsyncContainer) -> bool:
    async with container() as scope:
        report = await (await scope.get(FlushValidationTally))()
    if report.licenses:
        log.debug("validations_flushed", licenses=report.licenses, validations=report.validations)
    return False


@contextlib.asynccontextmanager
async def flushing_validations(container: AsyncContainer, every_seconds: float) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_periodic([Periodic("flush_validation_tally", every_seconds, lambda: flush_validations(container))], stop)
    )
    try:
        yield
    finally:
        stop.set()
        await task
        try:
            await flush_validations(container)
        except Exception:
            log.exception("validations_not_flushed_on_shutdown")
