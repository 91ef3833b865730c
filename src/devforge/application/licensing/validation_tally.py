"""Validations counted in memory on the request path, written later in batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(slots=True)
class Tallied:
    """What one license's validations add up to since the last drain."""

    validations: int = 0
    failures: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    first_failure_at: datetime | None = None
    last_failure_at: datetime | None = None
    last_failure_code: str = ""
    clock_pending: bool = False  # a FIRST_VALIDATION license whose term has not started yet

    def add(self, other: Tallied) -> None:
        self.validations += other.validations
        self.failures += other.failures
        self.first_at = _earliest(self.first_at, other.first_at)
        self.last_at = _latest(self.last_at, other.last_at)
        self.first_failure_at = _earliest(self.first_failure_at, other.first_failure_at)
        self.clock_pending = self.clock_pending or other.clock_pending
        if other.last_failure_at is not None and (
            self.last_failure_at is None or other.last_failure_at >= self.last_failure_at
        ):
            self.last_failure_at, self.last_failure_code = other.last_failure_at, other.last_failure_code


class ValidationTally:
    """One per process. ``count`` is a dict update, nothing more, so the validation path stays
    free of I/O; ``FlushValidationTally`` drains it every few seconds. A process that dies loses
    what it had not flushed yet (seconds of counts): counters are statistics, not money."""

    def __init__(self) -> None:
        self._licenses: dict[UUID, Tallied] = {}

    def count(self, license_id: UUID, *, valid: bool, code: str, at: datetime, clock_pending: bool = False) -> None:
        tallied = self._licenses.get(license_id)
        if tallied is None:
            tallied = self._licenses[license_id] = Tallied()
        tallied.add(
            Tallied(
                validations=1,
                failures=0 if valid else 1,
                first_at=at,
                last_at=at,
                first_failure_at=None if valid else at,
                last_failure_at=None if valid else at,
                last_failure_code="" if valid else code,
                clock_pending=clock_pending,
            )
        )

    def drain(self) -> dict[UUID, Tallied]:
        drained, self._licenses = self._licenses, {}
        return drained

    def restore(self, drained: dict[UUID, Tallied]) -> None:
        """Put back what a failed flush drained, merged with what was counted meanwhile."""
        for license_id, tallied in drained.items():
            current = self._licenses.get(license_id)
            if current is None:
                self._licenses[license_id] = tallied
            else:
                tallied.add(current)
                self._licenses[license_id] = tallied

    def __len__(self) -> int:
        return len(self._licenses)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)
