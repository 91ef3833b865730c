"""What stands behind a seller's ledger movements, for its statement lines and its revenue per
extension: a sale's lines of the seller's extensions (gross, tax, commission and share, at the
commission fixed when the order was paid), and a refund's part of them (its credit note's lines,
given back cumulatively after the earlier credit notes, exactly as the ledger posted it).

A lost dispute is keyed by its order (``dispute_lost:<order>``): its line names the order and
shows the developer's amount, without a per-line split.
Plain reads of committed data: no unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from devforge.application.billing.invoice_ports import DocumentReader
from devforge.application.billing.statement_ports import StatementOrders
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order
from devforge.domain.billing.seller_shares import seller_line
from devforge.domain.billing.statement import ExtensionPart, StatementKind, TransactionDetail, kind_of


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def sale_parts(order: Order, publisher_id: UUID) -> tuple[ExtensionPart, ...]:
    parts = []
    for line in order.lines:
        if line.seller_id != publisher_id:
            continue
        sold = seller_line(line.amounts, line.seller_id, line.commission_bp)
        assert sold is not None
        split = sold.split
        parts.append(
            ExtensionPart(
                line.product_code, line.product_name, split.gross, split.tax, split.commission, split.developer
            )
        )
    return tuple(parts)


class StatementDetails:
    def __init__(self, orders: StatementOrders, documents: DocumentReader) -> None:
        self._orders, self._documents = orders, documents

    async def details(
        self, publisher_id: UUID, transactions: Sequence[LedgerTransaction]
    ) -> dict[str, TransactionDetail]:
        """By idempotency id; a transaction with nothing to add is left out."""
        found: dict[str, TransactionDetail] = {}
        sales: dict[str, UUID] = {}
        refunds: dict[str, UUID] = {}
        for transaction in transactions:
            kind = kind_of(transaction.idempotency_id)
            reference = transaction.idempotency_id.split(":")[1] if ":" in transaction.idempotency_id else ""
            if (fact_id := _uuid(reference)) is None:
                continue
            if kind is StatementKind.SALE:
                sales[transaction.idempotency_id] = fact_id
            elif kind is StatementKind.REFUND:
                refunds[transaction.idempotency_id] = fact_id
            elif kind is StatementKind.CHARGEBACK:
                found[transaction.idempotency_id] = TransactionDetail(fact_id)
        orders = await self._orders.orders(list(sales.values()))
        for fact, order_id in sales.items():
            if (order := orders.get(order_id)) is not None:
                found[fact] = TransactionDetail(order_id, sale_parts(order, publisher_id))
        for fact, refund_id in refunds.items():
            if (detail := await self._refund(publisher_id, refund_id)) is not None:
                found[fact] = detail
        return found

    async def _refund(self, publisher_id: UUID, refund_id: UUID) -> TransactionDetail | None:
        refund = await self._documents.refund(refund_id)
        if refund is None or refund.order_id is None:
            return None
        order = (await self._orders.orders([refund.order_id])).get(refund.order_id)
        notes = await self._documents.credit_notes_for(refund.invoice_id)
        index = next((i for i, note in enumerate(notes) if note.refund_id == refund_id), None)
        if order is None or index is None:
            return TransactionDetail(refund.order_id)
        note, earlier = notes[index], notes[:index]
        parts = []
        for position, line in enumerate(order.lines):
            sold = seller_line(line.amounts, line.seller_id, line.commission_bp)
            if sold is None or line.seller_id != publisher_id or position >= len(note.lines):
                continue
            back = note.lines[position]
            if back.gross.is_zero:
                continue
            before = Money.total((e.lines[position].gross for e in earlier if position < len(e.lines)), order.currency)
            developer = sold.split.given_back_between(before, before + back.gross)
            commission = back.gross - back.tax - developer
            parts.append(
                ExtensionPart(line.product_code, line.product_name, back.gross, back.tax, commission, developer)
            )
        return TransactionDetail(refund.order_id, tuple(parts))
