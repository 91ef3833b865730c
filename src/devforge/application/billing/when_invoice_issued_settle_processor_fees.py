"""When a sale's invoice is issued (its payment succeeded and the fee estimate is posted), ask
the provider for the real fee and true the estimate up (``SettleProcessorFees``). A fee the
provider does not know yet stays open for ``charge.updated`` or the periodic sweep; the provider
not answering raises, and the delivery is retried."""

from __future__ import annotations

from devforge.application.billing.published import InvoiceIssuedV1
from devforge.application.billing.settle_processor_fees import SettleProcessorFees
from devforge.application.common.integration_events import EventEnvelope


class WhenInvoiceIssuedSettleProcessorFees:
    name = "billing.settle_processor_fees"
    subscribes_to = (InvoiceIssuedV1,)

    def __init__(self, fees: SettleProcessorFees) -> None:
        self._fees = fees

    async def handle(self, event: EventEnvelope) -> None:
        order_id = InvoiceIssuedV1.decode(event).order_id
        if order_id is not None:
            await self._fees.of_order(order_id)
