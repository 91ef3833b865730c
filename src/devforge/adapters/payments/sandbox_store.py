"""What the sandbox provider remembers (its own "database"): sessions (a paid one with its
payment, its first invoice and its subscription), refunds, disputes and the events it owes our
webhook, on SQL (``SqlaSandboxStore``) or memory (``InMemorySandboxStore``, in
``memory_sandbox_store``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from devforge.application.billing.payment_gateway import CheckoutLine


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
    invoice_id: str | None = None
    paid_at: datetime | None = None
    subscription_status: str | None = None  # "active" | "ended"

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
class SandboxDisputeRecord:
    id: str
    payment_id: str
    amount: int
    currency: str
    status: str  # "open" | "won" | "lost"
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

    async def find_session(
        self, *, payment_id: str | None = None, subscription_id: str | None = None, invoice_id: str | None = None
    ) -> SandboxSessionRecord | None:
        """The session that made this payment, subscription or invoice."""
        ...

    async def end_subscription(self, subscription_id: str, event: SandboxEventRecord) -> bool:
        """Ends an active subscription and queues ``event``, at once; False if it was not active."""
        ...

    async def add_dispute(self, dispute: SandboxDisputeRecord, event: SandboxEventRecord) -> None:
        """Stores the dispute and queues its event, at once."""
        ...

    async def get_dispute(self, dispute_id: str) -> SandboxDisputeRecord | None: ...

    async def disputes_of(self, payment_id: str) -> list[SandboxDisputeRecord]:
        """Oldest first."""
        ...

    async def close_dispute(self, dispute_id: str, status: str, event: SandboxEventRecord) -> bool:
        """Closes an *open* dispute as ``status`` and queues ``event``, at once; False otherwise."""
        ...

    async def events_since(self, since: datetime) -> list[SandboxEventRecord]:
        """Oldest first."""
        ...

    async def settled_between(
        self, start: datetime, end: datetime
    ) -> tuple[list[SandboxSessionRecord], list[SandboxRefundRecord]]:
        """Sessions paid and refunds succeeded in ``[start, end)`` (the balance's movements)."""
        ...

    async def due_events(self, now: datetime, limit: int) -> list[SandboxEventRecord]:
        """Undelivered events whose next attempt is due, oldest first."""
        ...

    async def mark_delivered(self, event_id: str, at: datetime) -> None: ...

    async def mark_failed(self, event_id: str, next_attempt_at: datetime | None) -> None:
        """Counts one more attempt; ``None`` gives up on the event."""
        ...


def refund_possible(session: SandboxSessionRecord, refund: SandboxRefundRecord) -> bool:
    return (
        session.status == "paid"
        and session.currency == refund.currency
        and 0 < refund.amount <= session.total - session.refunded
    )
