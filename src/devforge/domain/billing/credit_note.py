"""What a (partial) refund credits, line by line, against an invoice.

A refund is a gross amount (what goes back to the buyer). Against the invoice's lines, less
everything earlier credit notes already credited, it is split like this:

1. the document level: the refund is split into net and tax in the proportion of what remains
   refundable (``allocate(refund, [remaining net, remaining tax])``), so tax is refunded in step
   with the price and nothing is rounded;
2. the line level: that net is spread over the lines by their remaining net, and that tax by
   their remaining tax (``allocate`` again).

Because ``allocate`` never gives a part more than the ceiling of its exact share, and each exact
share is at most what remains, no line's net, tax or gross is ever credited beyond what was
invoiced, across any sequence of credit notes; the lines of a credit note sum to its total to
the minor unit; and refunding all that remains credits exactly the invoice. A refund must be
positive and at most what remains (``RefundExceedsRemaining`` otherwise).

Credit notes refer to the invoice's lines by position: line ``i`` of a credit note credits line
``i`` of the invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import (
    CreditExceedsInvoice,
    CurrencyMismatch,
    DocumentLinesMissing,
    LineAmountNegative,
    RefundAmountInvalid,
    RefundExceedsRemaining,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount


@dataclass(frozen=True, slots=True)
class CreditBreakdown:
    """The amounts of one credit note: per invoice line (by position), and their total."""

    lines: tuple[TaxedAmount, ...]
    total: TaxedAmount


def _total(lines: Sequence[TaxedAmount], currency: Currency) -> TaxedAmount:
    result = TaxedAmount.zero(currency)
    for line in lines:
        result = result + line
    return result


def _is_negative(amounts: TaxedAmount) -> bool:
    return amounts.net.is_negative or amounts.tax.is_negative


def remaining_refundable(
    invoiced: Sequence[TaxedAmount], already_credited: Sequence[CreditBreakdown] = ()
) -> tuple[TaxedAmount, ...]:
    """Per invoice line: what was invoiced less what earlier credit notes credited."""
    if not invoiced:
        raise DocumentLinesMissing("An invoice has at least one line.", field="lines")
    currency = invoiced[0].currency
    for line in invoiced:
        if line.currency != currency:
            raise CurrencyMismatch(f"An invoice is in one currency; found {currency} and {line.currency}.")
        if _is_negative(line):
            raise LineAmountNegative("An invoice line's net and tax cannot be negative.", field="lines")
    remaining = list(invoiced)
    for credit in already_credited:
        if len(credit.lines) != len(invoiced):
            raise CreditExceedsInvoice("A credit note must have one line per invoice line.", field="lines")
        remaining = [left - credited for left, credited in zip(remaining, credit.lines, strict=True)]
    if any(_is_negative(line) for line in remaining):
        raise CreditExceedsInvoice("Earlier credit notes credit more than the invoice holds.", field="lines")
    return tuple(remaining)


def credit_note_for(
    invoiced: Sequence[TaxedAmount],
    refunded_amount: Money,
    *,
    already_credited: Sequence[CreditBreakdown] = (),
) -> CreditBreakdown:
    """Credit ``refunded_amount`` (gross) against ``invoiced`` after ``already_credited``."""
    remaining = remaining_refundable(invoiced, already_credited)
    left = _total(remaining, invoiced[0].currency)
    if refunded_amount.currency != left.currency:
        raise CurrencyMismatch(f"The refund is in {refunded_amount.currency}, the invoice in {left.currency}.")
    if refunded_amount.amount_minor <= 0:
        raise RefundAmountInvalid("A refund is a positive amount.", field="amount")
    if refunded_amount > left.gross:
        raise RefundExceedsRemaining(
            f"{refunded_amount} is more than the {left.gross} that remains refundable.", field="amount"
        )
    net, tax = allocate(refunded_amount, [left.net.amount_minor, left.tax.amount_minor])
    line_nets = allocate(net, [line.net.amount_minor for line in remaining])
    line_taxes = allocate(tax, [line.tax.amount_minor for line in remaining])
    lines = tuple(TaxedAmount.of(n, t) for n, t in zip(line_nets, line_taxes, strict=True))
    return CreditBreakdown(lines=lines, total=TaxedAmount.of(net, tax))
