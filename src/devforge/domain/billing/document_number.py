"""Gapless document numbers: ``DF-2026-000123`` for invoices, ``CN-2026-000001`` for credit notes.

A number is a series prefix, the year the document was issued and a sequence. Each series has
one counter that only ever moves up by one, assigned under a lock when a document is finalized
(``DocumentNumberSequence``), in the same transaction that stores the document: a rolled-back
finalization rolls its number back too, so the issued numbers have no gap and no duplicate. The
counter is never reset (not even at a new year), and a voided document keeps its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from devforge.domain.billing.invoice_errors import DocumentNumberMalformed

_PATTERN = re.compile(r"([A-Z]{2,8})-([0-9]{4})-([0-9]{6,})")


class DocumentSeries(StrEnum):
    INVOICE = "DF"
    CREDIT_NOTE = "CN"


@dataclass(frozen=True, slots=True, order=True)
class DocumentNumber:
    series: DocumentSeries
    year: int
    sequence: int

    def __post_init__(self) -> None:
        if not self.sequence >= 1 or not 1970 <= self.year <= 9999:
            raise DocumentNumberMalformed("A document number has a year and a positive sequence.", field="number")

    @classmethod
    def parse(cls, text: str) -> DocumentNumber:
        match = _PATTERN.fullmatch(text.strip())
        if match is None or match.group(1) not in DocumentSeries._value2member_map_:
            raise DocumentNumberMalformed(f"{text[:30]!r} is not a document number.", field="number")
        return cls(DocumentSeries(match.group(1)), int(match.group(2)), int(match.group(3)))

    def __str__(self) -> str:
        return f"{self.series.value}-{self.year:04d}-{self.sequence:06d}"
