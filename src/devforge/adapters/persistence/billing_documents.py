"""Billing's documents on SQL: invoices, credit notes, refunds, the ledger and the numbering."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import dialect_of
from devforge.adapters.persistence.tables.billing_documents import (
    billing_credit_note_lines,
    billing_credit_notes,
    billing_document_counters,
    billing_invoice_lines,
    billing_invoices,
    billing_ledger_entries,
    billing_ledger_transactions,
    billing_refunds,
)
from devforge.application.billing.invoice_views import InvoiceCursor
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice, InvoiceLine, InvoiceStatus, Party
from devforge.domain.billing.invoice_errors import InvoiceAlreadyExists, InvoiceChangedConcurrently
from devforge.domain.billing.ledger import Account, LedgerEntry, LedgerIdempotencyConflict, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.refund import Refund, RefundStatus
from devforge.domain.billing.tax import TaxedAmount


def _party_row(party: Party) -> dict[str, Any]:
    return {
        "name": party.name,
        "email": party.email,
        "address": list(party.address),
        "country": party.country,
        "vat_id": party.vat_id,
    }


def _party(row: dict[str, Any]) -> Party:
    return Party(row["name"], row["email"], tuple(row["address"]), row["country"], row["vat_id"])


def _rate_text(rate: Rate | None) -> str | None:
    return None if rate is None else f"{rate.value.numerator}/{rate.value.denominator}"


class SqlaInvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, invoice: Invoice) -> None:
        try:
            await self._session.execute(insert(billing_invoices).values(_invoice_row(invoice)))
        except IntegrityError as clash:
            raise InvoiceAlreadyExists("This order already has an invoice, or the number is taken.") from clash
        await self._session.execute(insert(billing_invoice_lines), _line_rows(invoice))

    async def get(self, invoice_id: UUID, *, for_update: bool = False) -> Invoice | None:
        return await self._one(billing_invoices.c.id == invoice_id, for_update)

    async def get_by_order(self, order_id: UUID, *, for_update: bool = False) -> Invoice | None:
        table = billing_invoices.c
        return await self._one((table.order_id == order_id) & (table.renewal_of == ""), for_update)

    async def get_by_renewal(self, order_id: UUID, renewal_of: str) -> Invoice | None:
        table = billing_invoices.c
        return await self._one((table.order_id == order_id) & (table.renewal_of == renewal_of), False)

    async def update(self, invoice: Invoice) -> None:
        facts = {
            "status": invoice.status.value,
            "paid_at": invoice.paid_at,
            "payment_id": invoice.payment_id,
            "voided_at": invoice.voided_at,
            "void_reason": invoice.void_reason,
            "version": invoice.version + 1,
        }
        result = await self._session.execute(
            update(billing_invoices)
            .where(billing_invoices.c.id == invoice.id, billing_invoices.c.version == invoice.version)
            .values(facts)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvoiceChangedConcurrently("The invoice changed meanwhile; try again.")
        invoice.version += 1

    async def page(self, *, user_id: UUID | None, after: InvoiceCursor | None, limit: int) -> list[Invoice]:
        table = billing_invoices
        query = select(table).where(table.c.status != InvoiceStatus.DRAFT.value)
        if user_id is not None:
            query = query.where(table.c.user_id == user_id)
        if after is not None:
            earlier = and_(table.c.created_at == after.created_at, table.c.id < after.id)
            query = query.where(or_(table.c.created_at < after.created_at, earlier))
        query = query.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
        rows = (await self._session.execute(query)).mappings().all()
        return [await self._invoice(row) for row in rows]

    async def _one(self, condition: Any, for_update: bool) -> Invoice | None:
        if for_update and dialect_of(self._session) == "sqlite":
            # SQLite has no row locks: a no-op write takes the database's single writer lock
            # before anything is read, which serializes the transactions that lock an invoice.
            touch = update(billing_invoices).where(condition).values(version=billing_invoices.c.version)
            await self._session.execute(touch)
        query = select(billing_invoices).where(condition)
        row = (await self._session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return await self._invoice(row) if row else None

    async def _invoice(self, row: Any) -> Invoice:
        query = select(billing_invoice_lines).where(billing_invoice_lines.c.invoice_id == row["id"])
        line_rows = (await self._session.execute(query.order_by(billing_invoice_lines.c.position))).mappings().all()
        return invoice_of(row, line_rows)


def invoice_of(row: Any, line_rows: Sequence[Any]) -> Invoice:
    """An invoice from its row and its lines' rows in position order (the repository's and the
    reader's one mapping)."""
    currency = Currency(row["currency"])
    status = InvoiceStatus(row["status"])
    lines, amounts = [], []
    for line in line_rows:
        taxed = None
        if line["net"] is not None:
            taxed = TaxedAmount.of(Money(line["net"], currency), Money(line["tax"], currency))
        lines.append(
            InvoiceLine(
                description=line["description"],
                quantity=line["quantity"],
                unit_amount=Money(line["unit_amount"], currency),
                tax_rate=Rate(Fraction(line["tax_rate"])) if line["tax_rate"] is not None else None,
                product_code=line["product_code"],
                amounts=taxed if line["charged"] else None,
            )
        )
        if taxed is not None and status is not InvoiceStatus.DRAFT:
            amounts.append(taxed)
    return Invoice(
        id=row["id"],
        user_id=row["user_id"],
        order_id=row["order_id"],
        currency=currency,
        seller=_party(row["seller"]),
        buyer=_party(row["buyer"]),
        lines=tuple(lines),
        created_at=row["created_at"],
        prices_include_tax=row["prices_include_tax"],
        refund_window_ends_at=row["refund_window_ends_at"],
        notes=tuple(row["notes"]),
        renewal_of=row["renewal_of"] or None,
        status=status,
        number=DocumentNumber.parse(row["number"]) if row["number"] else None,
        issued_at=row["issued_at"],
        amounts=tuple(amounts),
        paid_at=row["paid_at"],
        payment_id=row["payment_id"],
        voided_at=row["voided_at"],
        void_reason=row["void_reason"],
        version=row["version"],
    )


