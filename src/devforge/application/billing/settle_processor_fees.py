"""The true-up of processor fees: when the provider reports the real fee of a payment (its
balance transaction), the difference from the estimate posted at the sale goes to the ledger,
once (``ProcessorFee.settle``; the row is locked while it is settled, and the posting is keyed
by the payment).

It is asked from three places, so every fee is settled whichever comes first, and any of them
again changes nothing: the invoice of a sale just issued (the payment succeeded; usually the
provider knows its fee already), the provider's ``charge.updated`` (an asynchronous capture's
balance transaction arrived) or ``balance.available``, and a periodic sweep of the estimates
still open. The provider is asked before anything is locked; a provider that does not answer
raises ``PaymentProviderUnavailable`` (the caller retries), one that has no balance transaction
yet leaves the estimate open. The caller's transaction is not committed here.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.billing.fee_ports import ProcessorFeeRepository
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.common.clock import Clock
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import ProcessorFee, ReportedFee


class SettleProcessorFees:
    def __init__(
        self, fees: ProcessorFeeRepository, ledger: LedgerRepository, gateway: PaymentGateway, clock: Clock
    ) -> None:
        self._fees, self._ledger, self._gateway, self._clock = fees, ledger, gateway, clock

    async def of_order(self, order_id: UUID) -> int:
        """Settles the order's open estimates the provider can price now; how many."""
        return await self._each(await self._fees.unsettled(order_id=order_id, limit=100))

    async def open_before(self, before: datetime, *, since: datetime | None = None, limit: int = 100) -> int:
        """Open estimates made in ``[since, before)``, oldest first."""
        return await self._each(await self._fees.unsettled(before=before, since=since, limit=limit))

    async def of_payment(self, reference: str) -> str:
        """``reference``: a payment or a charge id (what a ``charge.updated`` names)."""
        found = await self._gateway.balance_transaction(reference)
        if found is None:
            return "fee pending: no balance transaction yet"
        payment_id = found.payment_id or reference
        fee = await self._fees.get(payment_id, for_update=True)
        if fee is None:
            return "fee pending: no sale posted yet"
        return await self._settle(fee, ReportedFee(found.transaction_id, Money.of(found.fee, found.currency)))

    async def _each(self, open_fees: list[ProcessorFee]) -> int:
        settled = 0
        for open_fee in open_fees:
            found = await self._gateway.balance_transaction(open_fee.payment_id)
            fee = await self._fees.get(open_fee.payment_id, for_update=True) if found else None
            if found is None or fee is None:
                continue
            if await self._settle(fee, ReportedFee(found.transaction_id, Money.of(found.fee, found.currency))):
                settled += 1
        return settled

    async def _settle(self, fee: ProcessorFee, reported: ReportedFee) -> str:
        if fee.settled:
            return ""
        true_up = fee.settle(reported, self._clock.now())
        await self._fees.update(fee)
        if true_up is not None:
            await self._ledger.post(true_up)
            return f"fee trued up: estimated {fee.estimated}, actual {fee.actual}"
        return "fee settled as estimated"
