from __future__ import annotations

import copy
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.common.mail_outbox import QueuedMail


class InMemoryMailOutbox:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, QueuedMail] = store.table("mail_outbox")

    async def add(self, mail: QueuedMail) -> None:
        if mail.mail_id in self._rows:
            raise ValueError(f"queued mail {mail.mail_id} exists")
        self._rows[mail.mail_id] = copy.copy(mail)

    async def get(self, mail_id: UUID) -> QueuedMail | None:
        row = self._rows.get(mail_id)
        return copy.copy(row) if row else None

    async def save(self, mail: QueuedMail) -> None:
        self._rows[mail.mail_id] = copy.copy(mail)
