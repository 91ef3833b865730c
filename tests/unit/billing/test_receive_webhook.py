"""The webhook's way in: a body whose signature does not hold is refused with nothing written;
one that holds is taken in once (a second delivery of the same event is not new)."""

from __future__ import annotations

from datetime import datetime

import pytest

from devforge.application.billing.payment_gateway import ProviderEvent, WebhookRejected
from devforge.application.billing.ports import ProviderEventInbox
from devforge.application.billing.receive_provider_event import ReceiveProviderEvent, ReceiveWebhook
from devforge.application.common.clock import Clock
from tests.unit.billing.purchase_world import purchase_world


class FakeWebhookVerifier:
    """Holds only the signature ``good``, and only at the time it was told to expect."""

    def __init__(self, expected_at: datetime) -> None:
        self.expected_at = expected_at

    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        if signature_header != "good" or now != self.expected_at:
            raise WebhookRejected("signature mismatch")
        return ProviderEvent(payload.decode(), "payment.succeeded", now, None, "pi_1", 100, "eur", "pi_1", None, None)


async def test_a_webhook_is_taken_in_only_when_its_signature_holds_at_arrival() -> None:
    world = await purchase_world()
    verifier = FakeWebhookVerifier(world.clock.now())

    async def deliver(body: bytes, signature: str | None) -> bool:
        async with world.container() as scope:
            receive = ReceiveWebhook(verifier, await scope.get(ReceiveProviderEvent), await scope.get(Clock))
            return await receive(body, signature)

    for signature in ("forged", None):
        with pytest.raises(WebhookRejected) as rejected:
            await deliver(b"evt_1", signature)
        assert rejected.value.field == "Stripe-Signature"
    async with world.container() as scope:
        assert await (await scope.get(ProviderEventInbox)).latest_received_at() is None
    assert await deliver(b"evt_1", "good") is True
    assert await deliver(b"evt_1", "good") is False
