"""The finance team's reports, built from aggregates the database already summed per day (pure:
the rows in, the report out). Every amount is integer minor units of its row's currency; a total
is per currency, never across currencies.

- **Revenue**: invoiced sales per interval, currency, product and publisher (none: the platform's
  own plans): invoices, net, tax, gross. Its gross equals the ``sale:*`` postings' debit of
  processor clearing in the ledger, to the cent (both are written together).
- **Refunds and chargebacks**: the ledger's ``refund:*`` and ``dispute_lost:*`` postings per
  interval and currency: how many, gross given back, its tax, and the sellers' share of it.
- **Processor fees**: the ``fee:*`` estimates and ``fee_true_up:*`` corrections per interval and
  currency, and their sum (the processor fees account's movement).
- **Tax per jurisdiction**: tax invoiced less tax credited (credit notes) per interval, currency,
  country and region (the buyer's, as taxed at checkout). A lost chargeback's tax is in the
  refunds report (it has no credit note).
- **Payables**: per developer and currency, the opening balance owed (``seller_payable:*`` before
  the period), sales credited, given back (refunds, chargebacks), paid out, payouts returned, tax
  withheld is part of a payout, and the closing balance: opening + movements, exactly the
  ledger's balance at the period's end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from devforge.domain.billing.report_period import ReportPeriod

SELLER_PREFIX = "seller_payable:"


@dataclass(frozen=True, slots=True)
class LedgerMovement:
    """The sum of one account's entries of one kind of posting (``sale``, ``refund``, ``fee``...,
    the idempotency id's prefix) on one day, and how many transactions."""

    day: date
    currency: str
    kind: str
    account: str
    amount: int
    transactions: int


@dataclass(frozen=True, slots=True)
class InvoicedLine:
    day: date
    currency: str
    product_code: str
    seller_id: UUID | None
    country: str
    region: str
    invoices: int
    net: int
    tax: int
    gross: int


@dataclass(frozen=True, slots=True)
class CreditedTax:
    day: date
    currency: str
    country: str
    region: str
    credit_notes: int
    net: int
    tax: int


@dataclass(frozen=True, slots=True)
class SellerBalance:
    currency: str
    developer: str
    amount: int  # the account's balance: credits (owed to the developer) are negative


@dataclass(frozen=True, slots=True)
class Report:
    """Columns, rows in order, and totals per currency (the same columns, the dimensions empty)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    totals: tuple[tuple[str | int, ...], ...]


def _report(
    name: str, dimensions: tuple[str, ...], figures: tuple[str, ...], cells: dict[tuple[str, ...], list[int]]
) -> Report:
    rows: tuple[tuple[str | int, ...], ...] = tuple((*key, *values) for key, values in sorted(cells.items()))
    totals: dict[str, list[int]] = {}
    currency_at = dimensions.index("currency")
    for key, values in cells.items():
        summed = totals.setdefault(key[currency_at], [0] * len(figures))
        for index, value in enumerate(values):
            summed[index] += value
    total_rows: tuple[tuple[str | int, ...], ...] = tuple(
        (*(currency if column == "currency" else "" for column in dimensions), *values)
        for currency, values in sorted(totals.items())
    )
    return Report(name, (*dimensions, *figures), rows, total_rows)


def revenue_report(period: ReportPeriod, lines: Iterable[InvoicedLine]) -> Report:
    cells: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line in lines:
        key = (period.bucket(line.day).isoformat(), line.currency, line.product_code, str(line.seller_id or ""))
        _add(cells[key], line.invoices, line.net, line.tax, line.gross)
    return _report(
        "revenue", ("period", "currency", "product", "publisher"), ("invoices", "net", "tax", "gross"), cells
    )


def refunds_report(period: ReportPeriod, movements: Iterable[LedgerMovement]) -> Report:
    """``refund`` credits clearing, ``dispute_lost`` the disputes account, each by the gross."""
    cells: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for move in movements:
        if move.kind not in ("refund", "dispute_lost"):
            continue
        cell = cells[
            (
                period.bucket(move.day).isoformat(),
                move.currency,
                "chargeback" if move.kind == "dispute_lost" else "refund",
            )
        ]
        if move.account in ("processor_clearing", "disputes"):
            _add(cell, move.transactions, -move.amount, 0, 0)
        elif move.account == "tax_payable":
            _add(cell, 0, 0, move.amount, 0)
        elif move.account.startswith(SELLER_PREFIX):
            _add(cell, 0, 0, 0, move.amount)
    return _report("refunds", ("period", "currency", "kind"), ("count", "gross", "tax", "sellers_share"), cells)


def fees_report(period: ReportPeriod, movements: Iterable[LedgerMovement]) -> Report:
    cells: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for move in movements:
        if move.account != "processor_fees" or move.kind not in ("fee", "fee_true_up"):
            continue
        cell = cells[(period.bucket(move.day).isoformat(), move.currency)]
        if move.kind == "fee":
            _add(cell, move.transactions, move.amount, 0, move.amount)
        else:
            _add(cell, 0, 0, move.amount, move.amount)
    return _report("fees", ("period", "currency"), ("payments", "estimated", "trued_up", "total"), cells)


def tax_report(period: ReportPeriod, invoiced: Iterable[InvoicedLine], credited: Iterable[CreditedTax]) -> Report:
    cells: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in invoiced:
        key = (period.bucket(line.day).isoformat(), line.currency, line.country, line.region)
        _add(cells[key], line.tax, 0, line.tax)
    for note in credited:
        key = (period.bucket(note.day).isoformat(), note.currency, note.country, note.region)
        _add(cells[key], 0, note.tax, -note.tax)
    return _report("tax", ("period", "currency", "country", "region"), ("invoiced", "credited", "collected"), cells)


_PAYABLE_KINDS = {"sale": 1, "refund": 2, "dispute_lost": 2, "payout": 3, "payout_returned": 4}


def payables_report(opening: Iterable[SellerBalance], movements: Iterable[LedgerMovement]) -> Report:
    """Owed amounts are shown positive (the account's credit balance negated); any other posting
    on a seller's account (an adjustment) counts in ``other``."""
    cells: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    for balance in opening:
        cells[(balance.developer, balance.currency)][0] -= balance.amount
    for move in movements:
        if not move.account.startswith(SELLER_PREFIX):
            continue
        cell = cells[(move.account.removeprefix(SELLER_PREFIX), move.currency)]
        cell[_PAYABLE_KINDS.get(move.kind, 5)] -= move.amount
    for cell in cells.values():
        cell[6] = sum(cell[:6])
    figures = ("opening", "sales", "given_back", "paid_out", "returned", "other", "closing")
    return _report("payables", ("developer", "currency"), figures, cells)


def _add(cell: list[int], *values: int) -> None:
    for index, value in enumerate(values):
        cell[index] += value
