"""Tax on a whole document (an invoice or a quote), rounded once per rate, split per line.

For each tax rate on the document, the lines at that rate are added up and the tax of that sum
is computed and rounded once (``tax_from_net``, or ``tax_from_gross`` when prices include tax).
That rounded tax is then spread over the lines by ``allocate``, weighted by each line's amount.
So, by construction:

- each line's tax differs from its exact share by less than one minor unit;
- the line taxes of a rate sum to that rate's tax, and the rates' taxes to the document's tax;
- every line, every rate subtotal and the document total have gross = net + tax.

This is why an invoice (and every credit note against it) can never be a cent off its lines.
Line amounts are non-negative and share the document's currency; a document has at least one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.errors import CurrencyMismatch, DocumentLinesMissing, LineAmountNegative
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate, as_rate
from devforge.domain.billing.tax import TaxedAmount, tax_from_gross, tax_from_net


@dataclass(frozen=True, slots=True)
class TaxableLine:
    """A line's price (net, or gross when the document's prices include tax) and its tax rate."""

    amount: Money
    rate: Rate


@dataclass(frozen=True, slots=True)
class RateSubtotal:
    rate: Rate
    amounts: TaxedAmount


@dataclass(frozen=True, slots=True)
class TaxedDocument:
    """Lines in the order given; subtotals per rate in order of first appearance; the total."""

    lines: tuple[TaxedAmount, ...]
    by_rate: tuple[RateSubtotal, ...]
    total: TaxedAmount


def _check(lines: Sequence[TaxableLine]) -> None:
    if not lines:
        raise DocumentLinesMissing("A document has at least one line.", field="lines")
    currency = lines[0].amount.currency
    for line in lines:
        if line.amount.currency != currency:
            raise CurrencyMismatch(f"A document is in one currency; found {currency} and {line.amount.currency}.")
        if line.amount.is_negative:
            raise LineAmountNegative("A line's amount cannot be negative.", field="lines")


def tax_document(lines: Sequence[TaxableLine], *, prices_include_tax: bool = False) -> TaxedDocument:
    _check(lines)
    currency = lines[0].amount.currency
    positions_by_rate: dict[Rate, list[int]] = {}
    for position, line in enumerate(lines):
        positions_by_rate.setdefault(line.rate, []).append(position)
    taxed: list[TaxedAmount | None] = [None] * len(lines)
    subtotals: list[RateSubtotal] = []
    for rate, positions in positions_by_rate.items():
        amounts = [lines[position].amount for position in positions]
        summed = Money.total(amounts, currency)
        rate_total = tax_from_gross(summed, rate) if prices_include_tax else tax_from_net(summed, rate)
        line_taxes = allocate(rate_total.tax, [amount.amount_minor for amount in amounts])
        for position, amount, tax in zip(positions, amounts, line_taxes, strict=True):
            if prices_include_tax:
                taxed[position] = TaxedAmount(net=amount - tax, tax=tax, gross=amount)
            else:
                taxed[position] = TaxedAmount.of(amount, tax)
        subtotals.append(RateSubtotal(rate=rate, amounts=rate_total))
    total = TaxedAmount.zero(currency)
    for subtotal in subtotals:
        total = total + subtotal.amounts
    taxed_lines = tuple(line for line in taxed if line is not None)
    assert len(taxed_lines) == len(lines), "every line belongs to exactly one rate"
    return TaxedDocument(lines=taxed_lines, by_rate=tuple(subtotals), total=total)


def tax_lines(amounts: Sequence[Money], rate: Rate | int, *, prices_include_tax: bool = False) -> TaxedDocument:
    """A document whose lines all carry one rate (``int`` = basis points)."""
    single = as_rate(rate)
    return tax_document([TaxableLine(amount, single) for amount in amounts], prices_include_tax=prices_include_tax)
