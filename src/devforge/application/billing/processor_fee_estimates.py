"""The processor's fee at a sale: estimated from the configured rate and posted with the sale, in
the same transaction (``fee:<payment>``), and kept for the true-up (``SettleProcessorFees``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.billing.fee_ports import ProcessorFeeRepository
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import FeeSchedule, ProcessorFee


class ProcessorFeeEstimates:
    def __init__(self, fees: ProcessorFeeRepository, ledger: LedgerRepository, schedule: FeeSchedule) -> None:
        self._fees, self._ledger, self._schedule = fees, ledger, schedule

    async def post(self, payment_id: str | None, order_id: UUID, charged: Money, at: datetime) -> None:
        """Once per payment: a redelivered sale finds the payment's estimate and posts nothing.
        A sale without a payment (nothing was charged through the processor) has no fee."""
        if payment_id is None:
            return
        fee = ProcessorFee.estimate(payment_id, order_id, charged, self._schedule, at)
        if not await self._fees.add(fee):
            return
        posting = fee.estimate_posting()
        if posting is not None:
            await self._ledger.post(posting)
