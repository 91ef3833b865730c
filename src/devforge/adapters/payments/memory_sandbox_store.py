"""The sandbox provider's "database" in memory (tests, and the sandbox page of a profile that
does not use the sandbox)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from devforge.adapters.payments.sandbox_store import (
    RefundEventFactory,
    SandboxDisputeRecord,
    SandboxEventRecord,
    SandboxRefundRecord,
    SandboxSessionRecord,
    refund_possible,
)
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable


class InMemorySandboxStore:
    """``unavailable``: every call raises, as an unreachable provider would."""

    def __init__(self) -> None:
        self.sessions: dict[str, SandboxSessionRecord] = {}
        self.refunds: dict[str, SandboxRefundRecord] = {}
        self.events: dict[str, SandboxEventRecord] = {}
        self.disputes: dict[str, SandboxDisputeRecord] = {}
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

    async def settled_between(
        self, start: datetime, end: datetime
    ) -> tuple[list[SandboxSessionRecord], list[SandboxRefundRecord]]:
        self._check()
        paid = [s for s in self.sessions.values() if s.paid_at is not None and start <= s.paid_at < end]
        refunds = [r for r in self.refunds.values() if r.status == "succeeded" and start <= r.created_at < end]
        return paid, refunds

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

    async def find_session(
        self, *, payment_id: str | None = None, subscription_id: str | None = None, invoice_id: str | None = None
    ) -> SandboxSessionRecord | None:
        self._check()
        wanted = {"payment_id": payment_id, "subscription_id": subscription_id, "invoice_id": invoice_id}
        field, value = next((name, value) for name, value in wanted.items() if value is not None)
        return next((s for s in self.sessions.values() if getattr(s, field) == value), None)

    async def end_subscription(self, subscription_id: str, event: SandboxEventRecord) -> bool:
        session = await self.find_session(subscription_id=subscription_id)
        if session is None or session.subscription_status != "active":
            return False
        self.sessions[session.id] = replace(session, subscription_status="ended")
        self.events[event.id] = event
        return True

    async def add_dispute(self, dispute: SandboxDisputeRecord, event: SandboxEventRecord) -> None:
        self._check()
        self.disputes[dispute.id] = dispute
        self.events[event.id] = event

    async def get_dispute(self, dispute_id: str) -> SandboxDisputeRecord | None:
        self._check()
        return self.disputes.get(dispute_id)

    async def disputes_of(self, payment_id: str) -> list[SandboxDisputeRecord]:
        self._check()
        found = [d for d in self.disputes.values() if d.payment_id == payment_id]
        return sorted(found, key=lambda d: (d.created_at, d.id))

    async def close_dispute(self, dispute_id: str, status: str, event: SandboxEventRecord) -> bool:
        self._check()
        dispute = self.disputes.get(dispute_id)
        if dispute is None or dispute.status != "open":
            return False
        self.disputes[dispute_id] = replace(dispute, status=status)
        self.events[event.id] = event
        return True

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
