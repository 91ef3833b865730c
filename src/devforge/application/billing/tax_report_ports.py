"""The year-end reports, and typesetting a payee's copy of a form."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from devforge.domain.billing.tax_reports import Form1099K, Form1099Nec


class TaxFormRenderer(Protocol):
    def render_1099k(self, year: int, form: Form1099K, filer: str) -> bytes: ...

    def render_1099nec(self, year: int, form: Form1099Nec, filer: str) -> bytes: ...


class TaxReport(StrEnum):
    FORM_1099K = "1099-k"
    FORM_1099NEC = "1099-nec"
    DAC7 = "dac7"
