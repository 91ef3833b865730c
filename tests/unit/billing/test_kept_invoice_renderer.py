"""Issued documents are typeset once per state and kept; any change of state renders anew:
a voided invoice shows VOID, a new credit note is listed, a draft is never kept."""

from __future__ import annotations

from uuid import uuid4

from devforge.adapters.documents.fpdf_invoice_renderer import FpdfInvoiceRenderer
from devforge.adapters.documents.kept_renderer import KeptInvoiceRenderer
from devforge.adapters.memory.billing_documents import InMemoryCreditNoteRepository, InMemoryInvoiceRepository
from devforge.adapters.memory.billing_reads import InMemoryDocumentReader
from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.get_credit_note_pdf import GetCreditNotePdf
from devforge.application.billing.get_invoice_pdf import GetInvoicePdf
from devforge.application.common.actor import Actor
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.money import Money
from tests.unit.billing.documents import NOW, draft, issued, line
from tests.unit.billing.test_invoice_pdf import page_text


class CountingRenderer:
    """The real renderer, counting how often it typesets."""

    def __init__(self) -> None:
        self.renders, self._real = 0, FpdfInvoiceRenderer()

    async def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
        self.renders += 1
        return self._real.render_invoice(invoice, credit_notes)

    async def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes:
        self.renders += 1
        return self._real.render_credit_note(note, invoice)


def a_credit_note(invoice: Invoice, sequence: int = 1) -> CreditNote:
    return CreditNote.issue(
        id=uuid4(), invoice=invoice, amount=Money.of(100, "EUR"), earlier=[],
        number=DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, sequence), reason="one seat", now=NOW,
    )  # fmt: skip


async def test_an_issued_invoice_is_typeset_once_and_a_void_renders_it_anew_with_void_on_it() -> None:
    store, counting = MemoryStore(), CountingRenderer()
    invoices = InMemoryInvoiceRepository(store)
    invoice = issued(line(4900), paid=False)
    await invoices.add(invoice)
    pdf_of = GetInvoicePdf(InMemoryDocumentReader(store), KeptInvoiceRenderer(counting))
    owner = Actor(invoice.user_id)

    _, first = await pdf_of(owner, invoice.id)
    _, again = await pdf_of(owner, invoice.id)
    assert again == first and counting.renders == 1 and "VOID" not in page_text(first)

    stored = await invoices.get(invoice.id)
    assert stored is not None
    stored.void("issued in error", NOW)
    await invoices.update(stored)
    _, voided = await pdf_of(owner, invoice.id)
    assert counting.renders == 2 and "VOID" in page_text(voided)


async def test_a_credit_note_issued_against_the_invoice_is_listed_on_its_next_pdf() -> None:
    store, counting = MemoryStore(), CountingRenderer()
    invoices, notes = InMemoryInvoiceRepository(store), InMemoryCreditNoteRepository(store)
    invoice = issued(line(4900))
    await invoices.add(invoice)
    renderer = KeptInvoiceRenderer(counting)
    owner = Actor(invoice.user_id)
    _, before = await GetInvoicePdf(InMemoryDocumentReader(store), renderer)(owner, invoice.id)
    note = a_credit_note(invoice)
    await notes.add(note)
    _, after = await GetInvoicePdf(InMemoryDocumentReader(store), renderer)(owner, invoice.id)
    assert "CN-2026-000001" not in page_text(before) and "CN-2026-000001" in page_text(after)
    _, note_pdf = await GetCreditNotePdf(InMemoryDocumentReader(store), renderer)(owner, note.id)
    _, note_again = await GetCreditNotePdf(InMemoryDocumentReader(store), renderer)(owner, note.id)
    assert note_again == note_pdf and counting.renders == 3


class NumberingRenderer:
    """Answers the document's id and how many documents it typeset so far."""

    def __init__(self) -> None:
        self.renders = 0

    async def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
        self.renders += 1
        return f"{invoice.id}:{self.renders}".encode()

    async def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes:
        self.renders += 1
        return f"{note.id}:{self.renders}".encode()


async def test_a_draft_is_typeset_every_time_and_the_cache_stays_within_its_bound() -> None:
    numbering = NumberingRenderer()
    renderer = KeptInvoiceRenderer(numbering, max_documents=2)
    unfinished = draft(line(1000))
    assert await renderer.render_invoice(unfinished, []) != await renderer.render_invoice(unfinished, [])
    first, second, third = issued(line(1)), issued(line(2)), issued(line(3))
    for invoice in (first, second, third, third, second):
        await renderer.render_invoice(invoice, [])
    assert numbering.renders == 5
    await renderer.render_invoice(second, [])
    assert numbering.renders == 5
    await renderer.render_invoice(first, [])  # the least recently used went out first
    assert numbering.renders == 6
