from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlaUnitOfWork:
    """The request's (or job's) database transaction. The session is closed when the scope
    ends, which rolls back anything not committed.

    A unit that ran no statement and holds no added object has nothing to commit (the session
    begins its transaction at the first statement): its ``commit`` does nothing, instead of
    beginning an empty transaction only to commit it. A repeat download, the common one, writes
    nothing (py-spy, embedded sweep: that begin and commit was about 4 % of its samples)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commit(self) -> None:
        session = self._session
        if session.in_transaction() or session.new or session.dirty or session.deleted:
            await session.commit()

    async def rollback(self) -> None:
        await self._session.rollback()
