from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlaUnitOfWork:
    """The request's (or job's) database transaction. The session is closed when the scope
    ends, which rolls back anything not committed."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commit(self) -> None:
        await self._session.commit()

    async def rollback(self) -> None:
        await self._session.rollback()
