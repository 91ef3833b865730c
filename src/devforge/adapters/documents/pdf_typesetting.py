"""Every PDF a process serves (invoices, credit notes, statements, year-end forms), typeset off
its event loop: in a child process (served profiles) or on a thread (``in_child=False``: tests,
and ``DEVFORGE_BILLING_PDF_PROCESS=false``).

Why a child: fpdf2 and what it imports (fontTools, Pillow, numpy) cost an API process about
30 MiB resident from its first PDF on (bench/README.md, "Memory after the sweep"), and typesetting
holds the GIL for tens of milliseconds a document, during which the process answers nothing else.
In the child both are the child's.

- One child (``ProcessPoolExecutor`` of one, ``spawn``: a fresh interpreter, not a copy of a
  process with an event loop's threads and sockets), started at the first PDF, not at start-up:
  a process that never typesets never pays for it. Children run at a lower priority (``NICENESS``).
- A child that dies breaks the pool: that document is typeset again in a fresh one, once.
- ``close`` shuts the child down with the container; it also ends when its parent dies (its task
  queue's pipe closes).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from devforge.adapters.documents.fpdf_invoice_renderer import FpdfInvoiceRenderer
from devforge.adapters.documents.fpdf_statement_renderer import FpdfStatementRenderer
from devforge.adapters.documents.fpdf_tax_form_renderer import FpdfTaxFormRenderer
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.statement import Statement
from devforge.domain.billing.tax_reports import Form1099K, Form1099Nec

NICENESS = 5  # added to the child's: requests go first when cores are short


def _invoice(invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
    return FpdfInvoiceRenderer().render_invoice(invoice, credit_notes)


def _credit_note(note: CreditNote, invoice: Invoice) -> bytes:
    return FpdfInvoiceRenderer().render_credit_note(note, invoice)


def _statement(statement: Statement, publisher_name: str) -> bytes:
    return FpdfStatementRenderer().render_statement(statement, publisher_name)


def _form_1099k(year: int, form: Form1099K, filer: str) -> bytes:
    return FpdfTaxFormRenderer().render_1099k(year, form, filer)


def _form_1099nec(year: int, form: Form1099Nec, filer: str) -> bytes:
    return FpdfTaxFormRenderer().render_1099nec(year, form, filer)


def _start() -> None:
    os.nice(NICENESS)
    from devforge.adapters.documents import fpdf_pages  # noqa: F401 - fpdf2 loaded once, before the first document


class PdfTypesetting:
    """The ``InvoiceRenderer``, ``StatementRenderer`` and ``TaxFormRenderer`` of a process."""

    def __init__(self, *, in_child: bool = True) -> None:
        self.in_child = in_child
        self._pool: ProcessPoolExecutor | None = None

    async def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
        return await self._typeset(_invoice, invoice, credit_notes)

    async def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes:
        return await self._typeset(_credit_note, note, invoice)

    async def render_statement(self, statement: Statement, publisher_name: str) -> bytes:
        return await self._typeset(_statement, statement, publisher_name)

    async def render_1099k(self, year: int, form: Form1099K, filer: str) -> bytes:
        return await self._typeset(_form_1099k, year, form, filer)

    async def render_1099nec(self, year: int, form: Form1099Nec, filer: str) -> bytes:
        return await self._typeset(_form_1099nec, year, form, filer)

    def child_pid(self) -> int | None:
        """The child's process id, once started (None before the first PDF and after ``close``)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return next(iter(processes), None)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def _typeset(self, typeset: Callable[..., bytes], *args: object) -> bytes:
        if not self.in_child:
            return await asyncio.to_thread(typeset, *args)
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._started()
            try:
                return await loop.run_in_executor(pool, _call, typeset, args)
            except BrokenProcessPool:
                if self._pool is pool:
                    self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_start)
        return self._pool


def _call(typeset: Callable[..., bytes], args: tuple[object, ...]) -> bytes:
    return typeset(*args)
