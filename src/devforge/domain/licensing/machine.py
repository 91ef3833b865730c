"""Machines: the devices a license is activated on, one per fingerprint.

A machine is ACTIVE (holds a seat), DEACTIVATED (freed by its owner or an admin; final) or
DEAD (culled after missing heartbeats; its seat is free, and a heartbeat within the revive
window brings it back if a seat is still free).

Heartbeats, for policies that require them: a machine that never pinged is NOT_STARTED; one
whose last ping is older than the interval is DEAD to validation at once, and is culled (loses
its seat) once the interval plus the grace period has passed since its last ping, or since its
activation if it never pinged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.licensing.errors import FingerprintInvalid

MAX_FINGERPRINT_LENGTH = 255


def fingerprint_of(raw: str) -> str:
    """Fingerprints are opaque to us: trimmed, 1 to 255 printable characters, case kept."""
    fingerprint = raw.strip()
    if not 1 <= len(fingerprint) <= MAX_FINGERPRINT_LENGTH or not fingerprint.isprintable():
        raise FingerprintInvalid("A fingerprint is 1 to 255 printable characters.", field="fingerprint")
    return fingerprint


class MachineStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DEACTIVATED = "DEACTIVATED"
    DEAD = "DEAD"


class HeartbeatStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    ALIVE = "ALIVE"
    DEAD = "DEAD"


@dataclass(eq=False)
class Machine:
    id: UUID
    license_id: UUID
    fingerprint: str
    activated_at: datetime
    name: str = ""
    status: MachineStatus = MachineStatus.ACTIVE
    last_heartbeat_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status is MachineStatus.ACTIVE

    def heartbeat_status(self, now: datetime, interval: timedelta) -> HeartbeatStatus:
        if self.last_heartbeat_at is None:
            return HeartbeatStatus.NOT_STARTED
        return HeartbeatStatus.DEAD if now > self.last_heartbeat_at + interval else HeartbeatStatus.ALIVE

    def is_cullable(self, now: datetime, interval: timedelta, grace: timedelta) -> bool:
        since = self.last_heartbeat_at or self.activated_at
        return self.is_active and now > since + interval + grace

    def is_revivable(self, now: datetime, window: timedelta) -> bool:
        return self.status is MachineStatus.DEAD and self.ended_at is not None and now <= self.ended_at + window

    def ping(self, now: datetime) -> None:
        self.last_heartbeat_at = now

    def end(self, status: MachineStatus, now: datetime) -> None:
        self.status = status
        self.ended_at = now

    def revive(self, now: datetime) -> None:
        self.status = MachineStatus.ACTIVE
        self.ended_at = None
        self.last_heartbeat_at = now
