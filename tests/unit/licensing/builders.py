"""Builders for licensing tests: a policy with sensible defaults, and a license issued from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.policy import LimitOverrides, Policy
from devforge.domain.licensing.terms import LicenseTerms

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
PRODUCT_ID = UUID("00000000-0000-4000-8000-000000000001")


def policy(**overrides: Any) -> Policy:
    values: dict[str, Any] = {"id": uuid4(), "product_id": PRODUCT_ID, "name": "Pro", "deactivation_allowance": None}
    return Policy(**(values | overrides))


def issued(
    terms: Policy | None = None,
    *,
    now: datetime = NOW,
    limits: LimitOverrides | None = None,
    entitlements: frozenset[str] = frozenset(),
) -> License:
    license = License.issue(
        license_id=uuid4(),
        user_id=uuid4(),
        terms=LicenseTerms(
            policy=terms or policy(), overrides=limits or LimitOverrides(), extra_entitlements=entitlements
        ),
        key=LicenseKey.generate(),
        key_digest="hmac-sha256:digest",
        now=now,
    )
    license.pull_events()
    return license


def activated(license: License, *fingerprints: str, now: datetime = NOW) -> License:
    for fingerprint in fingerprints:
        license.activate(fingerprint, now, machine_id=uuid4())
    return license