def _invoice_row(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "user_id": invoice.user_id,
        "order_id": invoice.order_id,
        "currency": invoice.currency.code,
        "status": invoice.status.value,
        "number": str(invoice.number) if invoice.number else None,
        "prices_include_tax": invoice.prices_include_tax,
        "seller": _party_row(invoice.seller),
        "buyer": _party_row(invoice.buyer),
        "notes": list(invoice.notes),
        "renewal_of": invoice.renewal_of or "",
        "created_at": invoice.created_at,
        "issued_at": invoice.issued_at,
        "refund_window_ends_at": invoice.refund_window_ends_at,
        "paid_at": invoice.paid_at,
        "payment_id": invoice.payment_id,
        "voided_at": invoice.voided_at,
        "void_reason": invoice.void_reason,
        "version": invoice.version,
    }


def _line_rows(invoice: Invoice) -> list[dict[str, Any]]:
    rows = []
    for position, line in enumerate(invoice.lines):
        taxed = invoice.amounts[position] if invoice.amounts else line.amounts
        rows.append(
            {
                "invoice_id": invoice.id,
                "position": position,
                "description": line.description,
                "product_code": line.product_code,
                "quantity": line.quantity,
                "unit_amount": line.unit_amount.amount_minor,
                "tax_rate": _rate_text(line.tax_rate),
                "charged": line.amounts is not None,
                "net": taxed.net.amount_minor if taxed else None,
                "tax": taxed.tax.amount_minor if taxed else None,
            }
        )
    return rows


class SqlaCreditNoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, note: CreditNote) -> None:
        values = {
            "id": note.id,
            "invoice_id": note.invoice_id,
            "user_id": note.user_id,
            "order_id": note.order_id,
            "refund_id": note.refund_id,
            "number": str(note.number),
            "currency": note.currency.code,
            "reason": note.reason,
            "issued_at": note.issued_at,
        }
        await self._session.execute(insert(billing_credit_notes).values(values))
        lines = [
            {"credit_note_id": note.id, "position": i, "net": line.net.amount_minor, "tax": line.tax.amount_minor}
            for i, line in enumerate(note.lines)
        ]
        await self._session.execute(insert(billing_credit_note_lines), lines)

    async def get(self, note_id: UUID) -> CreditNote | None:
        notes = await self._where(billing_credit_notes.c.id == note_id)
        return notes[0] if notes else None

    async def for_invoice(self, invoice_id: UUID) -> list[CreditNote]:
        return await self._where(billing_credit_notes.c.invoice_id == invoice_id)

    async def _where(self, condition: Any) -> list[CreditNote]:
        query = select(billing_credit_notes).where(condition).order_by(billing_credit_notes.c.issued_at)
        rows = (await self._session.execute(query)).mappings().all()
        notes = []
        for row in rows:
            line_query = (
                select(billing_credit_note_lines)
                .where(billing_credit_note_lines.c.credit_note_id == row["id"])
                .order_by(billing_credit_note_lines.c.position)
            )
            notes.append(credit_note_of(row, (await self._session.execute(line_query)).mappings().all()))
        return sorted(notes, key=lambda note: note.number)


def credit_note_of(row: Any, line_rows: Sequence[Any]) -> CreditNote:
    """A credit note from its row and its lines' rows (net, tax) in position order."""
    currency = Currency(row["currency"])
    return CreditNote(
        id=row["id"],
        invoice_id=row["invoice_id"],
        user_id=row["user_id"],
        order_id=row["order_id"],
        refund_id=row["refund_id"],
        number=DocumentNumber.parse(row["number"]),
        currency=currency,
        lines=tuple(TaxedAmount.of(Money(line["net"], currency), Money(line["tax"], currency)) for line in line_rows),
        reason=row["reason"],
        issued_at=row["issued_at"],
    )


class SqlaRefundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, refund: Refund) -> None:
        await self._session.execute(insert(billing_refunds).values(_refund_row(refund)))

    async def get(self, refund_id: UUID) -> Refund | None:
        rows = await self._where(billing_refunds.c.id == refund_id, limit=1)
        return rows[0] if rows else None

    async def update(self, refund: Refund) -> None:
        row = _refund_row(refund)
        await self._session.execute(update(billing_refunds).where(billing_refunds.c.id == refund.id).values(row))

    async def for_invoice(self, invoice_id: UUID) -> list[Refund]:
        return await self._where(billing_refunds.c.invoice_id == invoice_id)

    async def unknown(self, *, limit: int) -> list[Refund]:
        return await self._where(billing_refunds.c.status == RefundStatus.UNKNOWN.value, limit=limit)

    async def _where(self, condition: Any, *, limit: int | None = None) -> list[Refund]:
        query = select(billing_refunds).where(condition).order_by(billing_refunds.c.requested_at, billing_refunds.c.id)
        rows = (await self._session.execute(query.limit(limit) if limit else query)).mappings().all()
        return [refund_of(row) for row in rows]


def refund_of(row: Any) -> Refund:
    return Refund(
        id=row["id"],
        invoice_id=row["invoice_id"],
        order_id=row["order_id"],
        user_id=row["user_id"],
        amount=Money(row["amount"], Currency(row["currency"])),
        reason=row["reason"],
        requested_by=row["requested_by"],
        requested_at=row["requested_at"],
        status=RefundStatus(row["status"]),
        provider_refund_id=row["provider_refund_id"],
        credit_note_id=row["credit_note_id"],
        settled_at=row["settled_at"],
    )


def _refund_row(refund: Refund) -> dict[str, Any]:
    return {
        "id": refund.id,
        "invoice_id": refund.invoice_id,
        "order_id": refund.order_id,
        "user_id": refund.user_id,
        "amount": refund.amount.amount_minor,
        "currency": refund.amount.currency.code,
        "reason": refund.reason,
        "requested_by": refund.requested_by,
        "requested_at": refund.requested_at,
        "status": refund.status.value,
        "provider_refund_id": refund.provider_refund_id,
        "credit_note_id": refund.credit_note_id,
        "settled_at": refund.settled_at,
    }


