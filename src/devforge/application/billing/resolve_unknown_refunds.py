"""Settle refunds whose provider call timed out: ask again with the same idempotency key, so the
provider answers the refund it already made (or makes it once), never a second one."""

from __future__ import annotations

from devforge.application.billing.invoice_ports import InvoiceRepository, RefundRepository
from devforge.application.billing.payment_gateway import PaymentGateway, PaymentProviderUnavailable, RefundRequest
from devforge.application.billing.refund_order import RefundOrderHandler
from devforge.application.common.unit_of_work import UnitOfWork


class ResolveUnknownRefunds:
    def __init__(
        self,
        uow: UnitOfWork,
        refunds: RefundRepository,
        invoices: InvoiceRepository,
        gateway: PaymentGateway,
        refund_order: RefundOrderHandler,
    ) -> None:
        self._uow, self._refunds, self._invoices, self._gateway = uow, refunds, invoices, gateway
        self._refund_order = refund_order

    async def __call__(self, *, limit: int = 50) -> int:
        """How many were settled; those the provider still does not answer stay unknown."""
        settled = 0
        for refund in await self._refunds.unknown(limit=limit):
            invoice = await self._invoices.get(refund.invoice_id)
            await self._uow.rollback()
            if invoice is None or invoice.payment_id is None:
                continue
            request = RefundRequest(
                provider_payment_id=invoice.payment_id,
                amount=refund.amount.amount_minor,
                currency=refund.amount.currency.code,
                idempotency_key=refund.idempotency_key,
                reason=refund.reason,
            )
            try:
                answer = await self._gateway.refund(request)
            except PaymentProviderUnavailable:
                continue
            await self._refund_order.settle(refund.id, answer)
            settled += 1
        return settled
