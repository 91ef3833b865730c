"""Plain JSON values for policies and licenses: the policy snapshot a license row keeps, and the
license the validation cache holds. Explicit on purpose (no pickle: a cache is no place to
deserialize code from)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.machine import Machine, MachineStatus
from devforge.domain.licensing.policy import (
    ClockStart,
    ExpirationStrategy,
    LimitOverrides,
    Overage,
    Policy,
    RenewalBasis,
)
from devforge.domain.licensing.terms import LicenseTerms

_SECONDS = ("duration", "heartbeat_interval", "check_in_interval")
_ENUMS: dict[str, Any] = {
    "expiration_strategy": ExpirationStrategy,
    "clock_start": ClockStart,
    "renewal_basis": RenewalBasis,
    "overage": Overage,
}
_PLAIN = (
    "name", "max_machines", "max_uses", "floating", "strict", "require_product_scope",
    "require_fingerprint_scope", "require_entitlements_scope", "heartbeat_required", "deactivation_allowance",
)  # fmt: skip


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    values: dict[str, Any] = {"id": str(policy.id), "product_id": str(policy.product_id)}
    values |= {name: getattr(policy, name) for name in _PLAIN}
    values |= {name: _seconds(getattr(policy, name)) for name in _SECONDS}
    values |= {name: getattr(policy, name).value for name in _ENUMS}
    return values | {"entitlements": sorted(policy.entitlements)}


def policy_from_dict(values: dict[str, Any]) -> Policy:
    fields: dict[str, Any] = {name: values[name] for name in _PLAIN}
    fields |= {name: _delta(values[name]) for name in _SECONDS}
    fields |= {name: kind(values[name]) for name, kind in _ENUMS.items()}
    entitlements = frozenset(values["entitlements"])
    return Policy(id=UUID(values["id"]), product_id=UUID(values["product_id"]), entitlements=entitlements, **fields)


def license_to_bytes(license: License) -> bytes:
    terms = license.terms
    values = {
        "id": str(license.id),
        "user_id": str(license.user_id),
        "policy": policy_to_dict(terms.policy),
        "overrides": [terms.overrides.max_machines, terms.overrides.max_uses, terms.overrides.deactivation_allowance],
        "extra_entitlements": sorted(terms.extra_entitlements),
        "key_digest": license.key_digest,
        "key_prefix": license.key_prefix,
        "created_at": _iso(license.created_at),
        "order_id": str(license.order_id) if license.order_id else None,
        "status": license.status.value,
        "expires_at": _iso(license.expires_at),
        "machines": [_machine(m) for m in license.machines],
        "uses": license.uses,
        "last_check_in_at": _iso(license.last_check_in_at),
        "self_service_deactivations": [_iso(at) for at in license.self_service_deactivations],
        "suspend_reason": license.suspend_reason,
        "revoked_at": _iso(license.revoked_at),
        "revoke_reason": license.revoke_reason,
        "expiring_notice_for": _iso(license.expiring_notice_for),
        "expired_notice_for": _iso(license.expired_notice_for),
        "version": license.version,
    }
    return json.dumps(values, separators=(",", ":")).encode("utf-8")


def license_from_bytes(raw: bytes) -> License:
    v = json.loads(raw)
    max_machines, max_uses, allowance = v["overrides"]
    overrides = LimitOverrides(max_machines=max_machines, max_uses=max_uses, deactivation_allowance=allowance)
    return License(
        id=UUID(v["id"]),
        user_id=UUID(v["user_id"]),
        terms=LicenseTerms(
            policy=policy_from_dict(v["policy"]),
            overrides=overrides,
            extra_entitlements=frozenset(v["extra_entitlements"]),
        ),
        key_digest=v["key_digest"],
        key_prefix=v["key_prefix"],
        created_at=_at(v["created_at"]),
        order_id=UUID(v["order_id"]) if v["order_id"] else None,
        status=LicenseStatus(v["status"]),
        expires_at=_maybe_at(v["expires_at"]),
        machines=[_machine_from(m, UUID(v["id"])) for m in v["machines"]],
        uses=v["uses"],
        last_check_in_at=_maybe_at(v["last_check_in_at"]),
        self_service_deactivations=[_at(at) for at in v["self_service_deactivations"]],
        suspend_reason=v["suspend_reason"],
        revoked_at=_maybe_at(v["revoked_at"]),
        revoke_reason=v["revoke_reason"],
        expiring_notice_for=_maybe_at(v.get("expiring_notice_for")),
        expired_notice_for=_maybe_at(v.get("expired_notice_for")),
        version=v["version"],
    )


def _machine(m: Machine) -> dict[str, Any]:
    return {
        "id": str(m.id),
        "fingerprint": m.fingerprint,
        "name": m.name,
        "status": m.status.value,
        "activated_at": _iso(m.activated_at),
        "last_heartbeat_at": _iso(m.last_heartbeat_at),
        "ended_at": _iso(m.ended_at),
    }


def _machine_from(v: dict[str, Any], license_id: UUID) -> Machine:
    return Machine(
        id=UUID(v["id"]),
        license_id=license_id,
        fingerprint=v["fingerprint"],
        activated_at=_at(v["activated_at"]),
        name=v["name"],
        status=MachineStatus(v["status"]),
        last_heartbeat_at=_maybe_at(v["last_heartbeat_at"]),
        ended_at=_maybe_at(v["ended_at"]),
    )


def _seconds(delta: timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds()


def _delta(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=seconds)


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _maybe_at(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
