"""Refund an order, fully or in part: an admin any time, its customer within the refund window.

1. Under the invoice's row lock, the refund row is written first (``requested``) after checking
   the amount against what remains refundable (every refund that has not failed counts), and
   committed: concurrent refunds of one order are serialized on the lock and never together
   exceed the invoice.
2. The provider is asked with the refund row's idempotency key, outside any transaction.
3. Its answer settles the refund. Money returned (``succeeded`` or ``pending``): a credit note
   with the next credit-note number, the refund's ledger reversal, and the order's running
   refunded total (the order records ``billing.order_refunded`` once) in one transaction. A
   ``failed`` refund frees its amount. No answer leaves it ``unknown``, still holding its amount,
   for ``ResolveUnknownRefunds`` to ask again with the same key.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    DocumentNumberSequence,
    InvoiceRepository,
    LedgerRepository,
    OrderRefunds,
    RefundRepository,
    SoldLines,
)
from devforge.application.billing.invoice_views import RefundView
from devforge.application.billing.payment_gateway import (
    PaymentGateway,
    PaymentProviderUnavailable,
    ProviderRefund,
    RefundRequest,
)
from devforge.application.billing.seller_earnings_publication import post_publishing_earnings
from devforge.application.billing.seller_give_backs import refund_given_back
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.errors import RefundExceedsRemaining
from devforge.domain.billing.invoice import InvoiceStatus
from devforge.domain.billing.invoice_errors import (
    InvoiceNotFound,
    InvoiceStateInvalid,
    OrderNotInvoiced,
    RefundWindowClosed,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.refund import Refund, ensure_refundable, refundable


@dataclass(frozen=True, slots=True)
class RefundOrder:
    order_id: UUID
    amount: int | None  # minor units, gross; None refunds all that remains
    reason: str = ""


class RefundOrderHandler:
    def __init__(
        self,
        uow: UnitOfWork,
        invoices: InvoiceRepository,
        refunds: RefundRepository,
        notes: CreditNoteRepository,
        numbers: DocumentNumberSequence,
        ledger: LedgerRepository,
        orders: OrderRefunds,
        gateway: PaymentGateway,
        clock: Clock,
        sold: SoldLines,
        outbox: Outbox,
    ) -> None:
        self._uow, self._invoices, self._refunds, self._notes = uow, invoices, refunds, notes
        self._numbers, self._ledger, self._orders, self._gateway, self._clock = numbers, ledger, orders, gateway, clock
        self._sold, self._outbox = sold, outbox

    async def __call__(self, actor: Actor, command: RefundOrder) -> RefundView:
        refund, payment_id = await self._reserve(actor, command)
        request = RefundRequest(
            provider_payment_id=payment_id,
            amount=refund.amount.amount_minor,
            currency=refund.amount.currency.code,
            idempotency_key=refund.idempotency_key,
            reason=refund.reason,
        )
        try:
            answer = await self._gateway.refund(request)
        except PaymentProviderUnavailable:
            return await self._unknown(refund.id)
        return await self.settle(refund.id, answer)

    async def _reserve(self, actor: Actor, command: RefundOrder) -> tuple[Refund, str]:
        invoice = await self._invoices.get_by_order(command.order_id, for_update=True)
        if invoice is None or not actor.owns_or_may(invoice.user_id, BillingPermission.ADMIN):
            raise OrderNotInvoiced("No such paid order.")
        now = self._clock.now()
        if not actor.may(BillingPermission.ADMIN) and (
            invoice.refund_window_ends_at is None or now > invoice.refund_window_ends_at
        ):
            raise RefundWindowClosed("The refund window of this order has closed; ask support.")
        if invoice.status is not InvoiceStatus.PAID or invoice.payment_id is None:
            raise InvoiceStateInvalid("Only a paid order can be refunded.", field="orderId")
        if await self._ledger.get(f"dispute_lost:{invoice.order_id}") is not None:
            raise InvoiceStateInvalid("The buyer won a dispute: the money already went back.", field="orderId")
        earlier = await self._refunds.for_invoice(invoice.id)
        if command.amount is None:
            money = refundable(invoice.total.gross, earlier)
            if money.is_zero:
                raise RefundExceedsRemaining("Nothing remains refundable on this order.", field="amount")
        else:
            money = Money(command.amount, invoice.currency)
        ensure_refundable(money, invoice.total.gross, earlier)
        refund = Refund(
            id=uuid4(),
            invoice_id=invoice.id,
            order_id=invoice.order_id,
            user_id=invoice.user_id,
            amount=money,
            reason=command.reason,
            requested_by=actor.user_id,
            requested_at=now,
        )
        await self._refunds.add(refund)
        await self._uow.commit()
        return refund, invoice.payment_id

    async def _unknown(self, refund_id: UUID) -> RefundView:
        refund = await self._refunds.get(refund_id)
        if refund is None:
            raise InvoiceNotFound("The refund vanished.")
        refund.mark_unknown()
        await self._refunds.update(refund)
        await self._uow.commit()
        return RefundView(refund, None)

    async def settle(self, refund_id: UUID, answer: ProviderRefund) -> RefundView:
        """Record the provider's answer; shared with the reconciler of unknown refunds."""
        known = await self._refunds.get(refund_id)
        invoice = await self._invoices.get(known.invoice_id, for_update=True) if known else None
        refund = await self._refunds.get(refund_id)  # again, under the invoice's lock
        if refund is None or invoice is None:
            raise InvoiceNotFound("The refund's invoice vanished.")
        now = self._clock.now()
        refund.settle(answer.status, answer.provider_refund_id, now)
        note = None
        if refund.returns_money:
            earlier = await self._notes.for_invoice(invoice.id)
            sequence = await self._numbers.next(DocumentSeries.CREDIT_NOTE)
            note = CreditNote.issue(
                id=uuid4(),
                invoice=invoice,
                amount=refund.amount,
                earlier=earlier,
                number=DocumentNumber(DocumentSeries.CREDIT_NOTE, now.year, sequence),
                reason=refund.reason,
                now=now,
                refund_id=refund.id,
            )
            await self._notes.add(note)
            refund.attach_credit_note(note.id)
            back = await refund_given_back(self._sold, invoice, earlier, note)
            posting = ledger_postings.refund(refund.id, note.total, now, back)
            await post_publishing_earnings(self._ledger, self._outbox, posting)
            if invoice.order_id is not None:
                others = await self._refunds.for_invoice(invoice.id)
                returned = [r.amount for r in others if r.returns_money and r.id != refund.id]
                total = Money.total([*returned, refund.amount], invoice.currency)
                await self._orders.refunded_to(invoice.order_id, total, now)
        await self._refunds.update(refund)
        await self._uow.commit()
        return RefundView(refund, note)
