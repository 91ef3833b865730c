"""Licensing's permissions (which role holds them is the composition root's role table)."""

from __future__ import annotations

from devforge.domain.shared.permissions import Permission


class LicensingPermission:
    LICENSES_READ_OWN = Permission("licenses:read_own", on_api_keys=True)
    """See one's own licenses and their machines."""
    LICENSES_MANAGE = Permission("licenses:manage")
    """Run one's own products: their policies and entitlements, and the licenses issued from them."""
    ADMIN = Permission("licensing:admin", administrative=True)
    """Reach every license, product, policy and entitlement, and free a machine past the
    customer's self-service allowance."""