class SqlaLedgerRepository:
    """Inserts only; nothing here updates or deletes a ledger row."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def post(self, transaction: LedgerTransaction) -> bool:
        known = await self.get(transaction.idempotency_id)
        if known is not None:
            if not known.same_movement_as(transaction):
                raise LedgerIdempotencyConflict(f"{transaction.idempotency_id} already posted another movement.")
            return False
        values = {
            "id": transaction.id,
            "idempotency_id": transaction.idempotency_id,
            "currency": transaction.currency.code,
            "description": transaction.description[:500],
            "occurred_at": transaction.occurred_at,
            "reverses": transaction.reverses,
        }
        await self._session.execute(insert(billing_ledger_transactions).values(values))
        entries = [
            {
                "transaction_id": transaction.id,
                "position": position,
                "currency": transaction.currency.code,
                "account": entry.account.code,
                "amount": entry.amount.amount_minor,
            }
            for position, entry in enumerate(transaction.entries)
        ]
        await self._session.execute(insert(billing_ledger_entries), entries)
        return True

    async def get(self, idempotency_id: str) -> LedgerTransaction | None:
        found = await self._where(billing_ledger_transactions.c.idempotency_id == idempotency_id)
        return found[0] if found else None

    async def balances(self, currency: Currency) -> dict[Account, Money]:
        entries = billing_ledger_entries
        query = (
            select(entries.c.account, func.sum(entries.c.amount))
            .where(entries.c.currency == currency.code)
            .group_by(entries.c.account)
        )
        rows = (await self._session.execute(query)).all()
        return {Account.parse(account): Money(int(total), currency) for account, total in rows}

    async def transactions(self, currency: Currency) -> list[LedgerTransaction]:
        return await self._where(billing_ledger_transactions.c.currency == currency.code)

    async def _where(self, condition: Any) -> list[LedgerTransaction]:
        table = billing_ledger_transactions
        query = select(table).where(condition).order_by(table.c.occurred_at, table.c.id)
        rows = (await self._session.execute(query)).mappings().all()
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        entry_query = (
            select(billing_ledger_entries)
            .where(billing_ledger_entries.c.transaction_id.in_(ids))
            .order_by(billing_ledger_entries.c.transaction_id, billing_ledger_entries.c.position)
        )
        by_transaction: dict[UUID, list[LedgerEntry]] = {}
        for entry in (await self._session.execute(entry_query)).mappings():
            money = Money(entry["amount"], Currency(entry["currency"]))
            by_transaction.setdefault(entry["transaction_id"], []).append(
                LedgerEntry(Account.parse(entry["account"]), money)
            )
        return [
            LedgerTransaction(
                id=row["id"],
                idempotency_id=row["idempotency_id"],
                currency=Currency(row["currency"]),
                entries=tuple(by_transaction.get(row["id"], ())),
                description=row["description"],
                occurred_at=row["occurred_at"],
                reverses=row["reverses"],
            )
            for row in rows
        ]


class SqlaDocumentNumberSequence:
    """``UPDATE ... SET last_value = last_value + 1 RETURNING last_value``: the row lock it takes
    on PostgreSQL (the same lock SELECT ... FOR UPDATE takes) and SQLite's single writer hold
    the next finalization of the series until this transaction ends."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next(self, series: DocumentSeries) -> int:
        value = await self._bump(series)
        if value is None:
            dialect = dialect_of(self._session)
            make_insert = pg_insert if dialect == "postgresql" else sqlite_insert
            create = make_insert(billing_document_counters).values(series=series.value, last_value=0)
            await self._session.execute(create.on_conflict_do_nothing(index_elements=["series"]))
            value = await self._bump(series)
        if value is None:
            raise RuntimeError(f"the {series.value} counter could not be created")
        return int(value)

    async def _bump(self, series: DocumentSeries) -> int | None:
        counters = billing_document_counters
        bump = (
            update(counters)
            .where(counters.c.series == series.value)
            .values(last_value=counters.c.last_value + 1)
            .returning(counters.c.last_value)
        )
        value = (await self._session.execute(bump)).scalar_one_or_none()
        return None if value is None else int(value)
