"""The marketplace's download counts and rating summaries on SQL.

A day's count is recounted from the download ledger (``marketplace_downloads``, one row per
counted download) through its (day, version) index, so the work per download is one day of one
extension, however old and popular the extension is; the total sums one row per day.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace import (
    marketplace_download_counts,
    marketplace_downloads,
    marketplace_extensions,
    marketplace_versions,
)
from devforge.domain.marketplace.rating import RatingSummary


class SqlaDownloadCounts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def recount(self, extension_id: UUID, day: date | None = None) -> None:
        counts, ledger, versions = marketplace_download_counts, marketplace_downloads, marketplace_versions
        stale = delete(counts).where(counts.c.extension_id == extension_id)
        tally = (
            select(versions.c.extension_id, ledger.c.day, func.count())
            .select_from(ledger.join(versions, versions.c.id == ledger.c.version_id))
            .where(versions.c.extension_id == extension_id)
            .group_by(versions.c.extension_id, ledger.c.day)
        )
        if day is not None:
            stale, tally = stale.where(counts.c.day == day), tally.where(ledger.c.day == day)
        await self._session.execute(stale)
        await self._session.execute(insert(counts).from_select(["extension_id", "day", "downloads"], tally))

    async def total(self, extension_id: UUID) -> int:
        counts = marketplace_download_counts
        query = select(func.coalesce(func.sum(counts.c.downloads), 0)).where(counts.c.extension_id == extension_id)
        return int(await self._session.scalar(query) or 0)


class SqlaRatingSummaries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def restate(self, extension_id: UUID, summary: RatingSummary) -> None:
        await self._session.execute(
            update(marketplace_extensions)
            .where(marketplace_extensions.c.id == extension_id)
            .values(rating_count=summary.count, rating_average=summary.average)
        )
