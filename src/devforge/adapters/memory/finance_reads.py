"""The financial reports' reads in memory: the same sums over the memory store's orders,
invoices, credit notes and ledger (tests and the contract suite)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from devforge.adapters.memory.store import MemoryStore
from devforge.domain.billing.catalog import CatalogProduct
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.financial_reports import CreditedTax, InvoicedLine, LedgerMovement, SellerBalance
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.order import Order
from devforge.domain.billing.reconciliation import PaidOrderFact, RecurringSale, SaleFact


class InMemoryFinanceReader:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _ledger(self) -> list[LedgerTransaction]:
        return list(self._store.table("billing_ledger_transactions").values())

    def _orders(self) -> dict[UUID, Order]:
        return self._store.table("billing_orders")

    def _invoices(self) -> list[Invoice]:
        return list(self._store.table("billing_invoices").values())

    async def ledger_movements(self, start: datetime, end: datetime) -> list[LedgerMovement]:
        sums: dict[tuple[date, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for t in self._ledger():
            if not start <= t.occurred_at < end:
                continue
            for entry in t.entries:
                key = (t.occurred_at.date(), t.currency.code, t.idempotency_id.split(":", 1)[0], entry.account.code)
                sums[key][0] += entry.amount.amount_minor
                sums[key][1] += 1
        return [LedgerMovement(d, c, k, a, amount, count) for (d, c, k, a), (amount, count) in sums.items()]

    async def seller_balances(self, before: datetime) -> list[SellerBalance]:
        sums: dict[tuple[str, str], int] = defaultdict(int)
        for t in self._ledger():
            for entry in t.entries:
                if t.occurred_at < before and entry.account.party is not None:
                    sums[(t.currency.code, entry.account.party)] += entry.amount.amount_minor
        return [SellerBalance(currency, developer, amount) for (currency, developer), amount in sums.items() if amount]

    async def invoiced_lines(self, start: datetime, end: datetime) -> list[InvoicedLine]:
        products: dict[str, CatalogProduct] = self._store.table("billing_products")
        sums: dict[tuple[date, str, str, UUID | None, str, str], tuple[set[UUID], list[int]]] = defaultdict(
            lambda: (set(), [0, 0])
        )
        for invoice in self._invoices():
            order = self._orders().get(invoice.order_id) if invoice.order_id else None
            if order is None or invoice.issued_at is None or not start <= invoice.issued_at < end:
                continue
            for line, amounts in zip(invoice.lines, invoice.amounts, strict=True):
                product = products.get(line.product_code or "")
                key = (
                    invoice.issued_at.date(),
                    invoice.currency.code,
                    line.product_code or "",
                    product.seller_id if product else None,
                    order.tax_country,
                    order.tax_region or "",
                )
                ids, figures = sums[key]
                ids.add(invoice.id)
                figures[0] += amounts.net.amount_minor
                figures[1] += amounts.tax.amount_minor
        return [
            InvoicedLine(d, c, p, s, country, r, len(ids), net, tax, net + tax)
            for (d, c, p, s, country, r), (ids, (net, tax)) in ((k, (v[0], tuple(v[1]))) for k, v in sums.items())
        ]

    async def credited_tax(self, start: datetime, end: datetime) -> list[CreditedTax]:
        invoices = {invoice.id: invoice for invoice in self._invoices()}
        sums: dict[tuple[date, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        note: CreditNote
        for note in self._store.table("billing_credit_notes").values():
            invoice = invoices.get(note.invoice_id)
            order = self._orders().get(invoice.order_id) if invoice and invoice.order_id else None
            if order is None or not start <= note.issued_at < end:
                continue
            key = (note.issued_at.date(), note.currency.code, order.tax_country, order.tax_region or "")
            sums[key][0] += 1
            sums[key][1] += note.total.net.amount_minor
            sums[key][2] += note.total.tax.amount_minor
        return [CreditedTax(d, c, country, r, n, net, tax) for (d, c, country, r), (n, net, tax) in sums.items()]

    async def paid_orders(self, start: datetime, end: datetime) -> list[PaidOrderFact]:
        return [_fact(o) for o in self._orders().values() if o.paid_at is not None and start <= o.paid_at < end]

    async def orders_named(self, order_ids: Iterable[UUID]) -> list[PaidOrderFact]:
        wanted = set(order_ids)
        return [_fact(o) for o in self._orders().values() if o.id in wanted and o.paid_at is not None]

    async def sales(self, start: datetime, end: datetime) -> list[SaleFact]:
        found = []
        for t in self._ledger():
            parts = t.idempotency_id.split(":")
            if parts[0] == "sale" and len(parts) == 2 and start <= t.occurred_at < end:
                gross = sum(e.amount.amount_minor for e in t.entries if e.account.code == "processor_clearing")
                found.append(SaleFact(UUID(parts[1]), t.currency.code, gross, t.occurred_at))
        return found

    async def recurring_sales(self, start: datetime, end: datetime) -> list[RecurringSale]:
        recurring = {s.order_id for s in self._store.table("billing_subscriptions").values()}
        found = []
        for t in self._ledger():
            kind, order, *renewal = t.idempotency_id.split(":", 2)
            if kind != "sale" or UUID(order) not in recurring or not start <= t.occurred_at < end:
                continue
            gross = sum(e.amount.amount_minor for e in t.entries if e.account.code == "processor_clearing")
            tax = -sum(e.amount.amount_minor for e in t.entries if e.account.code == "tax_payable")
            found.append(
                RecurringSale(UUID(order), renewal[0] if renewal else None, t.currency.code, gross, tax, t.occurred_at)
            )
        return found

    async def fees_of(self, payment_ids: Iterable[str]) -> dict[str, int]:
        wanted, fees = set(payment_ids), dict[str, int]()
        for t in self._ledger():
            kind, _, payment = t.idempotency_id.partition(":")
            if kind in ("fee", "fee_true_up") and payment in wanted:
                amount = sum(e.amount.amount_minor for e in t.entries if e.account.code == "processor_fees")
                fees[payment] = fees.get(payment, 0) + amount
        return fees

    async def known_payments(self, payment_ids: Iterable[str]) -> set[str]:
        ours = {o.payment_id for o in self._orders().values()} | {i.payment_id for i in self._invoices()}
        return set(payment_ids) & {p for p in ours if p}


def _fact(order: Order) -> PaidOrderFact:
    assert order.paid_at is not None
    return PaidOrderFact(order.id, order.payment_id, order.currency.code, order.total.gross.amount_minor, order.paid_at)
