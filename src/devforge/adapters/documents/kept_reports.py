"""Statements and year-end forms typeset once per content, kept in the process.

A statement's PDF is a function of the statement (every line and figure, itself built from the
ledger) and the publisher's name; a form's PDF of the year, the form (its payee's profile and
every box) and the filer. The key is that content itself (frozen values, compared whole), so a
refund, a payout or a renamed publisher makes a different statement, hence a different key, and
its PDF is typeset anew: nothing to invalidate, never a stale figure. The figures are still read
and built per request (the caller's authorization with them); only the typesetting, tens of
milliseconds a document in the typesetting child, is done once.

Callers asking for the same document at once share one typesetting (single flight: 32 developers
opening this month's statement queue one document in the child, not 32); a caller that gives up
does not cancel it, and a failure is not kept. Bounded like ``KeptInvoiceRenderer``: least
recently used out first, by count and by bytes, one cache per process.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from devforge.application.billing.statement_ports import StatementRenderer
from devforge.application.billing.tax_report_ports import TaxFormRenderer
from devforge.application.common.single_flight import SingleFlight
from devforge.domain.billing.statement import Statement
from devforge.domain.billing.tax_reports import Form1099K, Form1099Nec

MAX_DOCUMENTS = 1024
MAX_BYTES = 16 * 1024 * 1024


class KeptPdfs:
    """Bytes by content key: kept, or typeset once however many ask at the same time."""

    def __init__(self, *, max_documents: int = MAX_DOCUMENTS, max_bytes: int = MAX_BYTES) -> None:
        self._max_documents, self._max_bytes = max_documents, max_bytes
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._flight = SingleFlight()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._kept)

    async def kept_or(self, key: Hashable, typeset: Callable[[], Awaitable[bytes]]) -> bytes:
        pdf = self._kept.get(key)
        if pdf is not None:
            self._kept.move_to_end(key)
            return pdf
        return await self._flight.run(key, lambda: self._typeset(key, typeset))

    async def _typeset(self, key: Hashable, typeset: Callable[[], Awaitable[bytes]]) -> bytes:
        pdf = await typeset()
        if len(pdf) <= self._max_bytes:
            self._kept[key] = pdf
            self._bytes += len(pdf)
            while len(self._kept) > self._max_documents or self._bytes > self._max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped)
        return pdf


class KeptStatementRenderer:
    """A ``StatementRenderer`` in front of another: each statement's content typeset once."""

    def __init__(self, renderer: StatementRenderer, kept: KeptPdfs | None = None) -> None:
        self._renderer, self._kept = renderer, KeptPdfs() if kept is None else kept

    async def render_statement(self, statement: Statement, publisher_name: str) -> bytes:
        return await self._kept.kept_or(
            ("statement", statement, publisher_name),
            lambda: self._renderer.render_statement(statement, publisher_name),
        )


class KeptTaxFormRenderer:
    """A ``TaxFormRenderer`` in front of another: each form's content typeset once."""

    def __init__(self, renderer: TaxFormRenderer, kept: KeptPdfs | None = None) -> None:
        self._renderer, self._kept = renderer, KeptPdfs() if kept is None else kept

    async def render_1099k(self, year: int, form: Form1099K, filer: str) -> bytes:
        return await self._kept.kept_or(
            ("1099-k", year, form, filer), lambda: self._renderer.render_1099k(year, form, filer)
        )

    async def render_1099nec(self, year: int, form: Form1099Nec, filer: str) -> bytes:
        return await self._kept.kept_or(
            ("1099-nec", year, form, filer), lambda: self._renderer.render_1099nec(year, form, filer)
        )
