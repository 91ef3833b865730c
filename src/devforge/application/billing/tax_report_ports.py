"""Typesetting a payee's copy of a year-end form."""

from __future__ import annotations

from typing import Protocol

from devforge.domain.billing.tax_reports import Form1099K, Form1099Nec


class TaxFormRenderer(Protocol):
    async def render_1099k(self, year: int, form: Form1099K, filer: str) -> bytes: ...

    async def render_1099nec(self, year: int, form: Form1099Nec, filer: str) -> bytes: ...
