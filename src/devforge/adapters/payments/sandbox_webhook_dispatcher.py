"""Pushes the sandbox's queued events to our webhook endpoint, signed as Stripe signs them.

Delivery is at least once and survives restarts (the queue is the sandbox store): an answer
other than 2xx, or no answer, is retried after 2, 4, 8... seconds (at most an hour apart), and
given up after ``max_attempts``; a given-up event can still be replayed with ``events_since``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import structlog

from devforge.adapters.payments.sandbox_store import SandboxEventRecord, SandboxStore
from devforge.adapters.payments.stripe_signature import SIGNATURE_HEADER, sign

log = structlog.get_logger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class SandboxWebhookDispatcher:
    def __init__(
        self,
        store: SandboxStore,
        webhook_url: str,
        secret: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        now: Callable[[], datetime] = _now,
        max_attempts: int = 12,
        batch: int = 50,
    ) -> None:
        self._store, self._url, self._secret = store, webhook_url, secret
        self._transport, self._now = transport, now
        self._max_attempts, self._batch = max_attempts, batch

    async def dispatch_due(self) -> int:
        due = await self._store.due_events(self._now(), self._batch)
        if not due:
            return 0
        delivered = 0
        async with httpx.AsyncClient(transport=self._transport, timeout=10) as client:
            for event in due:
                if await self._push(client, event):
                    await self._store.mark_delivered(event.id, self._now())
                    delivered += 1
                else:
                    await self._store.mark_failed(event.id, self._retry_at(event))
        return delivered

    async def _push(self, client: httpx.AsyncClient, event: SandboxEventRecord) -> bool:
        body = json.dumps(event.payload, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, self._secret, int(self._now().timestamp())),
        }
        try:
            answer = await client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as error:
            log.warning("sandbox_webhook_unreachable", event_id=event.id, error=type(error).__name__)
            return False
        if answer.is_success:
            return True
        log.warning("sandbox_webhook_refused", event_id=event.id, status=answer.status_code)
        return False

    def _retry_at(self, event: SandboxEventRecord) -> datetime | None:
        attempts = event.attempts + 1
        if attempts >= self._max_attempts:
            log.error("sandbox_webhook_given_up", event_id=event.id, attempts=attempts)
            return None
        return self._now() + timedelta(seconds=min(2**attempts, 3600))


class NoWebhooksToDispatch:
    """Providers that push their own webhooks (Stripe) or none (memory)."""

    async def dispatch_due(self) -> int:
        return 0
