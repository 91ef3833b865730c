"""The invoice: draft -> finalized -> paid, or finalized -> void.

- A draft collects lines; it has no number and no totals yet.
- ``finalize`` assigns the next gapless number of the invoice series, computes tax per line and
  per rate with the document rounded once (``tax_document``), and seals the invoice: from then
  on its parties, lines, number, dates and amounts never change. Setting any of them raises
  ``InvoiceImmutable``; only the payment and void facts are recorded afterwards.
- ``mark_paid`` records the payment (once; the same payment again is a no-op).
- ``void`` cancels a finalized, unpaid invoice; it keeps its number, so the series has no gap.
  A paid invoice is corrected by credit notes, never voided.
- An order has one invoice for its purchase and, for a subscription, one per paid renewal
  (``renewal_of``: the provider's invoice of that period; sealed like the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.errors import CurrencyMismatch, DocumentLinesMissing
from devforge.domain.billing.invoice_errors import InvoiceImmutable, InvoiceLineInvalid, InvoiceStateInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_document import TaxableLine, tax_document
from devforge.domain.shared.events import DomainEvent, EventRecorder


@dataclass(frozen=True, slots=True)
class Party:
    """Who sells or buys: what the invoice prints in its seller and buyer blocks."""

    name: str
    email: str = ""
    address: tuple[str, ...] = ()
    country: str | None = None
    vat_id: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """``unit_amount`` is net, or gross when the invoice's prices include tax. A line either
    carries its ``tax_rate`` (finalizing computes the tax, rounded once per document) or the
    ``amounts`` already charged (an order's tax was computed once per document by the tax quote;
    the invoice must show exactly what the buyer paid); ``tax_rate`` is then shown only."""

    description: str
    quantity: int
    unit_amount: Money
    tax_rate: Rate | None = None
    product_code: str | None = None
    amounts: TaxedAmount | None = None

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise InvoiceLineInvalid("A line has a description.", field="lines")
        if type(self.quantity) is not int or self.quantity < 1:
            raise InvoiceLineInvalid("A line's quantity is a whole number of at least 1.", field="lines")
        if self.unit_amount.is_negative:
            raise InvoiceLineInvalid("A line's price cannot be negative.", field="lines")
        if self.amounts is None and self.tax_rate is None:
            raise InvoiceLineInvalid("A line has a tax rate or its charged amounts.", field="lines")

    @property
    def amount(self) -> Money:
        return self.unit_amount * self.quantity


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    FINALIZED = "finalized"
    PAID = "paid"
    VOID = "void"


@dataclass(frozen=True, kw_only=True)
class InvoiceIssued(DomainEvent):
    invoice_id: UUID
    order_id: UUID | None
    user_id: UUID
    number: str
    currency: str
    total: int


# What finalizing seals; ``status``, ``paid_at``, ``payment_id``, ``voided_at``, ``void_reason``
# and ``version`` still move, through the methods below.
_SEALED_FIELDS = frozenset(
    {
        "id", "user_id", "order_id", "currency", "seller", "buyer", "lines", "prices_include_tax",
        "created_at", "number", "issued_at", "amounts", "refund_window_ends_at", "notes", "renewal_of",
    }
)  # fmt: skip


@dataclass(eq=False)
class Invoice(EventRecorder):
    id: UUID
    user_id: UUID
    order_id: UUID | None
    currency: Currency
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    created_at: datetime
    prices_include_tax: bool = False
    refund_window_ends_at: datetime | None = None
    notes: tuple[str, ...] = ()
    renewal_of: str | None = None
    status: InvoiceStatus = InvoiceStatus.DRAFT
    number: DocumentNumber | None = None
    issued_at: datetime | None = None
    amounts: tuple[TaxedAmount, ...] = ()
    paid_at: datetime | None = None
    payment_id: str | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    version: int = 0
    _sealed: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.lines = tuple(self.lines)
        self._check_lines(self.lines)
        if self.status is not InvoiceStatus.DRAFT:
            if self.number is None or self.issued_at is None or len(self.amounts) != len(self.lines):
                raise InvoiceStateInvalid("An issued invoice has a number, an issue date and its amounts.")
            self._sealed = True

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SEALED_FIELDS and getattr(self, "_sealed", False):
            raise InvoiceImmutable(f"Invoice {self.number} is finalized; its {name} cannot change.", field=name)
        super().__setattr__(name, value)

    def _check_lines(self, lines: Sequence[InvoiceLine]) -> None:
        for line in lines:
            if line.unit_amount.currency != self.currency:
                raise CurrencyMismatch(f"A {self.currency} invoice cannot have a {line.unit_amount.currency} line.")

    def add_line(self, line: InvoiceLine) -> None:
        self._check_lines([line])
        self.lines = (*self.lines, line)

    def finalize(self, number: DocumentNumber, now: datetime) -> None:
        if self.status is not InvoiceStatus.DRAFT:
            raise InvoiceImmutable(f"Invoice {self.number} is already finalized.")
        if number.series is not DocumentSeries.INVOICE:
            raise InvoiceStateInvalid(f"{number} is not an invoice number.", field="number")
        if not self.lines:
            raise DocumentLinesMissing("An invoice has at least one line.", field="lines")
        self.amounts = self._taxed_lines()
        self.number, self.issued_at, self.status = number, now, InvoiceStatus.FINALIZED
        self._sealed = True
        self.record(
            InvoiceIssued(
                occurred_at=now,
                invoice_id=self.id,
                order_id=self.order_id,
                user_id=self.user_id,
                number=str(number),
                currency=self.currency.code,
                total=self.total.gross.amount_minor,
            )
        )

    def _taxed_lines(self) -> tuple[TaxedAmount, ...]:
        charged = [line.amounts for line in self.lines]
        if all(amounts is None for amounts in charged):
            taxable = [TaxableLine(line.amount, line.tax_rate or Rate.zero()) for line in self.lines]
            return tax_document(taxable, prices_include_tax=self.prices_include_tax).lines
        result = []
        for line, amounts in zip(self.lines, charged, strict=True):
            if amounts is None or amounts.net.is_negative or amounts.tax.is_negative:
                raise InvoiceLineInvalid("Every line carries amounts that match its price.", field="lines")
            if (amounts.gross if self.prices_include_tax else amounts.net) != line.amount:
                raise InvoiceLineInvalid("Every line carries amounts that match its price.", field="lines")
            result.append(amounts)
        return tuple(result)

    def mark_paid(self, payment_id: str | None, now: datetime) -> None:
        if self.status is InvoiceStatus.PAID and self.payment_id == payment_id:
            return
        if self.status is not InvoiceStatus.FINALIZED:
            raise InvoiceStateInvalid(f"A {self.status.value} invoice cannot be paid.")
        self.status, self.paid_at, self.payment_id = InvoiceStatus.PAID, now, payment_id

    def void(self, reason: str, now: datetime) -> None:
        """Keeps the number; a paid invoice is corrected with credit notes instead."""
        if self.status is not InvoiceStatus.FINALIZED:
            raise InvoiceStateInvalid(f"A {self.status.value} invoice cannot be voided.")
        self.status, self.voided_at, self.void_reason = InvoiceStatus.VOID, now, reason

    @property
    def is_issued(self) -> bool:
        return self.status is not InvoiceStatus.DRAFT

    @property
    def total(self) -> TaxedAmount:
        result = TaxedAmount.zero(self.currency)
        for amount in self.amounts:
            result = result + amount
        return result

    @property
    def by_rate(self) -> tuple[InvoiceRateSubtotal, ...]:
        """Per tax rate, in order of first appearance: the sum of its lines (exact: the rate's
        rounded tax was spread over its lines without loss)."""
        subtotals: dict[Rate | None, TaxedAmount] = {}
        for line, amount in zip(self.lines, self.amounts, strict=True):
            subtotals[line.tax_rate] = subtotals.get(line.tax_rate, TaxedAmount.zero(self.currency)) + amount
        return tuple(InvoiceRateSubtotal(rate, amounts) for rate, amounts in subtotals.items())


@dataclass(frozen=True, slots=True)
class InvoiceRateSubtotal:
    rate: Rate | None
    amounts: TaxedAmount
