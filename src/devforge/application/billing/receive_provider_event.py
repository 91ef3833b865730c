"""Take in a provider event: store it once, answer fast, apply it later in the worker. It comes
by the webhook (``ReceiveWebhook``: checked against its signature first) or by a replay.

The inbox is keyed by the provider's event id, so a duplicate delivery (the provider retries,
or a replay overlaps a webhook) stores nothing and records nothing. A new event is stored with
a ``billing.provider_event_received`` outbox event in the same transaction; the worker's
``ProcessProviderEvent`` applies it, with the delivery ledger's retries behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.application.billing.payment_gateway import PaymentGateway, ProviderEvent, WebhookVerifier
from devforge.application.billing.ports import InboxEntry, ProviderEventInbox
from devforge.application.billing.provider_events import event_to_json
from devforge.application.billing.publication import PUBLICATION
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.events import ProviderEventReceived


class ReceiveProviderEvent:
    def __init__(self, uow: UnitOfWork, inbox: ProviderEventInbox, outbox: Outbox, clock: Clock) -> None:
        self._uow, self._inbox, self._outbox, self._clock = uow, inbox, outbox, clock

    async def __call__(self, event: ProviderEvent) -> bool:
        """True when the event was new."""
        now = self._clock.now()
        entry = InboxEntry(
            id=uuid4(), provider_event_id=event.event_id, type=event.type, received_at=now, payload=event_to_json(event)
        )
        if not await self._inbox.add(entry):
            await self._uow.rollback()
            return False
        await self._outbox.add([PUBLICATION.envelope(ProviderEventReceived(occurred_at=now, inbox_id=entry.id))])
        await self._uow.commit()
        return True


class ReceiveWebhook:
    """The provider's webhook: the signature header over the raw body, checked at the time of
    arrival (secrets rotate; a stale timestamp is refused), before the event is taken in. A bad
    one raises ``WebhookRejected`` and nothing is written."""

    def __init__(self, verifier: WebhookVerifier, receive: ReceiveProviderEvent, clock: Clock) -> None:
        self._verifier, self._receive, self._clock = verifier, receive, clock

    async def __call__(self, body: bytes, signature_header: str | None) -> bool:
        """True when the event was new."""
        return await self._receive(self._verifier.verify(body, signature_header, self._clock.now()))


class ReplayProviderEvents:
    """Fetch the provider's events since a moment (by default the last one received, less an
    hour) and take each in like a webhook; those already in are ignored. Recovers lost webhooks."""

    def __init__(self, gateway: PaymentGateway, inbox: ProviderEventInbox, receive: ReceiveProviderEvent) -> None:
        self._gateway, self._inbox, self._receive = gateway, inbox, receive

    async def __call__(self, since: datetime | None = None) -> int:
        start = since
        if start is None:
            latest = await self._inbox.latest_received_at()
            start = latest - timedelta(hours=1) if latest else datetime(1970, 1, 1, tzinfo=UTC)
        taken = 0
        for event in await self._gateway.events_since(start):
            taken += int(await self._receive(event))
        return taken
