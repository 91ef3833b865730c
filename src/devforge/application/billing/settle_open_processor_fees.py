"""The periodic sweep of processor fees: estimates still open after a while (the provider had no
balance transaction when the sale was invoiced, and its ``charge.updated`` was missed) are asked
again, in one transaction. Only the last ``GIVE_UP_AFTER`` days are swept, so estimates the
provider never prices (they stay open, and the reconciliation shows them) cannot crowd newer
ones out of the batch."""

from __future__ import annotations

from datetime import timedelta

from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.settle_processor_fees import SettleProcessorFees
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork

SETTLE_AFTER = timedelta(minutes=5)
GIVE_UP_AFTER = timedelta(days=30)


class SettleOpenProcessorFees:
    def __init__(self, uow: UnitOfWork, fees: SettleProcessorFees, clock: Clock) -> None:
        self._uow, self._fees, self._clock = uow, fees, clock

    async def __call__(self, *, limit: int = 100) -> int:
        """How many were settled; a provider not answering leaves them for the next sweep."""
        try:
            now = self._clock.now()
            settled = await self._fees.open_before(now - SETTLE_AFTER, since=now - GIVE_UP_AFTER, limit=limit)
        except PaymentProviderUnavailable:
            await self._uow.rollback()
            return 0
        await self._uow.commit()
        return settled
