"""What the sandbox provider remembers (its own "database"): sessions, refunds and the events it
owes our webhook, on SQL (``SqlaSandboxStore``) or memory (``InMemorySandboxStore``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from devforge.application.billing.payment_gateway import CheckoutLine, PaymentProviderUnavailable


@dataclass(frozen=True, slots=True)
class SandboxSessionRecord:
    id: str
    idempotency_key: str
    order_id: UUID
    currency: str
    lines: tuple[CheckoutLine, ...]
    customer_email: str
    success_url: str
    cancel_url: str
    status: str  # "open" | "paid" | "declined"
    payment_id: str | None
    subscription_id: str | None
    created_at: datetime
    refunded: int = 0

    @property
    def total(self) -> int:
        return sum(line.unit_amount * line.quantity + line.tax_amount for line in self.lines)

    @property
    def recurring(self) -> bool:
        return any(line.recurring for line in self.lines)


@dataclass(frozen=True, slots=True)
class SandboxRefundRecord:
    id: str
    idempotency_key: str
    payment_id: str
    amount: int
    currency: str
    reason: str
    status: str  # "succeeded" | "failed"
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SandboxEventRecord:
    """``payload`` is the whole Stripe-shaped event, exactly as it is pushed and listed."""

    id: str
    created_at: datetime
    payload: dict[str, Any]
    delivered_at: datetime | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None


RefundEventFactory = Callable[[SandboxSessionRecord, int], SandboxEventRecord]


class SandboxStore(Protocol):
    """Each method is its own transaction. Any storage failure raises ``PaymentProviderUnavailable``."""

    async def add_session(self, session: SandboxSessionRecord) -> SandboxSessionRecord:
        """Stores ``session`` unless one with its idempotency key exists; answers the stored one."""
        ...

    async def get_session(self, session_id: str) -> SandboxSessionRecord | None: ...

    async def latest_session_for_order(self, order_id: UUID) -> SandboxSessionRecord | None: ...

    async def settle_session(
        self, session_id: str, settled: SandboxSessionRecord, events: list[SandboxEventRecord]
    ) -> bool:
        """Replaces an *open* session with ``settled`` and queues ``events``, at once; False if
        the session was not open any more (nothing changes)."""
        ...

    async def add_refund(self, refund: SandboxRefundRecord, event_for: RefundEventFactory) -> SandboxRefundRecord:
        """Answers the refund stored under the same idempotency key, if any. Else stores
        ``refund`` with its event (``event_for(session, refunded so far including this one)``)
        when its payment is paid and still holds ``amount``, or stores it as "failed"."""
        ...

    async def events_since(self, since: datetime) -> list[SandboxEventRecord]:
        """Oldest first."""
        ...

    async def due_events(self, now: datetime, limit: int) -> list[SandboxEventRecord]:
        """Undelivered events whose next attempt is due, oldest first."""
        ...

    async def mark_delivered(self, event_id: str, at: datetime) -> None: ...

    async def mark_failed(self, event_id: str, next_attempt_at: datetime | None) -> None:
        """Counts one more attempt; ``None`` gives up on the event."""
        ...


class InMemorySandboxStore:
    """``unavailable``: every call raises, as an unreachable provider would."""

    def __init__(self) -> None:
        self.sessions: dict[str, SandboxSessionRecord] = {}
        self.refunds: dict[str, SandboxRefundRecord] = {}
        self.events: dict[str, SandboxEventRecord] = {}
        self.unavailable = False

    def _check(self) -> None:
        if self.unavailable:
            raise PaymentProviderUnavailable("sandbox store unavailable")

    async def add_session(self, session: SandboxSessionRecord) -> SandboxSessionRecord:
        self._check()
        existing = next((s for s in self.sessions.values() if s.idempotency_key == session.idempotency_key), None)
        if existing is not None:
            return existing
        self.sessions[session.id] = session
        return session

    async def get_session(self, session_id: str) -> SandboxSessionRecord | None:
        self._check()
        return self.sessions.get(session_id)

    async def latest_session_for_order(self, order_id: UUID) -> SandboxSessionRecord | None:
        self._check()
        found = [s for s in self.sessions.values() if s.order_id == order_id]
        return max(found, key=lambda s: s.created_at) if found else None

    async def settle_session(
        self, session_id: str, settled: SandboxSessionRecord, events: list[SandboxEventRecord]
    ) -> bool:
        self._check()
        current = self.sessions.get(session_id)
        if current is None or current.status != "open":
            return False
        self.sessions[session_id] = settled
        self.events.update({event.id: event for event in events})
        return True

    async def add_refund(self, refund: SandboxRefundRecord, event_for: RefundEventFactory) -> SandboxRefundRecord:
        self._check()
        existing = next((r for r in self.refunds.values() if r.idempotency_key == refund.idempotency_key), None)
        if existing is not None:
            return existing
        session = next((s for s in self.sessions.values() if s.payment_id == refund.payment_id), None)
        if session is not None and refund_possible(session, refund):
            session = replace(session, refunded=session.refunded + refund.amount)
            self.sessions[session.id] = session
            event = event_for(session, session.refunded)
            self.events[event.id] = event
        else:
            refund = replace(refund, status="failed")
        self.refunds[refund.id] = refund
        return refund

    async def events_since(self, since: datetime) -> list[SandboxEventRecord]:
        self._check()
        return sorted((e for e in self.events.values() if e.created_at >= since), key=lambda e: (e.created_at, e.id))

    async def due_events(self, now: datetime, limit: int) -> list[SandboxEventRecord]:
        self._check()
        due = [
            e for e in self.events.values() if e.delivered_at is None and e.next_attempt_at and e.next_attempt_at <= now
        ]
        return sorted(due, key=lambda e: (e.created_at, e.id))[:limit]

    async def mark_delivered(self, event_id: str, at: datetime) -> None:
        self._check()
        self.events[event_id] = replace(self.events[event_id], delivered_at=at, next_attempt_at=None)

    async def mark_failed(self, event_id: str, next_attempt_at: datetime | None) -> None:
        self._check()
        event = self.events[event_id]
        self.events[event_id] = replace(event, attempts=event.attempts + 1, next_attempt_at=next_attempt_at)


def refund_possible(session: SandboxSessionRecord, refund: SandboxRefundRecord) -> bool:
    return (
        session.status == "paid"
        and session.currency == refund.currency
        and 0 < refund.amount <= session.total - session.refunded
    )
