"""The delivery ledger: one row per (event, consumer), the record of at-least-once delivery
turned into exactly-once effect."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    DEAD = "dead"


@dataclass(slots=True)
class Delivery:
    """A consumer's claim on one event. Once DONE or DEAD it never runs again, so a redelivered
    job changes nothing; each failure pushes the next attempt back exponentially, and the
    ``max_attempts``-th failure moves it to the dead-letter list."""

    event_id: UUID
    consumer: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None = None
    updated_at: datetime | None = None

    def succeed(self, now: datetime) -> None:
        self.status = DeliveryStatus.DONE
        self.updated_at = now

    def fail(self, *, error: str, now: datetime, max_attempts: int, base_delay: timedelta) -> None:
        self.attempts += 1
        self.last_error = error[:2000]
        self.updated_at = now
        if self.attempts >= max_attempts:
            self.status = DeliveryStatus.DEAD
        else:
            backoff = min(base_delay * (2 ** (self.attempts - 1)), timedelta(hours=1))
            self.next_attempt_at = now + backoff

    def postpone(self, *, error: str, now: datetime, delay: timedelta) -> None:
        """A server the consumer needs was unreachable: try again after ``delay`` without using
        up an attempt, so an outage of any length never turns work into a dead letter."""
        self.last_error = error[:2000]
        self.updated_at = now
        self.next_attempt_at = now + delay

    def revive(self, now: datetime) -> None:
        """An operator sends a dead letter back for another full round of attempts."""
        self.status = DeliveryStatus.PENDING
        self.attempts = 0
        self.next_attempt_at = now
        self.updated_at = now


class DeliveryLedger(Protocol):
    """Transactional, like the outbox it sits beside."""

    async def open(self, deliveries: Sequence[Delivery]) -> None:
        """Insert deliveries; one that already exists for (event, consumer) is left as it is."""
        ...

    async def get(self, event_id: UUID, consumer: str, *, for_update: bool = False) -> Delivery | None: ...

    async def save(self, delivery: Delivery) -> None: ...

    async def get_many(self, event_ids: Sequence[UUID], consumer: str, *, for_update: bool = False) -> list[Delivery]:
        """The consumer's deliveries of these events that exist, locked in event-id order with
        ``for_update`` (so two batches never wait on each other in a circle)."""
        ...

    async def save_many(self, deliveries: Sequence[Delivery]) -> None: ...

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        *,
        lease_until: datetime,
        only: Collection[str] | None = None,
        skipping: Collection[str] = (),
    ) -> list[Delivery]:
        """Up to ``limit`` pending deliveries whose next attempt is due, oldest first, with their
        next attempt pushed to ``lease_until``: until then no other worker claims them. Rows
        another transaction holds locked (a delivery running elsewhere) are skipped, not waited
        for. Returned as they are after the push. ``only`` takes the deliveries of those consumers
        alone, ``skipping`` leaves those consumers' deliveries out (the worker's batch lanes)."""
        ...

    async def list_by_status(self, status: DeliveryStatus, limit: int) -> list[Delivery]: ...
