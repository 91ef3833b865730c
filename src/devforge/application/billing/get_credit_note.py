"""Show one credit note: its buyer or an admin; anyone else gets 404."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_lookup import visible_credit_note
from devforge.application.billing.invoice_ports import DocumentReader
from devforge.application.common.actor import Actor
from devforge.domain.billing.credit_note_document import CreditNote


class GetCreditNote:
    def __init__(self, documents: DocumentReader) -> None:
        self._documents = documents

    async def __call__(self, actor: Actor, note_id: UUID) -> CreditNote:
        return await visible_credit_note(self._documents, actor, note_id)
