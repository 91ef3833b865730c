"""Licensing rule violations, named ``<Noun><Problem>``.

Codes are upper case because clients of the license API match on them, as they do on the
validation codes (``MACHINE_LIMIT_EXCEEDED`` is part of the public contract).
"""

from devforge.domain.shared.errors import Conflict, NotFound, NotPermitted, RuleViolated, TooManyAttempts


class LicenseKeyMalformed(RuleViolated):
    """Wrong length, alphabet or check character: rejected before any lookup."""

    code = "LICENSE_KEY_MALFORMED"


class LicenseKeyMistyped(LicenseKeyMalformed):
    """The right shape, but the check character does not match: a typo (no license has this key)."""


class PolicyInvalid(RuleViolated):
    """A policy or a per-license override breaking a rule; ``field`` names the input."""

    code = "POLICY_INVALID"


class ProductInvalid(RuleViolated):
    code = "PRODUCT_INVALID"


class EntitlementCodeInvalid(RuleViolated):
    code = "ENTITLEMENT_CODE_INVALID"


class EntitlementUndefined(RuleViolated):
    """A policy or license names a feature its product's catalog does not define."""

    code = "ENTITLEMENT_UNDEFINED"


class FingerprintInvalid(RuleViolated):
    code = "FINGERPRINT_INVALID"


class MachineLimitExceeded(Conflict):
    """Every seat (the limit plus the policy's overage) is taken by an active machine."""

    code = "MACHINE_LIMIT_EXCEEDED"


class UsageLimitExceeded(Conflict):
    code = "USAGE_LIMIT_EXCEEDED"


class LicenseNotRenewable(Conflict):
    """A perpetual license, or one whose clock has not started: there is no expiry to extend."""

    code = "LICENSE_NOT_RENEWABLE"


class DeactivationLimitExceeded(TooManyAttempts):
    """The self-service allowance of the rolling 30 days is used up; an admin reset still works."""

    code = "DEACTIVATION_LIMIT_EXCEEDED"


class LicenseSuspended(NotPermitted):
    code = "LICENSE_SUSPENDED"


class LicenseRevoked(NotPermitted):
    """Revocation is final: a revoked license does nothing but answer REVOKED."""

    code = "LICENSE_REVOKED"


class LicenseExpired(NotPermitted):
    code = "LICENSE_EXPIRED"


class LicenseNotFound(NotFound):
    code = "LICENSE_NOT_FOUND"


class MachineNotFound(NotFound):
    """No active machine (nor a revivable dead one) of this license has that id or fingerprint."""

    code = "MACHINE_NOT_FOUND"


class LicenseFileTtlInvalid(RuleViolated):
    """A license file lives between one hour and one year."""

    code = "LICENSE_FILE_TTL_INVALID"
