from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables import mail_outbox
from devforge.application.common.mail_outbox import QueuedMail


class SqlaMailOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, mail: QueuedMail) -> None:
        await self._session.execute(
            insert(mail_outbox).values(
                mail_id=mail.mail_id, sealed=mail.sealed, queued_at=mail.queued_at, sent_at=mail.sent_at
            )
        )

    async def get(self, mail_id: UUID) -> QueuedMail | None:
        row = (await self._session.execute(select(mail_outbox).where(mail_outbox.c.mail_id == mail_id))).first()
        return QueuedMail(row.mail_id, row.sealed, row.queued_at, row.sent_at) if row else None

    async def save(self, mail: QueuedMail) -> None:
        await self._session.execute(
            update(mail_outbox)
            .where(mail_outbox.c.mail_id == mail.mail_id)
            .values(sealed=mail.sealed, sent_at=mail.sent_at)
        )
