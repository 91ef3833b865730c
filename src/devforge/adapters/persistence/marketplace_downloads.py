"""The download ledger: one row per (version, client, day), the first download of the day counted.

A repeat download is the common case (a client installs, updates and retries the same version
the same day): it is answered by one statement on the common read path (``read_path.py``, no
transaction), and the request writes nothing. Only a download not yet seen goes to the unit of
work's ``INSERT ... ON CONFLICT DO NOTHING``, which alone decides who was first when two race.
A row once committed is never removed the same day, so seeing it committed is a safe "not first".
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


class SqlaDownloadLedger:
    def __init__(self, session: AsyncSession, reads: ReadPath) -> None:
        self._session, self._seen = session, reads.prepare(_SEEN)

    async def record(self, version_id: UUID, client: str, day: date, kind: str) -> bool:
        values = {"version_id": version_id, "client": client[:128], "day": day, "kind": kind}
        if await self._seen.row(version_id=version_id, client=values["client"], day=day) is not None:
            return False
        dialect = self._session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(marketplace_downloads).values(values)
        result = await self._session.execute(statement.on_conflict_do_nothing())
        return bool(result.rowcount)  # type: ignore[attr-defined]
