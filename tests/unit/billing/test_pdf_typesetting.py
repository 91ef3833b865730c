"""PDFs typeset in a child process are the documents typeset in the process itself, and a child
that dies is replaced for the next document (the served profiles' path; tests otherwise
typeset on a thread, ``pdf_process=False``)."""

from __future__ import annotations

import os
import signal

from devforge.adapters.documents.pdf_typesetting import PdfTypesetting
from devforge.domain.billing.money import Money
from tests.unit.billing.documents import issued, line
from tests.unit.billing.test_invoice_pdf import page_text
from tests.unit.billing.test_kept_invoice_renderer import a_credit_note


async def test_the_child_typesets_what_the_thread_does_and_a_dead_child_is_replaced() -> None:
    invoice = issued(line(4900))
    note = a_credit_note(invoice)
    in_child, on_thread = PdfTypesetting(in_child=True), PdfTypesetting(in_child=False)
    try:
        from_child = await in_child.render_invoice(invoice, [note])
        assert page_text(from_child) == page_text(await on_thread.render_invoice(invoice, [note]))
        assert "CN-2026-000001" in page_text(from_child)
        note_pdf = await in_child.render_credit_note(note, invoice)
        assert page_text(note_pdf) == page_text(await on_thread.render_credit_note(note, invoice))
        assert Money.of(100, "EUR").format() in page_text(note_pdf)

        child = in_child.child_pid()
        assert child is not None and child != os.getpid()
        os.kill(child, signal.SIGKILL)
        again = await in_child.render_invoice(invoice, [note])
        assert page_text(again) == page_text(from_child)
        assert in_child.child_pid() not in (None, child)
    finally:
        await in_child.close()
    assert in_child.child_pid() is None
