"""What the use cases answer: read-only views of licenses and machines (no digest, never a key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.licensing.ports import LicenseUsage
from devforge.domain.licensing.license import License
from devforge.domain.licensing.machine import Machine


@dataclass(frozen=True, slots=True)
class MachineView:
    id: UUID
    fingerprint: str
    name: str
    status: str
    activated_at: datetime
    last_heartbeat_at: datetime | None

    @classmethod
    def of(cls, m: Machine) -> MachineView:
        return cls(m.id, m.fingerprint, m.name, m.status.value, m.activated_at, m.last_heartbeat_at)


@dataclass(frozen=True, slots=True)
class LicenseView:
    id: UUID
    user_id: UUID
    product_id: UUID
    policy_id: UUID
    key_prefix: str
    status: str
    created_at: datetime
    expires_at: datetime | None
    max_machines: int | None
    entitlements: tuple[str, ...]
    machines: tuple[MachineView, ...]
    usage: LicenseUsage | None = None

    @classmethod
    def of(cls, license: License, usage: LicenseUsage | None = None) -> LicenseView:
        return cls(
            id=license.id,
            user_id=license.user_id,
            product_id=license.product_id,
            policy_id=license.policy.id,
            key_prefix=license.key_prefix,
            status=license.status.value,
            created_at=license.created_at,
            expires_at=license.expires_at,
            max_machines=license.terms.max_machines,
            entitlements=tuple(sorted(license.terms.entitlements)),
            machines=tuple(MachineView.of(m) for m in license.active_machines),
            usage=usage,
        )


@dataclass(frozen=True, slots=True)
class GeneratedLicense:
    """The only answer that carries the full key: it is shown once and stored as a digest."""

    license: LicenseView
    key: str
