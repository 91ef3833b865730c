"""Issued documents rendered once per state, kept in the process.

An issued invoice's PDF changes only with what its status methods move (paid, void), and every
such change goes through ``InvoiceRepository.update``, which bumps ``version``; the credit notes
it lists are only ever added, never changed. A credit note never changes once issued and shows
only sealed facts of its invoice. So a PDF rendered for (invoice id, version, status, the ids of
its credit notes), or (credit note id, its invoice's id and version), is the PDF of that state for
good: a voided invoice has a new version and renders anew (with VOID on it), and no process needs
telling. Drafts are rendered every time, never kept.

Typesetting costs tens of milliseconds of CPU; the documents are a few kilobytes. The cache is
bounded (least recently used out first, by count and by bytes) and one per process: `KeptPdfs`,
as the statements and forms use, so callers asking at once share one typesetting.
"""

from __future__ import annotations

from collections.abc import Awaitable

from devforge.adapters.documents.kept_reports import KeptPdfs
from devforge.application.billing.invoice_ports import InvoiceRenderer
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice

MAX_DOCUMENTS = 4096
MAX_BYTES = 32 * 1024 * 1024


class KeptInvoiceRenderer:
    """An ``InvoiceRenderer`` in front of another: each issued document's state typeset once."""

    def __init__(
        self, renderer: InvoiceRenderer, *, max_documents: int = MAX_DOCUMENTS, max_bytes: int = MAX_BYTES
    ) -> None:
        self._renderer = renderer
        self._kept = KeptPdfs(max_documents=max_documents, max_bytes=max_bytes)

    async def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
        def render() -> Awaitable[bytes]:
            return self._renderer.render_invoice(invoice, credit_notes)

        if not invoice.is_issued:
            return await render()
        notes = tuple(sorted(note.id.int for note in credit_notes))
        return await self._kept.kept_or(("invoice", invoice.id, invoice.version, invoice.status, notes), render)

    async def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes:
        return await self._kept.kept_or(
            ("credit note", note.id, invoice.id, invoice.version),
            lambda: self._renderer.render_credit_note(note, invoice),
        )
