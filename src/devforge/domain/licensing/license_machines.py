"""The machine half of the License aggregate: seats, activation, deactivation, heartbeats.

Split from ``license.py`` only to keep each file readable; ``License`` is the one aggregate and
these methods run under its guards (status, expiry). The rules:
- a fingerprint activates a license at most once: a second activation returns the same machine;
- a new machine needs a free seat: fewer active machines than the limit plus the overage;
- a self-service deactivation spends the rolling 30-day allowance; an admin's never does;
- a heartbeat pings an active machine; for a culled machine within the revive window it revives
  it, which takes a seat like an activation;
- culling (heartbeat policies only) frees the seat of every machine silent for longer than the
  heartbeat interval plus the grace period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.licensing import errors, events
from devforge.domain.licensing.deactivation_allowance import wait_before_next, within_window
from devforge.domain.licensing.machine import Machine, MachineStatus, fingerprint_of
from devforge.domain.licensing.policy import ClockStart, Policy
from devforge.domain.licensing.terms import LicenseTerms
from devforge.domain.shared.events import EventRecorder

REVIVE_WINDOW = timedelta(hours=24)


class MachineSeats(EventRecorder):
    id: UUID
    terms: LicenseTerms
    machines: list[Machine]
    self_service_deactivations: list[datetime]

    @property
    def active_machines(self) -> list[Machine]:
        return [machine for machine in self.machines if machine.is_active]

    def machine_for(self, fingerprint: str) -> Machine | None:
        """The active machine with this fingerprint, if any."""
        return next((m for m in self.active_machines if m.fingerprint == fingerprint), None)

    def activate(self, fingerprint: str, now: datetime, *, machine_id: UUID, name: str = "") -> Machine:
        fingerprint = fingerprint_of(fingerprint)
        self._ensure_may_take_a_seat(now)
        existing = self.machine_for(fingerprint)
        if existing is not None:
            return existing
        self._ensure_a_seat_is_free()
        machine = Machine(id=machine_id, license_id=self.id, fingerprint=fingerprint, activated_at=now, name=name[:200])
        self.machines.append(machine)
        if self.policy.clock_start is ClockStart.FIRST_ACTIVATION:
            self._start_clock(now)
        activated = events.LicenseActivated(
            occurred_at=now, **self._ids(), machine_id=machine.id, fingerprint=fingerprint
        )
        self.record(activated)
        return machine

    def deactivate(
        self, now: datetime, *, self_service: bool, machine_id: UUID | None = None, fingerprint: str | None = None
    ) -> Machine:
        """Free one active machine's seat, named by its id or its fingerprint."""
        self._ensure_reachable(now)
        machine = next(
            (m for m in self.active_machines if m.id == machine_id or (fingerprint and m.fingerprint == fingerprint)),
            None,
        )
        if machine is None:
            raise errors.MachineNotFound("This license has no such active machine.", field="machine")
        if self_service:
            wait = wait_before_next(self.self_service_deactivations, self.terms.deactivation_allowance, now)
            if wait is not None:
                raise errors.DeactivationLimitExceeded(
                    "You have used this month's deactivations; support can reset your machines.",
                    retry_after_seconds=int(wait.total_seconds()) + 1,
                )
            self.self_service_deactivations = [*within_window(self.self_service_deactivations, now), now]
        machine.end(MachineStatus.DEACTIVATED, now)
        self.record(
            events.MachineDeactivated(occurred_at=now, **self._ids(), machine_id=machine.id, self_service=self_service)
        )
        return machine

    def reset_machines(self, now: datetime) -> list[Machine]:
        """The admin's reset: every seat freed at once, outside the self-service allowance."""
        return [self.deactivate(now, self_service=False, machine_id=m.id) for m in self.active_machines]

    def heartbeat(self, fingerprint: str, now: datetime, *, revive_window: timedelta = REVIVE_WINDOW) -> Machine:
        fingerprint = fingerprint_of(fingerprint)
        self._ensure_reachable(now)
        machine = self.machine_for(fingerprint)
        if machine is not None:
            machine.ping(now)
            return machine
        dead = [m for m in self.machines if m.fingerprint == fingerprint and m.is_revivable(now, revive_window)]
        if not dead:
            raise errors.MachineNotFound("This machine is not activated; activate it again.", field="fingerprint")
        self._ensure_may_take_a_seat(now)
        self._ensure_a_seat_is_free()
        machine = max(dead, key=lambda m: m.activated_at)
        machine.revive(now)
        self.record(events.MachineRevived(occurred_at=now, **self._ids(), machine_id=machine.id))
        return machine

    def cull_dead_machines(self, now: datetime, grace: timedelta) -> list[Machine]:
        if not self.policy.heartbeat_required:
            return []
        interval = self.policy.heartbeat_interval
        culled = [m for m in self.active_machines if m.is_cullable(now, interval, grace)]
        for machine in culled:
            machine.end(MachineStatus.DEAD, now)
            self.record(events.MachineHeartbeatDead(occurred_at=now, **self._ids(), machine_id=machine.id))
        return culled

    def _ensure_a_seat_is_free(self) -> None:
        allowance = self.terms.machine_allowance
        if allowance is not None and len(self.active_machines) >= allowance:
            raise errors.MachineLimitExceeded(
                f"Every seat of this license is taken ({allowance}); deactivate a machine first.", field="fingerprint"
            )

    # Provided by License: its guards and ids.
    @property
    def policy(self) -> Policy:
        return self.terms.policy

    def _ensure_reachable(self, now: datetime) -> None:
        raise NotImplementedError

    def _ensure_may_take_a_seat(self, now: datetime) -> None:
        raise NotImplementedError

    def _start_clock(self, now: datetime) -> bool:
        raise NotImplementedError

    def _ids(self) -> dict[str, UUID]:
        raise NotImplementedError
