"""Show one credit note: its buyer or an admin; anyone else gets 404."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_lookup import visible_credit_note
from devforge.application.billing.invoice_ports import CreditNoteRepository
from devforge.application.common.actor import Actor
from devforge.domain.billing.credit_note_document import CreditNote


class GetCreditNote:
    def __init__(self, notes: CreditNoteRepository) -> None:
        self._notes = notes

    async def __call__(self, actor: Actor, note_id: UUID) -> CreditNote:
        return await visible_credit_note(self._notes, actor, note_id)
