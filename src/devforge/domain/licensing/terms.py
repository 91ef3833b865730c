"""A license's terms: the policy snapshot it was issued from, its overrides, its extra entitlements.

An override replaces one limit of the policy for this license alone (a customer bought more
seats, support granted extra deactivations); ``None`` keeps the policy's value. A node-locked
license stays on one machine whatever the override. Entitlements add up: the policy's and the
license's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from devforge.domain.licensing.entitlement import entitlement_codes
from devforge.domain.licensing.errors import PolicyInvalid
from devforge.domain.licensing.policy import LimitOverrides, Policy


@dataclass(frozen=True, kw_only=True)
class LicenseTerms:
    policy: Policy
    overrides: LimitOverrides = field(default_factory=LimitOverrides)
    extra_entitlements: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.policy.floating and self.overrides.max_machines not in (None, 1):
            raise PolicyInvalid("A node-locked license allows exactly one machine.", field="max_machines")
        object.__setattr__(self, "extra_entitlements", entitlement_codes(self.extra_entitlements))

    def with_overrides(self, overrides: LimitOverrides) -> LicenseTerms:
        return replace(self, overrides=overrides)

    @property
    def max_machines(self) -> int | None:
        return self.overrides.max_machines or self.policy.max_machines

    @property
    def machine_allowance(self) -> int | None:
        """The seats activation may fill: the machine limit with the policy's overage (None: unlimited)."""
        return self.policy.machine_allowance(self.max_machines)

    @property
    def max_uses(self) -> int | None:
        return self.overrides.max_uses or self.policy.max_uses

    @property
    def deactivation_allowance(self) -> int | None:
        allowance = self.overrides.deactivation_allowance
        return self.policy.deactivation_allowance if allowance is None else allowance

    @property
    def entitlements(self) -> frozenset[str]:
        return self.policy.entitlements | self.extra_entitlements
