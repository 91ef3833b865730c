"""The download ledger: one row per (version, client, day), the first download of the day counted.

A repeat download is the common case (a client installs, updates and retries the same version
the same day): it is answered by one statement on the common read path (``read_path.py``, no
transaction), and the request writes nothing. Only a download not yet seen goes to the unit of
work's ``INSERT ... ON CONFLICT DO NOTHING``, which alone decides who was first when two race.
A row once committed is never removed the same day, so seeing it committed is a safe "not first".

The read is compiled once per process (``SqlaSeenDownloads``, app scope): the ledger lives in a
request's scope, and compiling the statement at each construction was about a tenth of the
download route's CPU (py-spy, embedded sweep; bench/README.md).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.marketplace import marketplace_downloads

_SEEN = select(marketplace_downloads.c.kind).where(
    marketplace_downloads.c.version_id == bindparam("version_id"),
    marketplace_downloads.c.client == bindparam("client"),
    marketplace_downloads.c.day == bindparam("day"),
)


class SqlaSeenDownloads:
    """Whether (version, client, day) is already in the committed ledger: one prepared read."""

    def __init__(self, reads: ReadPath) -> None:
        self._seen = reads.prepare(_SEEN)

    async def __call__(self, version_id: UUID, client: str, day: date) -> bool:
        return await self._seen.row(version_id=version_id, client=client, day=day) is not None


class SqlaDownloadLedger:
    def __init__(self, session: AsyncSession, seen: SqlaSeenDownloads) -> None:
        self._session, self._seen = session, seen

    async def record(self, version_id: UUID, client: str, day: date, kind: str) -> bool:
        client = client[:128]
        if await self._seen(version_id, client, day):
            return False
        dialect = self._session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(marketplace_downloads).values(
            version_id=version_id, client=client, day=day, kind=kind
        )
        result = await self._session.execute(statement.on_conflict_do_nothing())
        return bool(result.rowcount)  # type: ignore[attr-defined]
